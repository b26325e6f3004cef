"""Analytics API: a supplier's own figures, a belt's figures for its operators (staff: any belt).

Both read the aggregate tables through the same selectors as the pages. Who asks decides what can
be read: the supplier comes from `request.user` (no id in the URL), a belt must be one the user
operates; anyone else gets 404, as for an object that does not exist.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from suppliers.selectors import supplier_for_member

from .selectors import PERIODS, belt_analytics, belt_get_for_analytics, supplier_analytics


def _money() -> serializers.DecimalField:
    """An amount in CNY."""
    return serializers.DecimalField(max_digits=18, decimal_places=2)


def _rate() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Percent; null when there is nothing to rate."
    )


class MyAnalyticsApi(APIView):
    """The signed-in supplier member's own analytics over a period (days back from today)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="SupplierAnalytics")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="SupplierAnalyticsPoint")
        class PointSerializer(serializers.Serializer):
            day = serializers.DateField(help_text="The day, or the first day of the month for period 365.")
            listing_views = serializers.IntegerField()
            profile_views = serializers.IntegerField()
            inquiries = serializers.IntegerField()
            inquiries_answered = serializers.IntegerField()
            rfqs_received = serializers.IntegerField()
            rfqs_quoted = serializers.IntegerField()
            rfqs_won = serializers.IntegerField()
            orders = serializers.IntegerField()
            revenue = _money()

        @extend_schema_serializer(component_name="SupplierAnalyticsTotals")
        class TotalsSerializer(PointSerializer):
            day = None  # type: ignore[assignment]  # totals are over the whole period
            views = serializers.IntegerField()
            response_rate = _rate()
            quote_rate = _rate()
            win_rate = _rate()
            mean_response_hours = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)

        @extend_schema_serializer(component_name="SupplierAnalyticsCountry")
        class CountrySerializer(serializers.Serializer):
            country = serializers.CharField(help_text="ISO 3166-1 alpha-2 of the buying company.")
            buyers = serializers.IntegerField()
            orders = serializers.IntegerField()
            revenue = _money()

        @extend_schema_serializer(component_name="SupplierAnalyticsListing")
        class ListingSerializer(serializers.Serializer):
            listing = serializers.IntegerField()
            title_en = serializers.CharField(source="listing__title_en")
            title_zh = serializers.CharField(source="listing__title_zh")
            views = serializers.IntegerField()
            inquiries = serializers.IntegerField()
            orders = serializers.IntegerField()
            revenue = _money()

        period = serializers.ChoiceField(choices=list(PERIODS))
        start = serializers.DateField()
        end = serializers.DateField()
        step = serializers.ChoiceField(choices=["day", "month"])
        totals = TotalsSerializer()
        buyers = serializers.IntegerField()
        repeat_buyers = serializers.IntegerField(help_text="Buying companies with two or more orders in the period.")
        series = PointSerializer(many=True)
        countries = CountrySerializer(many=True)
        top_listings = ListingSerializer(many=True)

    @extend_schema(
        operation_id="my_analytics",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, enum=list(PERIODS), description="Days back (default 30).")
        ],
        responses={200: OutputSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        period = request.query_params.get("period", "30")
        if period not in PERIODS:
            raise ValidationError({"period": [f"One of {', '.join(PERIODS)}."]})
        supplier = supplier_for_member(user=request.user)
        if supplier is None:
            raise Http404("You do not act for a supplier")
        return Response(self.OutputSerializer(supplier_analytics(supplier=supplier, period=period)).data)


class BeltAnalyticsApi(APIView):
    """A belt's last twelve months for its operators (staff: any belt); anyone else 404."""

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="BeltAnalytics")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="BeltAnalyticsMonth")
        class MonthSerializer(serializers.Serializer):
            month = serializers.DateField(help_text="The month's first day.")
            invitations = serializers.IntegerField()
            applications = serializers.IntegerField()
            submissions = serializers.IntegerField()
            certifications = serializers.IntegerField()
            rejections = serializers.IntegerField()
            days_to_submit = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
            days_to_certify = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
            suppliers = serializers.IntegerField()
            suppliers_certified = serializers.IntegerField()
            suppliers_origin = serializers.IntegerField()
            listings_public = serializers.IntegerField()
            coverage = _rate()
            orders = serializers.IntegerField()
            trade_volume = _money()
            buyers = serializers.IntegerField()
            inquiries = serializers.IntegerField()
            inquiries_answered_24h = serializers.IntegerField()
            response_rate = _rate()
            rfqs_routed = serializers.IntegerField()
            rfqs_quoted = serializers.IntegerField()
            quote_rate = _rate()

        @extend_schema_serializer(component_name="BeltAnalyticsCategory")
        class CategorySerializer(serializers.Serializer):
            category = serializers.SlugField(source="category.slug")
            orders = serializers.IntegerField()
            quantity = serializers.IntegerField()
            trade_volume = _money()

        @extend_schema_serializer(component_name="BeltAnalyticsCategoryMonth")
        class CategoryMonthSerializer(serializers.Serializer):
            month = serializers.DateField()
            category = serializers.SlugField(source="category.slug")
            orders = serializers.IntegerField()
            quantity = serializers.IntegerField()
            trade_volume = _money()

        @extend_schema_serializer(component_name="BeltAnalyticsPrice")
        class PriceSerializer(serializers.Serializer):
            month = serializers.DateField()
            category = serializers.SlugField(source="category.slug")
            reference_quantity = serializers.IntegerField(allow_null=True)
            median_unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
            priced_listings = serializers.IntegerField()

        @extend_schema_serializer(component_name="BeltAnalyticsCountry")
        class CountrySerializer(serializers.Serializer):
            country = serializers.CharField()
            orders = serializers.IntegerField()
            buyers = serializers.IntegerField(
                help_text="Summed over the months: a company buying in two months counts twice."
            )
            trade_volume = _money()

        belt = serializers.SlugField()
        start = serializers.DateField()
        end = serializers.DateField()
        months = MonthSerializer(many=True)
        categories = CategorySerializer(many=True)
        category_months = CategoryMonthSerializer(many=True, help_text="Months with orders only.")
        price_index = PriceSerializer(many=True)
        countries = CountrySerializer(many=True)

    @extend_schema(operation_id="belt_analytics", responses={200: OutputSerializer})
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_analytics(user=request.user, slug=slug)
        data = belt_analytics(belt=belt)
        body: dict[str, Any] = {
            "belt": belt.slug,
            "start": data.start,
            "end": data.end,
            "months": data.months,
            "categories": data.categories,
            "category_months": data.category_months,
            "price_index": data.price_index,
            "countries": data.countries,
        }
        return Response(self.OutputSerializer(body).data)
