"""Public supplier search API: certified suppliers by name, belt and products.

It lives in the catalog because it runs the catalog's text search (its parsing, spelling
correction and SQL functions) over the suppliers' tables below it.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from belts.regions import PROVINCE_CHOICES
from marketplace import strict_fields
from marketplace.pagecache.api import CachedForAnonymous
from marketplace.pagecache.pages import EVERY_SCOPE
from marketplace.pagination import CreatedCursorPagination
from suppliers.api import SupplierPublicOutputSerializer
from suppliers.levels import PUBLIC_LEVELS, levels_at_least
from suppliers.models import Supplier

from ..search import parse_text, suppliers_matching
from .public import WORDS


class SupplierSearchInputSerializer(serializers.Serializer):
    q = strict_fields.CharField(required=False, allow_blank=True, max_length=200)
    belt = strict_fields.SlugField(required=False, allow_blank=True, max_length=80)
    # No blank: the schema's enums hold no empty value, so `?province=` is refused like a misspelling.
    level = serializers.ChoiceField(choices=list(PUBLIC_LEVELS), required=False)
    province = serializers.ChoiceField(choices=PROVINCE_CHOICES, required=False)


class SupplierCursorPagination(CreatedCursorPagination):
    ordering = ("name_en", "id")


class SupplierListApi(CachedForAnonymous, generics.ListAPIView):
    """Certified suppliers, by name; search their names (English or Chinese), belt and products
    with `q` (a misspelt English word is corrected), filter by belt, level (at least) and
    province. Applicants and lapsed certifications are never listed."""

    permission_classes = (AllowAny,)
    serializer_class = SupplierPublicOutputSerializer
    pagination_class = SupplierCursorPagination

    def cache_scopes(self, request: Request, **kwargs: Any) -> str:
        return EVERY_SCOPE

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                WORDS,
                description="Words of the name, belt or products, English or Chinese.",
            ),
            OpenApiParameter(
                "belt", {"type": "string", "maxLength": 80, "pattern": r"^[-a-zA-Z0-9_]*$"}, description="Belt slug."
            ),
            OpenApiParameter("level", str, enum=list(PUBLIC_LEVELS), description="At least this certification."),
            OpenApiParameter("province", str, enum=[c for c, _ in PROVINCE_CHOICES], description="ISO 3166-2:CN."),
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A plain dict, not the QueryDict: DRF reads an empty value of an HTML-form input as "not
        # given", and `?province=` must be refused, not ignored.
        params = SupplierSearchInputSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        qs = Supplier.objects.certified().select_related("belt")
        if data.get("belt"):
            qs = qs.filter(belt__slug=data["belt"])
        if data.get("level"):
            qs = qs.filter(certification_level__in=levels_at_least(data["level"]))
        if data.get("province"):
            qs = qs.filter(province=data["province"])
        return suppliers_matching(qs, parse_text(data.get("q", ""), tiers=False, using=qs.db))
