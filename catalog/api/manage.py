"""A supplier's own listings over the API: /api/v1/me/listings/ (signed-in supplier members only).

The supplier is found through `request.user` alone and every listing through
`listing_get_for_supplier`, so another supplier's listing answers 404 like one that does not exist.
Writes call the same `catalog.services` functions as the dashboard pages; their ValidationErrors
become 400 answers keyed by field (marketplace.exceptions.api_exception_handler).
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar, cast

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Category
from belts.regions import PROVINCE_CHOICES
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.filecheck.models import FileCheck
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination
from suppliers.models import ProductionSite, Supplier
from suppliers.selectors import supplier_for_member_or_404

from ..certificates import listing_certificate_add, listing_certificate_remove
from ..incoterms import Incoterm
from ..models import Listing, ListingCertificate, ListingImage, ListingVariant, PriceTier
from ..selectors.manage import (
    listing_certificate_get_for_supplier,
    listing_get_for_supplier,
    listing_list_for_api,
    listing_publish_blockers,
    production_site_list_for_supplier,
)
from ..services import (
    listing_archive,
    listing_create,
    listing_duplicate,
    listing_publish,
    listing_restore,
    listing_unpublish,
    listing_update,
)
from ..tradedata import MAX_EXPORT_MARKETS, CertificateKind

SCALAR_FIELDS = (
    "sku", "title_en", "title_zh", "description_en", "description_zh", "unit", "currency", "moq", "moq_mode",
    "order_multiple", "lead_time_days", "monthly_capacity", "sample_available", "sample_price",
    "sample_fee_credited", "oem", "odm", "customisation_en", "customisation_zh", "sold_by_lot",
    "hs_code", "origin_country", "origin_region", "export_markets", "price_incoterm", "price_incoterm_place",
)  # fmt: skip


# --- serializers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="MyListingTier")
class TierSerializer(strict_fields.ModelSerializer):
    min_quantity = strict_fields.IntegerField(min_value=1, max_value=2_000_000_000)
    unit_price = strict_fields.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = PriceTier
        fields = ("min_quantity", "unit_price")


@extend_schema_serializer(component_name="MyListingVariant")
class VariantSerializer(strict_fields.ModelSerializer):
    id = strict_fields.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="An existing variant's id to change it; leave out for a new one.",
    )

    class Meta:
        model = ListingVariant
        fields = ("id", "sku", "size", "colour", "model", "moq")
        extra_kwargs = {key: {"required": False} for key in ("sku", "size", "colour", "model", "moq")}


@extend_schema_serializer(component_name="MyListingSpecification")
class SpecificationSerializer(serializers.Serializer):
    name_en = strict_fields.CharField(max_length=80, required=False, allow_blank=True)
    name_zh = strict_fields.CharField(max_length=80, required=False, allow_blank=True)
    value = strict_fields.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_serializer(component_name="MyListingImage")
class ImageSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(help_text="Null until the upload has passed its check.")
    thumbnail = serializers.SerializerMethodField(help_text="Null until the background job has made it.")
    check = serializers.ChoiceField(
        source="file_check",
        choices=FileCheck.choices,
        read_only=True,
        help_text="The upload's check: pending (being checked), clean (shown to buyers) or refused.",
    )
    refusal = serializers.SerializerMethodField(help_text="Why the upload was refused, in the request's language.")

    class Meta:
        model = ListingImage
        fields = ("id", "image", "thumbnail", "alt_text", "position", "check", "refusal")

    def _url(self, f: Any) -> str | None:
        if not f:
            return None
        request: HttpRequest | None = self.context.get("request")
        return request.build_absolute_uri(f.url) if request else f.url

    def get_image(self, obj: ListingImage) -> str | None:
        return self._url(obj.image) if obj.file_is_clean else None

    def get_refusal(self, obj: ListingImage) -> str | None:
        return obj.file_refusal_message() or None

    def get_thumbnail(self, obj: ListingImage) -> str | None:
        return self._url(obj.thumbnail)


@extend_schema_serializer(component_name="MyListingCertificate")
class CertificateSerializer(serializers.ModelSerializer):
    check = serializers.ChoiceField(
        source="file_check",
        choices=FileCheck.choices,
        read_only=True,
        help_text="The document's check: pending, clean (shown to buyers) or refused.",
    )
    refusal = serializers.SerializerMethodField(help_text="Why the document was refused, in the request's language.")
    valid = serializers.BooleanField(
        source="is_valid", read_only=True, help_text="Document checked clean and valid today or later."
    )

    class Meta:
        model = ListingCertificate
        fields = ("id", "kind", "number", "issuer", "valid_until", "document_name", "check", "refusal", "valid")
        read_only_fields = fields

    def get_refusal(self, obj: ListingCertificate) -> str | None:
        return obj.file_refusal_message() or None


@extend_schema_serializer(component_name="MyListingCertificateInput")
class CertificateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertificateKind.choices)
    number = strict_fields.CharField(max_length=80)
    issuer = strict_fields.CharField(max_length=160)
    valid_until = serializers.DateField()
    document = serializers.FileField(help_text="The certificate as a PDF, JPEG or PNG; checked before buyers see it.")


@extend_schema_serializer(component_name="MyListing")
class MyListingOutputSerializer(serializers.ModelSerializer):
    category: "serializers.SlugRelatedField[Category]" = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    specifications = SpecificationSerializer(many=True, read_only=True)
    tiers = TierSerializer(many=True, read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)
    origin_region = serializers.ChoiceField(
        choices=PROVINCE_CHOICES, allow_blank=True, read_only=True, help_text="Empty: not stated."
    )
    hs_code_effective = strict_fields.CharField(
        read_only=True, help_text="The HS code that applies: the listing's own, else its category's (digits)."
    )
    url = strict_fields.CharField(source="get_absolute_url", read_only=True, help_text="The public (or preview) page.")
    publish_blockers = serializers.SerializerMethodField(help_text="Why this listing cannot be published now.")

    class Meta:
        model = Listing
        fields = (
            "id", "status", "category", *SCALAR_FIELDS, "hs_code_effective", "specifications", "production_site",
            "tiers", "variants", "images", "certificates", "is_public", "price_from", "created_at", "updated_at",
            "published_at", "archived_at", "url", "publish_blockers",
        )  # fmt: skip
        read_only_fields = fields

    def get_publish_blockers(self, obj: Listing) -> list[str]:
        if obj.status != Listing.Status.DRAFT:
            return []
        return listing_publish_blockers(listing=obj, supplier=self.context["supplier"])


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX, "nullable": True})
class SiteField(serializers.PrimaryKeyRelatedField):
    """The id of one of the supplier's production sites (the queryset is set per request)."""


@extend_schema_serializer(component_name="MyListingInput")
class MyListingInputSerializer(strict_fields.ModelSerializer):
    """What a supplier may write. `tiers` and `variants`, when given, replace the listing's own."""

    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    title_en = strict_fields.CharField(max_length=200, required=False, allow_blank=True)
    title_zh = strict_fields.CharField(max_length=200, required=False, allow_blank=True)
    production_site = SiteField(
        queryset=ProductionSite.objects.none(),
        required=False,
        allow_null=True,
        help_text="One of your own production sites.",
    )
    specifications = SpecificationSerializer(many=True, required=False)
    hs_code = strict_fields.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="6 digits (8456.11) or a national tariff code (8456110000); dots and spaces are dropped. "
        "Empty: the category's applies.",
    )
    origin_country = strict_fields.CharField(
        min_length=2, max_length=2, required=False, help_text="ISO 3166-1 alpha-2 code; default CN."
    )
    origin_region = serializers.ChoiceField(
        choices=PROVINCE_CHOICES,
        required=False,
        allow_blank=True,
        help_text="ISO 3166-2:CN province, goods from China.",
    )
    export_markets = serializers.ListField(
        child=strict_fields.CharField(min_length=2, max_length=2),
        max_length=MAX_EXPORT_MARKETS,
        required=False,
        help_text="ISO 3166-1 alpha-2 codes of the countries you ship to or are approved for.",
    )
    price_incoterm = serializers.ChoiceField(
        choices=Incoterm.choices, required=False, help_text="The Incoterm the prices are quoted on; default EXW."
    )
    tiers = TierSerializer(many=True, required=False, help_text="Replaces every price tier when given.")
    variants = VariantSerializer(
        many=True, required=False, help_text="The complete list: variants left out are removed."
    )

    class Meta:
        model = Listing
        fields = ("category", *SCALAR_FIELDS, "specifications", "production_site", "tiers", "variants")
        validators: list[Any] = []  # the service checks the SKU and the other table rules

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supplier = self.context.get("supplier")
        if supplier is not None:
            # Another supplier's site is "not found" here, like everything else of theirs.
            site = cast("serializers.PrimaryKeyRelatedField[ProductionSite]", self.fields["production_site"])
            # The stubs type `queryset` with Manager, a descriptor, so mypy checks a class-level get.
            site.queryset = production_site_list_for_supplier(supplier=supplier)  # type: ignore[arg-type]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        tiers = data.pop("tiers", None)
        variants = data.pop("variants", None)
        if "specifications" in data:
            data["specifications"] = [dict(row) for row in data["specifications"]]
        return {
            "fields": data,
            "tiers": tiers,
            "variants": [dict(v) for v in variants] if variants is not None else None,
        }


class MyListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Listing.Status.choices, label=_("Status"))

    class Meta:
        model = Listing
        fields: list[str] = []


# --- views --------------------------------------------------------------------------------------


class _MyListingMixin(APIView):
    # An APIView itself (first in each API's bases, as before), so its attributes narrow APIView's.
    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    def supplier(self) -> Supplier:
        if not hasattr(self, "_supplier"):
            self._supplier = supplier_for_member_or_404(user=self.request.user)
        return self._supplier

    def context(self) -> dict[str, Any]:
        return {"request": self.request, "supplier": self.supplier()}

    def output(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        listing = listing_get_for_supplier(supplier=self.supplier(), pk=pk)
        return Response(MyListingOutputSerializer(listing, context=self.context()).data, status=status_code)


class MyListingsApi(_MyListingMixin, generics.GenericAPIView):
    """Your company's listings, every status, newest first (cursor-paginated); create a draft."""

    serializer_class = MyListingOutputSerializer
    pagination_class = CreatedCursorPagination
    filterset_class = MyListingFilter

    def get_queryset(self) -> QuerySet[Listing]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no user
            return Listing.objects.none()
        return listing_list_for_api(supplier=self.supplier())

    def get_serializer_context(self) -> Mapping[str, Any]:
        if getattr(self, "swagger_fake_view", False):
            return super().get_serializer_context()
        return {**super().get_serializer_context(), "supplier": self.supplier()}

    @extend_schema(operation_id="my_listings_list", responses={200: MyListingOutputSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="my_listings_create",
        request=MyListingInputSerializer,
        responses={201: MyListingOutputSerializer},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = MyListingInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        listing = listing_create(supplier=self.supplier(), actor=request.user, **_create_kwargs(serializer))
        return self.output(listing.pk, status.HTTP_201_CREATED)


def _create_kwargs(serializer: MyListingInputSerializer) -> dict[str, Any]:
    kwargs = serializer.service_kwargs()
    kwargs["tiers"] = kwargs["tiers"] or []
    kwargs["variants"] = kwargs["variants"] or []
    return kwargs


class MyListingDetailApi(_MyListingMixin, APIView):
    """One of your listings: read it, or change it (PATCH: only what is given; PUT: the whole listing)."""

    @extend_schema(operation_id="my_listings_retrieve", responses={200: MyListingOutputSerializer})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self.output(pk)

    @extend_schema(
        operation_id="my_listings_update", request=MyListingInputSerializer, responses={200: MyListingOutputSerializer}
    )
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="my_listings_partial_update",
        request=MyListingInputSerializer,
        responses={200: MyListingOutputSerializer},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: AuthenticatedRequest, pk: int, *, partial: bool) -> Response:
        listing = listing_get_for_supplier(supplier=self.supplier(), pk=pk)
        serializer = MyListingInputSerializer(data=request.data, partial=partial, context=self.context())
        serializer.is_valid(raise_exception=True)
        listing_update(listing=listing, actor=request.user, **serializer.service_kwargs())
        return self.output(listing.pk)


class _MyListingActionApi(_MyListingMixin, APIView):
    service: Any = None
    created = False

    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        listing = listing_get_for_supplier(supplier=self.supplier(), pk=pk)
        result = type(self).service(listing=listing, actor=request.user)
        return self.output(result.pk, status.HTTP_201_CREATED if self.created else status.HTTP_200_OK)


_F = TypeVar("_F", bound=Callable[..., Any])


def _action_schema(name: str, description: str, code: int = 200) -> Callable[[_F], _F]:
    return extend_schema(
        operation_id=f"my_listings_{name}",
        request=None,
        responses={code: MyListingOutputSerializer},
        description=description,
    )


class MyListingPublishApi(_MyListingActionApi):
    service = staticmethod(listing_publish)

    @_action_schema(
        "publish", "Publish a draft. Only a supplier certified at least “verified” may; it needs a price tier."
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        return super().post(request, pk)


class MyListingUnpublishApi(_MyListingActionApi):
    service = staticmethod(listing_unpublish)

    @_action_schema("unpublish", "Take a published listing back to a draft.")
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        return super().post(request, pk)


class MyListingArchiveApi(_MyListingActionApi):
    service = staticmethod(listing_archive)

    @_action_schema("archive", "Archive a listing: out of the catalog and of the default lists; restorable.")
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        return super().post(request, pk)


class MyListingRestoreApi(_MyListingActionApi):
    service = staticmethod(listing_restore)

    @_action_schema("restore", "Bring an archived listing back as a draft.")
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        return super().post(request, pk)


class MyListingDuplicateApi(_MyListingActionApi):
    service = staticmethod(listing_duplicate)
    created = True

    @_action_schema("duplicate", "Copy a listing as a new draft (tiers, variants, specifications; no pictures).", 201)
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        return super().post(request, pk)


class MyListingCertificatesApi(_MyListingMixin, APIView):
    """Add a certificate for export to one of your listings (multipart, with its document)."""

    # JSON is read too, so a client that forgot the file hears which field is missing (400), not 415.
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    @extend_schema(
        operation_id="my_listings_certificates_create",
        request={"multipart/form-data": CertificateInputSerializer},
        responses={201: CertificateSerializer},
        description="The document is checked in the background: `check` is pending until then, and buyers see "
        "the certificate once it is clean. A certificate past its date shows as expired.",
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        listing = listing_get_for_supplier(supplier=self.supplier(), pk=pk)
        serializer = CertificateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        certificate = listing_certificate_add(
            listing=listing,
            actor=request.user,
            kind=data["kind"],
            number=data["number"],
            issuer=data["issuer"],
            valid_until=data["valid_until"],
            upload=data["document"],
        )
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class MyListingCertificateDetailApi(_MyListingMixin, APIView):
    """Remove a certificate of one of your listings."""

    @extend_schema(operation_id="my_listings_certificates_destroy", request=None, responses={204: None})
    def delete(self, request: AuthenticatedRequest, pk: int, certificate_id: int) -> Response:
        certificate = listing_certificate_get_for_supplier(supplier=self.supplier(), listing_pk=pk, pk=certificate_id)
        listing_certificate_remove(certificate=certificate, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
