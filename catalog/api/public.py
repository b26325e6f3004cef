"""Public read API of the catalog: belts, categories, listings. Open one by one (AllowAny)."""

import re
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from belts.models import Belt, Category
from belts.regions import PROVINCE_CHOICES
from marketplace import strict_fields
from marketplace.dbrouter import public_data
from marketplace.i18n import COUNTRY_CHOICES
from marketplace.pagecache.api import CachedForAnonymous
from marketplace.pagecache.pages import EVERY_SCOPE, BeltOf, belt_pages
from marketplace.pagination import page_size_from

from ..filters import CURRENCY_CHOICES, LEVEL_CHOICES, MAX_QUANTITY, SORT_CHOICES, ListingSearchForm
from ..incoterms import Incoterm
from ..models import Listing, ListingCertificate, PriceTier
from ..search import RANK_LIMIT, InvalidCursor
from ..selectors.public import (
    belt_get_public,
    belt_list_with_counts,
    listing_get_for_viewer,
    listing_page_scopes,
    listing_search,
)
from ..tradedata import CertificateKind
from .prices import IN_CURRENCY, WithPricesMixin, price_book_from


class BeltOutputSerializer(serializers.ModelSerializer):
    certified_supplier_count = strict_fields.IntegerField(read_only=True)
    listing_count = strict_fields.IntegerField(read_only=True)
    url = strict_fields.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Belt
        fields = (
            "slug", "name_en", "name_zh", "brand_en", "brand_zh", "province", "city_en", "city_zh",
            "industry_en", "industry_zh", "story_en", "story_zh", "certified_supplier_count", "listing_count", "url",
        )  # fmt: skip


class CategoryOutputSerializer(serializers.ModelSerializer):
    # DRF takes declared fields out of the class, so this one does not shadow Field.parent.
    parent: "serializers.SlugRelatedField[Category]" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True, help_text="Null for a top-level category."
    )

    class Meta:
        model = Category
        fields = ("slug", "name_en", "name_zh", "parent")


class PriceTierOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ("min_quantity", "unit_price")


class ListingSupplierSerializer(serializers.Serializer):
    id = strict_fields.IntegerField(help_text="Names the supplier in an order's per-supplier terms.")
    slug = strict_fields.CharField()
    name_en = strict_fields.CharField()
    name_zh = strict_fields.CharField()
    belt = strict_fields.CharField(source="belt.slug")
    business_type = strict_fields.CharField()
    certification_level = strict_fields.CharField()


class BrandMarkSerializer(serializers.Serializer):
    name_en = strict_fields.CharField(source="mark_en")
    name_zh = strict_fields.CharField(source="mark_zh")
    licence_number = strict_fields.CharField(source="number", help_text="Checked at /api/v1/verify/licences/<number>/.")
    verify_url = strict_fields.CharField(help_text="The licence's public check page.")


class PriceBasisSerializer(serializers.Serializer):
    incoterm = serializers.ChoiceField(source="price_incoterm", choices=Incoterm.choices)
    place = strict_fields.CharField(source="price_incoterm_place", allow_blank=True, help_text="Its named place.")


class PublicCertificateSerializer(serializers.ModelSerializer):
    valid = serializers.BooleanField(source="is_valid", help_text="False once `valid_until` has passed.")
    document = serializers.SerializerMethodField(help_text="Download of the checked document.")

    class Meta:
        model = ListingCertificate
        fields = ("kind", "number", "issuer", "valid_until", "valid", "document")

    def get_document(self, obj: ListingCertificate) -> str:
        url = reverse("catalog:listing_certificate_document", args=[obj.listing_id, obj.pk])
        request: HttpRequest | None = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ListingOutputSerializer(WithPricesMixin, serializers.ModelSerializer):
    supplier = ListingSupplierSerializer(read_only=True)
    category: "serializers.SlugRelatedField[Category]" = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    price_from = strict_fields.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    url = strict_fields.CharField(source="get_absolute_url", read_only=True)
    certified_origin = serializers.BooleanField(
        read_only=True,
        help_text="Made at a verified production site inside the belt's region by a supplier whose badge is an "
        "origin level today.",
    )
    brand_mark = BrandMarkSerializer(
        read_only=True,
        allow_null=True,
        help_text="The belt's regional brand (or a geographical indication) the listing carries today: its supplier "
        "is certified and holds a current licence whose scope covers the listing's category; null otherwise.",
    )
    hs_code = strict_fields.CharField(
        source="hs_code_effective",
        read_only=True,
        help_text="The HS code that applies (digits): the listing's own, else its category's; empty when none.",
    )
    price_basis = PriceBasisSerializer(source="*", read_only=True, help_text="The Incoterm the prices are quoted on.")
    origin_region = serializers.ChoiceField(
        choices=PROVINCE_CHOICES,
        allow_blank=True,
        read_only=True,
        help_text="ISO 3166-2:CN province of goods from China; empty when not stated.",
    )
    valid_certificates = serializers.ListField(
        child=serializers.ChoiceField(choices=CertificateKind.choices),
        source="valid_certificate_kinds",
        read_only=True,
        help_text="Kinds of certificate for export the listing holds today (checked and not expired).",
    )

    class Meta:
        model = Listing
        fields: tuple[str, ...] = (
            "id", "title_en", "title_zh", "supplier", "category", "unit", "currency", "moq", "price_from",
            "prices", "price_basis", "lead_time_days", "sample_available", "certified_origin", "brand_mark", "hs_code",
            "origin_country", "origin_region", "export_markets", "valid_certificates", "created_at", "url",
        )  # fmt: skip


class ListingDetailOutputSerializer(ListingOutputSerializer):
    tiers = PriceTierOutputSerializer(many=True, read_only=True)
    images = serializers.SerializerMethodField()
    certificates = PublicCertificateSerializer(many=True, read_only=True)

    class Meta(ListingOutputSerializer.Meta):
        fields = (
            *ListingOutputSerializer.Meta.fields, "description_en", "description_zh", "tiers", "monthly_capacity",
            "sample_price", "images", "certificates",
        )  # fmt: skip

    def get_images(self, obj: Listing) -> list[dict[str, str | None]]:
        request: HttpRequest | None = self.context.get("request")

        def absolute(f) -> str | None:
            if not f:
                return None
            return request.build_absolute_uri(f.url) if request else f.url

        return [{"image": absolute(i.image), "thumbnail": absolute(i.thumbnail)} for i in obj.images.all()]


class BeltListApi(CachedForAnonymous, generics.ListAPIView):
    """All active belts with live counts."""

    def cache_scopes(self, request: Request, **kwargs: Any) -> str:
        return EVERY_SCOPE

    permission_classes = (AllowAny,)
    serializer_class = BeltOutputSerializer
    pagination_class = None  # a few dozen belts at most

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator reads no data
            return Belt.objects.none()
        return belt_list_with_counts()


class BeltDetailApi(CachedForAnonymous, generics.RetrieveAPIView):
    permission_classes = (AllowAny,)
    serializer_class = BeltOutputSerializer

    def cache_scopes(self, request: Request, **kwargs: Any) -> list[str] | None:
        return belt_pages(kwargs["slug"])

    def get_object(self) -> Belt:
        return belt_get_public(slug=self.kwargs["slug"])


class CategoryListApi(CachedForAnonymous, generics.ListAPIView):
    permission_classes = (AllowAny,)

    def cache_scopes(self, request: Request, **kwargs: Any) -> list[str]:
        return ["site"]

    serializer_class = CategoryOutputSerializer
    pagination_class = None
    queryset = Category.objects.select_related("parent")


COUNTRY_CODES = [code for code, _label in COUNTRY_CHOICES]
SLUG = {"type": "string", "maxLength": 80, "pattern": r"^[-a-zA-Z0-9_]*$"}
QUANTITY = {"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY}
PRICE_PATTERN = r"^([0-9]{1,10}(\.[0-9]{1,2})?)?$"  # 0 to MAX_PRICE, two decimals at most; empty: no bound
PRICE = {"type": "string", "pattern": PRICE_PATTERN}
# Search words: any text but the NUL character, which every text field refuses (400).
WORDS = {"type": "string", "maxLength": 200, "pattern": r"^[^\u0000]*$"}
BOOLEANS = ("true", "false")
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        WORDS,
        description="Search words, English or Chinese; a misspelt English word is corrected.",
    ),
    OpenApiParameter("belt", SLUG, description="Belt slug."),
    OpenApiParameter("category", SLUG, description="Category slug; includes its sub-categories."),
    OpenApiParameter("level", str, enum=[v for v, _ in LEVEL_CHOICES], description="At least this certification."),
    OpenApiParameter("province", str, enum=[code for code, _ in PROVINCE_CHOICES], description="ISO 3166-2:CN code."),
    OpenApiParameter("moq_max", QUANTITY, description="Minimum order quantity at most this."),
    OpenApiParameter(
        "quantity",
        QUANTITY,
        description="Only listings orderable at this quantity; price filters use its tier's price.",
    ),
    OpenApiParameter("price_min", PRICE, description="Lowest unit price (decimal), in `currency`."),
    OpenApiParameter(
        "price_max", PRICE, description="Highest unit price (decimal), in `currency`; not below `price_min`."
    ),
    OpenApiParameter(
        "currency",
        str,
        enum=[v for v, _ in CURRENCY_CHOICES],
        description="Listings priced in this currency. With a price bound or sorted by price: CNY unless "
        "given (prices are compared within one currency).",
    ),
    OpenApiParameter("sample", bool, description="Only listings with a sample."),
    OpenApiParameter("origin", bool, description="Only listings that carry the certified-origin mark."),
    OpenApiParameter(
        "hs",
        {"type": "string", "maxLength": 20, "pattern": r"^([0-9][0-9 .\-]*)?$"},
        description="HS code prefix: a chapter (2 digits), heading (4), subheading (6) or a full national code "
        "(8 or 10); dots and spaces allowed. Matches the listing's own code, else its category's.",
    ),
    OpenApiParameter("origin_country", str, enum=COUNTRY_CODES, description="Country of origin (ISO 3166-1 alpha-2)."),
    OpenApiParameter("market", str, enum=COUNTRY_CODES, description="An export market the listing names (ISO 3166-1)."),
    OpenApiParameter(
        "certificate",
        str,
        enum=CertificateKind.values,
        description="Holds a valid certificate for export of this kind (document checked, not expired).",
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=[v for v, _ in SORT_CHOICES],
        description="Default: relevance with words, newest without. Relevance ranks every match up to "
        f"{RANK_LIMIT:,}; above that it follows certification level, then newest.",
    ),
    OpenApiParameter(
        "cursor",
        {"type": "string", "maxLength": 2000},
        description="The opaque cursor of a `next` or `previous` link; any other value answers 400.",
    ),
    OpenApiParameter("page_size", int, description="Listings per page (at most 100)."),
    IN_CURRENCY,
]


class ListingSearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    corrected_query = strict_fields.CharField(
        allow_blank=True, help_text="The words searched for instead, when a misspelt word was corrected."
    )
    results = ListingOutputSerializer(many=True)


@public_data  # the same public rows for everyone: signed-in clients' searches may read the replica
class ListingListApi(CachedForAnonymous, generics.GenericAPIView):
    """Public listings: the web search's words, filters and sorts, keyset (cursor) pages.

    Bad values answer 400 with a message per parameter; an unknown belt or category slug
    simply matches nothing."""

    permission_classes = (AllowAny,)
    serializer_class = ListingOutputSerializer
    pagination_class = None
    max_page_size = 100

    def cache_scopes(self, request: Request, **kwargs: Any) -> str:
        return EVERY_SCOPE

    @extend_schema(operation_id="listings_list", parameters=SEARCH_PARAMETERS, responses=ListingSearchPageSerializer)
    def get(self, request: Request) -> Response:
        # The page's checkbox sends "on"; API clients say true or false, as the schema's booleans do.
        errors = {
            name: [_("Answer true or false.")]
            for name in ("sample", "origin")
            if request.query_params.get(name, "true") not in BOOLEANS
        }
        # Prices as the schema's pattern says (the form alone would also read "1e3" or " 5").
        errors |= {
            name: [_("A price in the digits 0-9, with at most two decimals, such as 12.50.")]
            for name in ("price_min", "price_max")
            if not re.fullmatch(PRICE_PATTERN, request.query_params.get(name, ""))
        }
        if errors:
            raise serializers.ValidationError(errors)
        book = price_book_from(request)
        form = ListingSearchForm(request.query_params)
        if not form.is_valid():
            # An ErrorList yields its messages as strings; the stubs say it may yield ValidationErrors.
            raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})  # type: ignore[arg-type]
        try:
            result = listing_search(
                text=form.search_text(),
                filters=form.search_filters(),
                sort=form.search_sort(),
                cursor=form.search_cursor(),
                page_size=page_size_from(request, default=api_settings.PAGE_SIZE or 24, maximum=self.max_page_size),
            )
        except InvalidCursor as exc:
            raise serializers.ValidationError({"cursor": [_("This cursor is not valid for this list.")]}) from exc
        url = request.build_absolute_uri()
        page = result.page
        return Response(
            {
                "next": replace_query_param(url, "cursor", page.next_cursor) if page.next_cursor else None,
                "previous": replace_query_param(url, "cursor", page.previous_cursor) if page.previous_cursor else None,
                "corrected_query": result.text.corrected,
                "results": self.get_serializer(
                    page.listings,
                    many=True,
                    context={
                        **self.get_serializer_context(),
                        "price_book": book,
                        "price_quantity": form.search_filters().quantity,
                    },
                ).data,
            }
        )


class ListingDetailApi(CachedForAnonymous, generics.RetrieveAPIView):
    permission_classes = (AllowAny,)
    serializer_class = ListingDetailOutputSerializer

    def cache_scopes(self, request: Request, **kwargs: Any) -> BeltOf:
        return listing_page_scopes(pk=kwargs["pk"])

    def get_object(self) -> Listing:
        return listing_get_for_viewer(pk=self.kwargs["pk"], user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "price_book": price_book_from(self.request)}

    @extend_schema(parameters=[IN_CURRENCY])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
