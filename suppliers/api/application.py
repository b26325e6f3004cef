"""Writing one's supplier application over the API, with the wizard's services.

PATCH /api/v1/me/application/ saves application fields as a draft (any subset: what is left out
stays); /me/application/sites/ lists and adds production sites, /me/application/documents/ lists
and uploads documents (multipart: one file, kept in quarantine and checked by its content in the
worker like the web upload; `check` says pending, clean or refused); DELETE on one removes it;
POST /me/application/submit/ sends it for verification. The application is found through the
signed-in user alone, as on GET: a user who acts for no supplier gets 404, and a document or site
of another supplier answers 404. Once submitted, every write answers 400 until staff ask for more.
"""

from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Belt, Category
from marketplace import strict_fields
from marketplace.filecheck.models import FileCheck
from marketplace.idempotency.api import idempotent

from .. import api
from ..models import ProductionSite, Supplier, SupplierDocument
from ..selectors import (
    production_site_get_for_application,
    production_site_list_for_application,
    supplier_document_get_for_application,
    supplier_document_list_for_application,
    supplier_for_member_or_404,
    verification_run_latest,
)
from ..services import (
    application_missing,
    production_site_add,
    production_site_remove,
    supplier_application_submit,
    supplier_application_update,
    supplier_document_add,
    supplier_document_remove,
)
from ..services.application import APPLICATION_FIELDS

NOT_YOURS = OpenApiResponse(description="You act for no supplier, or no such item in your application.")


def _application(request: AuthenticatedRequest, supplier: Supplier, status_code: int = 200) -> Response:
    run = verification_run_latest(supplier=supplier)
    data = {
        "supplier": supplier,
        "missing": application_missing(supplier),
        "latest_run": run,
        "checks": list(run.checks.all()) if run else [],
    }
    return Response(api.MyApplicationApi.OutputSerializer(data).data, status=status_code)


# --- the application's fields ------------------------------------------------------------------


@extend_schema_serializer(component_name="MyApplicationUpdateInput")
class ApplicationInputSerializer(strict_fields.ModelSerializer):
    """The application fields the wizard's steps write; status, level and slug are not among them."""

    # Wider than the 18 stored characters: spaces are taken out and the code checked by the service.
    uscc = strict_fields.CharField(max_length=40, required=False, allow_blank=True)
    year_founded = strict_fields.IntegerField(min_value=1800, max_value=9999, required=False, allow_null=True)
    belt = serializers.SlugRelatedField(
        slug_field="slug", queryset=Belt.objects.active(), required=False, allow_null=True,
        help_text="The belt to join, by its slug (GET /api/v1/belts/).",
    )  # fmt: skip
    main_categories = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), many=True, required=False,
        help_text="Your main categories, by slug (GET /api/v1/categories/); replaces the ones chosen before.",
    )  # fmt: skip

    class Meta:
        model = Supplier
        fields = (*sorted(APPLICATION_FIELDS), "main_categories")
        extra_kwargs = {"name_en": {"required": False}, "name_zh": {"required": False}}

    def validate_year_founded(self, value: int | None) -> int | None:
        if value is not None and value > timezone.localdate().year:
            raise serializers.ValidationError(_("A year not after this one."))
        return value


class MyApplicationApi(api.MyApplicationApi):
    """Your application (GET, as before) and saving any of its fields as a draft (PATCH)."""

    @extend_schema(
        operation_id="my_application_partial_update",
        request=ApplicationInputSerializer,
        responses={
            200: api.MyApplicationApi.OutputSerializer,
            400: OpenApiResponse(description="Bad input, or the application is being verified and cannot change now."),
            404: NOT_YOURS,
        },
    )
    def patch(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        serializer = ApplicationInputSerializer(supplier, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        categories = data.pop("main_categories", None)
        try:
            supplier = supplier_application_update(supplier=supplier, data=data, categories=categories)
        except IntegrityError:
            # Two companies saved the same USCC at the same moment; the unique constraint kept one.
            raise serializers.ValidationError({"uscc": [_("This USCC was just taken by another company.")]}) from None
        return _application(request, supplier_for_member_or_404(user=request.user))


class MyApplicationSubmitApi(APIView):
    """Send your application for verification: the checks run in the background (GET shows them)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="my_application_submit",
        request=None,
        responses={
            200: api.MyApplicationApi.OutputSerializer,
            400: OpenApiResponse(
                description="Something is still missing (the message says what), documents are still being "
                "checked, or the application was submitted already."
            ),
            404: NOT_YOURS,
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        supplier_application_submit(supplier=supplier, actor=request.user)
        return _application(request, supplier_for_member_or_404(user=request.user))


# --- production sites --------------------------------------------------------------------------


@extend_schema_serializer(component_name="MyApplicationSite")
class SiteSerializer(strict_fields.ModelSerializer):
    class Meta:
        model = ProductionSite
        fields = ("id", "name", "address", "province", "city", "products", "is_verified")
        read_only_fields = ("id", "is_verified")


class MyApplicationSiteListApi(APIView):
    """Your application's production sites (at least one is needed to submit); add one."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_application_sites_list", responses={200: SiteSerializer(many=True), 404: NOT_YOURS})
    def get(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        sites = production_site_list_for_application(supplier=supplier).order_by("pk")
        return Response(SiteSerializer(sites, many=True).data)

    @extend_schema(
        operation_id="my_application_sites_create",
        request=SiteSerializer,
        responses={201: SiteSerializer, 404: NOT_YOURS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        serializer = SiteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        site = production_site_add(supplier=supplier, **serializer.validated_data)
        return Response(SiteSerializer(site).data, status=status.HTTP_201_CREATED)


class MyApplicationSiteDetailApi(APIView):
    """Remove one of your application's production sites."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_application_sites_destroy", responses={204: None, 404: NOT_YOURS})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        site = production_site_get_for_application(supplier=supplier, pk=pk)
        production_site_remove(supplier=supplier, site_id=site.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- documents ---------------------------------------------------------------------------------


@extend_schema_serializer(component_name="MyApplicationDocument")
class DocumentOutputSerializer(serializers.ModelSerializer):
    check = serializers.ChoiceField(
        source="file_check",
        choices=FileCheck.choices,
        help_text="pending (being checked in the background), clean (kept) or refused (see `refusal`).",
    )
    refusal = serializers.SerializerMethodField(help_text="Why the file was refused, in the request's language.")

    class Meta:
        model = SupplierDocument
        fields = (
            "id", "kind", "check", "refusal", "content_type", "size", "standard", "number", "issuer", "valid_from",
            "valid_until", "uploaded_at",
        )  # fmt: skip

    def get_refusal(self, document: SupplierDocument) -> str | None:
        return document.file_refusal_message() or None


@extend_schema_serializer(component_name="MyApplicationDocumentInput")
class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (SupplierDocument.Kind.LICENCE, SupplierDocument.Kind.LICENCE.label),
            (SupplierDocument.Kind.CERTIFICATE, SupplierDocument.Kind.CERTIFICATE.label),
            (SupplierDocument.Kind.FACTORY_PHOTO, SupplierDocument.Kind.FACTORY_PHOTO.label),
        ]
    )
    file = serializers.FileField(help_text="PDF, JPEG, PNG or WebP (photos: images only); checked by its content.")
    standard = serializers.ChoiceField(choices=SupplierDocument.Standard.choices, required=False)
    number = strict_fields.CharField(max_length=100, required=False)
    issuer = strict_fields.CharField(max_length=200, required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False)

    CERTIFICATE_FIELDS = ("standard", "number", "issuer", "valid_from", "valid_until")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A certificate names its standard, number, issuer and validity, as the wizard's form asks."""
        if attrs["kind"] != SupplierDocument.Kind.CERTIFICATE:
            return {"kind": attrs["kind"], "file": attrs["file"]}
        missing = {
            name: [_("This field is required for a certificate.")]
            for name in ("standard", "number", "issuer", "valid_until")
            if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        start, end = attrs.get("valid_from"), attrs["valid_until"]
        if start is not None and end < start:
            raise serializers.ValidationError({"valid_until": [_("The end of validity comes before its start.")]})
        return attrs


class MyApplicationDocumentListApi(APIView):
    """Your application's documents (licence, certificates, factory photos); upload one."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)  # JSON too: its refusal is a 400, not a 415

    @extend_schema(
        operation_id="my_application_documents_list",
        responses={200: DocumentOutputSerializer(many=True), 404: NOT_YOURS},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        documents = supplier_document_list_for_application(supplier=supplier)
        return Response(DocumentOutputSerializer(documents, many=True).data)

    @extend_schema(
        operation_id="my_application_documents_create",
        description="One file per request. It is kept unchecked and checked by its content in the background: "
        "`check` is pending until then (GET the list again), and a refused file says why in `refusal`. A file "
        "of a type not accepted, or too large, is refused at once with 400.",
        request=DocumentInputSerializer,
        responses={201: DocumentOutputSerializer, 404: NOT_YOURS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind, upload = data.pop("kind"), data.pop("file")
        document = supplier_document_add(supplier=supplier, kind=kind, upload=upload, **data)
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


class MyApplicationDocumentDetailApi(APIView):
    """Remove one of your application's documents (while the application can change)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_application_documents_destroy", responses={204: None, 404: NOT_YOURS})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        document = supplier_document_get_for_application(supplier=supplier, pk=pk)
        supplier_document_remove(supplier=supplier, document_id=document.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
