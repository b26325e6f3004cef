"""Public supplier profile API."""

from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from .models import Supplier
from .selectors import supplier_get_public


class SupplierPublicOutputSerializer(serializers.ModelSerializer):
    belt = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Supplier
        fields = (
            "slug", "name_en", "name_zh", "belt", "business_type", "certification_level", "certified_at",
            "certified_until", "province", "city_en", "city_zh", "year_founded", "staff_count", "factory_area_m2",
            "description_en", "description_zh", "url",
        )  # fmt: skip


class SupplierDetailApi(generics.RetrieveAPIView):
    """A certified supplier's public profile; applicants answer 404."""

    permission_classes = (AllowAny,)
    serializer_class = SupplierPublicOutputSerializer

    def get_object(self) -> Supplier:
        return supplier_get_public(slug=self.kwargs["slug"])
