"""Lots over the API: a supplier's own lots under /api/v1/me/lots/ (members of the supplier only)
and the public read of a lot by its token, /api/v1/lots/<token>/ (anyone).

The supplier is found through `request.user` alone and every lot through `lot_get_for_supplier`,
so another supplier's lot answers 404 like one that does not exist. Writes call the same
`catalog.lots.services` functions as the dashboard pages. Creating a lot takes the kernel's
`Idempotency-Key` header (marketplace.idempotency, required here): the same key and body again
answers 200 with the first answer, another body 422.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.bounds import ID_MAX, INTEGER_MAX
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination
from suppliers.models import Supplier
from suppliers.selectors import supplier_for_member, supplier_for_member_or_404

from ..lots.models import Lot, LotCertificate
from ..lots.selectors import LOT_TABS, lot_get_for_supplier, lot_get_public, lot_list_for_supplier
from ..lots.services import (
    MAX_LISTINGS,
    WRITABLE_FIELDS,
    lot_certificate_add,
    lot_close,
    lot_create,
    lot_update,
)
from ..models import Listing


def _absolute(request: HttpRequest | Request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- serializers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="LotCertificate")
class LotCertificateOutputSerializer(serializers.ModelSerializer):
    kind_label = strict_fields.CharField()
    file_check = strict_fields.CharField(help_text="pending, clean or refused: only clean files are shown or served.")
    refusal = serializers.SerializerMethodField(help_text="Why the file was refused (empty unless refused).")
    url = serializers.SerializerMethodField(help_text="The download, once the file is clean; null before.")

    class Meta:
        model = LotCertificate
        fields = ("id", "kind", "kind_label", "number", "issuer", "issued_on", "file_check", "refusal", "url")

    def get_refusal(self, obj: LotCertificate) -> str:
        return obj.file_refusal_message()

    def get_url(self, obj: LotCertificate) -> str | None:
        if not obj.file_is_clean:
            return None
        path = reverse("catalog:lot_certificate_download", args=[obj.lot.token, obj.pk])
        return _absolute(self.context["request"], path)


@extend_schema_serializer(component_name="MyLot")
class MyLotOutputSerializer(serializers.ModelSerializer):
    listings: "serializers.PrimaryKeyRelatedField[Listing]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The listings it supplies."
    )
    certificates = LotCertificateOutputSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The public lot page (its QR code encodes this address).")

    class Meta:
        model = Lot
        fields = (
            "id", "code", "status", "listings", *[n for n in WRITABLE_FIELDS if n != "code"], "remaining",
            "certificates", "created_at", "updated_at", "closed_at", "url",
        )  # fmt: skip
        read_only_fields = fields

    def get_url(self, obj: Lot) -> str:
        return _absolute(self.context["request"], obj.get_absolute_url())


@extend_schema_serializer(component_name="MyLotSummary")
class MyLotSummarySerializer(MyLotOutputSerializer):
    clean_certificates = strict_fields.IntegerField(help_text="How many of its certificates are checked and shown.")

    class Meta(MyLotOutputSerializer.Meta):
        fields = (*tuple(n for n in MyLotOutputSerializer.Meta.fields if n != "certificates"), "clean_certificates")
        read_only_fields = fields


@extend_schema_serializer(component_name="MyLotInput")
class MyLotInputSerializer(strict_fields.ModelSerializer):
    listings = serializers.ListField(
        child=strict_fields.IntegerField(min_value=1, max_value=ID_MAX),
        min_length=1,
        max_length=MAX_LISTINGS,
        help_text="Ids of your listings this lot supplies, sold in the lot's unit.",
    )
    quantity = strict_fields.IntegerField(min_value=1, max_value=INTEGER_MAX)

    class Meta:
        model = Lot
        fields = ("listings", *WRITABLE_FIELDS)
        validators: list[Any] = []  # the service checks the code and the rules between fields

    def listings_of(self, supplier: Supplier) -> list[Listing] | None:
        ids = self.validated_data.get("listings")
        if ids is None:
            return None
        listings = list(Listing.objects.filter(supplier=supplier, pk__in=ids))
        if len(listings) != len(set(ids)):
            raise serializers.ValidationError({"listings": ["Choose among your own listings."]})
        return listings

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.validated_data.items() if name != "listings"}


@extend_schema_serializer(component_name="MyLotCertificateInput")
class LotCertificateInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG or WebP; checked before anyone can see it.")
    kind = serializers.ChoiceField(choices=LotCertificate.Kind.choices)
    number = strict_fields.CharField(max_length=100, required=False, allow_blank=True, default="")
    issuer = strict_fields.CharField(max_length=200, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(component_name="LotSupplier")
class LotSupplierSerializer(serializers.Serializer):
    slug = strict_fields.CharField()
    name = strict_fields.CharField()
    status = strict_fields.CharField(help_text="certified, suspended, expired…: as it stands now.")
    certified = serializers.BooleanField(help_text="Whether the supplier's certification is current today.")
    level = strict_fields.CharField(help_text="Its certification level (none unless certified).")
    certified_until = serializers.DateField(allow_null=True)


@extend_schema_serializer(component_name="Lot")
class LotPublicSerializer(serializers.ModelSerializer):
    supplier = serializers.SerializerMethodField()
    listings = serializers.SerializerMethodField(help_text="Ids of the published listings it supplies.")
    certificates = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = (
            "code", "site_name", "site_address", "site_region", "latitude", "longitude", "produced_on", "packed_on",
            "best_before", "quantity", "unit", "grade", "inspection_results", "status", "supplier", "listings",
            "certificates", "url",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LotSupplierSerializer)
    def get_supplier(self, lot: Lot) -> dict[str, Any]:
        supplier = lot.supplier
        certified = supplier.is_publicly_certified()
        return {
            "slug": supplier.slug,
            "name": str(supplier.name),
            "status": supplier.status,
            "certified": certified,
            "level": supplier.certification_level if certified else "none",
            "certified_until": supplier.certified_until if certified else None,
        }

    def get_listings(self, lot: Lot) -> list[int]:
        return [listing.pk for listing in lot.listings.all() if listing.status == Listing.Status.PUBLISHED]

    @extend_schema_field(LotCertificateOutputSerializer(many=True))
    def get_certificates(self, lot: Lot) -> list[dict[str, Any]]:
        certificates = getattr(lot, "clean_certificates", [])
        for certificate in certificates:
            certificate.lot = lot  # the serializer reads its token without a query
        return list(LotCertificateOutputSerializer(certificates, many=True, context=self.context).data)

    def get_url(self, lot: Lot) -> str:
        return _absolute(self.context["request"], lot.get_absolute_url())


# --- views --------------------------------------------------------------------------------------


class _MyLotMixin(APIView):
    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    def supplier(self) -> Supplier:
        if not hasattr(self, "_supplier"):
            self._supplier = supplier_for_member_or_404(user=self.request.user)
        return self._supplier

    def output(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        lot = lot_get_for_supplier(supplier=self.supplier(), pk=pk)
        for certificate in lot.certificates.all():
            certificate.lot = lot
        return Response(MyLotOutputSerializer(lot, context={"request": self.request}).data, status=status_code)


def _suppliers_only(view: "MyLotsApi", request: AuthenticatedRequest) -> None:
    """Anyone but a supplier's member is told 403 before the Idempotency-Key is looked at."""
    view.supplier()


class MyLotsApi(_MyLotMixin, generics.GenericAPIView):
    """Your company's lots, newest first (cursor-paginated; `status` open, closed or all); create one."""

    serializer_class = MyLotSummarySerializer
    pagination_class = CreatedCursorPagination

    def supplier(self) -> Supplier:
        # The list of one side: anyone else is told it is the wrong side (403) before the body or
        # the idempotency key is read.
        supplier = supplier_for_member(user=self.request.user)
        if supplier is None:
            raise PermissionDenied(_("Only a supplier's members keep lots."))
        return supplier

    def get_queryset(self) -> QuerySet[Lot]:
        if getattr(self, "swagger_fake_view", False):
            return Lot.objects.none()
        tab = self.request.query_params.get("status", "all")
        if tab not in LOT_TABS:
            raise serializers.ValidationError({"status": [_("Choose open, closed or all.")]})
        return lot_list_for_supplier(supplier=self.supplier(), tab=tab).order_by()

    @extend_schema(
        operation_id="my_lots_list",
        parameters=[OpenApiParameter("status", str, enum=list(LOT_TABS), description="open, closed or all (default).")],
        responses={200: MyLotSummarySerializer(many=True)},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="my_lots_create",
        request=MyLotInputSerializer,
        responses={
            201: MyLotOutputSerializer,
            200: OpenApiResponse(MyLotOutputSerializer, description="The lot this key created before."),
            422: OpenApiResponse(description="The key was used for another lot."),
        },
    )
    @idempotent(required=True, replay_status=status.HTTP_200_OK, guard=_suppliers_only)
    def post(self, request: AuthenticatedRequest) -> Response:
        supplier = self.supplier()
        serializer = MyLotInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listings = serializer.listings_of(supplier) or []
        lot = lot_create(supplier=supplier, actor=request.user, listings=listings, data=serializer.service_data())
        return self.output(lot.pk, status.HTTP_201_CREATED)


class MyLotDetailApi(_MyLotMixin, APIView):
    @extend_schema(operation_id="my_lots_retrieve", responses={200: MyLotOutputSerializer})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self.output(pk)

    @extend_schema(
        operation_id="my_lots_update",
        request=MyLotInputSerializer(partial=True),
        responses={200: MyLotOutputSerializer},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        lot = lot_get_for_supplier(supplier=self.supplier(), pk=pk)
        serializer = MyLotInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        lot_update(
            lot=lot,
            actor=request.user,
            data=serializer.service_data(),
            listings=serializer.listings_of(self.supplier()),
        )
        return self.output(pk)


class MyLotCloseApi(_MyLotMixin, APIView):
    @extend_schema(
        operation_id="my_lots_close", request=None, responses={200: MyLotOutputSerializer}, description="Close a lot."
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        lot_close(lot=lot_get_for_supplier(supplier=self.supplier(), pk=pk), actor=request.user)
        return self.output(pk)


class MyLotCertificatesApi(_MyLotMixin, APIView):
    parser_classes = (JSONParser, MultiPartParser, FormParser)  # JSON: refused with 400 for want of a file

    @extend_schema(
        operation_id="my_lots_certificate_add",
        request={"multipart/form-data": LotCertificateInputSerializer},
        responses={201: LotCertificateOutputSerializer},
        description="Attach a certificate (multipart). It is checked in the background: `file_check` is pending "
        "until then, and nothing shows or serves it before it is clean.",
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        lot = lot_get_for_supplier(supplier=self.supplier(), pk=pk)
        serializer = LotCertificateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        certificate = lot_certificate_add(lot=lot, actor=request.user, upload=data.pop("file"), **data)
        certificate.lot = lot
        return Response(
            LotCertificateOutputSerializer(certificate, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class LotPublicApi(APIView):
    """A lot by its public token, for anyone: site, dates, grade, clean certificates, and the
    supplier's certification as it stands now."""

    permission_classes = (AllowAny,)

    @extend_schema(operation_id="lots_retrieve", responses={200: LotPublicSerializer})
    def get(self, request: Request, token: str) -> Response:
        return Response(LotPublicSerializer(lot_get_public(token=token), context={"request": request}).data)
