"""Public read API of the catalog: belts, categories, listings. Open one by one (AllowAny)."""

from django.http import HttpRequest
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from marketplace.pagination import CreatedCursorPagination

from .filters import ListingFilter
from .models import Belt, Category, Listing, PriceTier
from .selectors import belt_get_public, belt_list_with_counts, listing_get_for_viewer, listing_list_public


class BeltOutputSerializer(serializers.ModelSerializer):
    certified_supplier_count = serializers.IntegerField(read_only=True)
    listing_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Belt
        fields = (
            "slug", "name_en", "name_zh", "brand_en", "brand_zh", "province", "city_en", "city_zh",
            "industry_en", "industry_zh", "story_en", "story_zh", "certified_supplier_count", "listing_count", "url",
        )  # fmt: skip


class CategoryOutputSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Category
        fields = ("slug", "name_en", "name_zh", "parent")


class PriceTierOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ("min_quantity", "unit_price")


class ListingSupplierSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    belt = serializers.CharField(source="belt.slug")
    business_type = serializers.CharField()
    certification_level = serializers.CharField()


class ListingOutputSerializer(serializers.ModelSerializer):
    supplier = ListingSupplierSerializer(read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    price_from = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Listing
        fields = (
            "id", "title_en", "title_zh", "supplier", "category", "unit", "currency", "moq", "price_from",
            "lead_time_days", "sample_available", "created_at", "url",
        )  # fmt: skip


class ListingDetailOutputSerializer(ListingOutputSerializer):
    tiers = PriceTierOutputSerializer(many=True, read_only=True)
    images = serializers.SerializerMethodField()

    class Meta(ListingOutputSerializer.Meta):
        fields = (
            *ListingOutputSerializer.Meta.fields, "description_en", "description_zh", "tiers", "monthly_capacity",
            "sample_price", "images",
        )  # fmt: skip

    def get_images(self, obj: Listing) -> list[dict[str, str | None]]:
        request: HttpRequest | None = self.context.get("request")

        def absolute(f) -> str | None:  # type: ignore[no-untyped-def]
            if not f:
                return None
            return request.build_absolute_uri(f.url) if request else f.url

        return [{"image": absolute(i.image), "thumbnail": absolute(i.thumbnail)} for i in obj.images.all()]


class BeltListApi(generics.ListAPIView):
    """All active belts with live counts."""

    permission_classes = (AllowAny,)
    serializer_class = BeltOutputSerializer
    pagination_class = None  # a few dozen belts at most

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return belt_list_with_counts()


class BeltDetailApi(generics.RetrieveAPIView):
    permission_classes = (AllowAny,)
    serializer_class = BeltOutputSerializer

    def get_object(self) -> Belt:
        return belt_get_public(slug=self.kwargs["slug"])


class CategoryListApi(generics.ListAPIView):
    permission_classes = (AllowAny,)
    serializer_class = CategoryOutputSerializer
    pagination_class = None
    queryset = Category.objects.select_related("parent")


class ListingListApi(generics.ListAPIView):
    """Public listings, newest first, cursor-paginated; filter by `belt` and `category` slug."""

    permission_classes = (AllowAny,)
    serializer_class = ListingOutputSerializer
    pagination_class = CreatedCursorPagination

    filterset_class = ListingFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return listing_list_public()


class ListingDetailApi(generics.RetrieveAPIView):
    permission_classes = (AllowAny,)
    serializer_class = ListingDetailOutputSerializer

    def get_object(self) -> Listing:
        return listing_get_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
