"""A listing's prices in the public API: the range of its tiers, the price at the searched quantity
and, asked with `?in_currency=`, the same approximately in that currency (catalog.prices)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from marketplace import strict_fields

from ..prices import PriceBook, PriceSummary, listing_price_summary

IN_CURRENCY = OpenApiParameter(
    "in_currency",
    str,
    enum=list(settings.PRICE_CURRENCIES),
    description="Also give each listing's prices approximately in this currency, at the latest rate staff "
    "set (dated). Orders stay in the listing's own currency.",
)


def price_book_from(request: Request) -> PriceBook | None:
    """The PriceBook of `?in_currency=` (None without it); an unknown or empty currency answers 400."""
    if "in_currency" not in request.query_params:
        return None
    wanted = request.query_params.get("in_currency", "")
    if wanted not in settings.PRICE_CURRENCIES:
        choices = ", ".join(settings.PRICE_CURRENCIES)
        raise serializers.ValidationError({"in_currency": [_("Choose one of %(choices)s.") % {"choices": choices}]})
    return PriceBook(wanted)


class ApproximatePricesSerializer(serializers.Serializer):
    currency = strict_fields.CharField(help_text="The currency asked for with `in_currency`.")
    low = strict_fields.DecimalField(max_digits=16, decimal_places=2)
    high = strict_fields.DecimalField(max_digits=16, decimal_places=2)
    at_quantity = strict_fields.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    rate_date = serializers.DateField(allow_null=True, help_text="The day of the exchange rate used.")


class PricesSerializer(serializers.Serializer):
    """What a listing's unit prices come to, in its own currency."""

    currency = strict_fields.CharField()
    low = strict_fields.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="Lowest tier price.")
    high = strict_fields.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Highest tier price (what the MOQ costs)."
    )
    low_from_quantity = strict_fields.IntegerField(
        source="lowest_from", allow_null=True, help_text="The smallest quantity bought at the lowest price."
    )
    quantity = strict_fields.IntegerField(allow_null=True, help_text="The searched `quantity`, if any.")
    at_quantity = strict_fields.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="The unit price at the searched quantity."
    )
    approximate = ApproximatePricesSerializer(
        source="approx", allow_null=True, help_text="In `in_currency`, when asked and its rate is known."
    )


class WithPricesMixin(serializers.Serializer):
    """Adds `prices` to a listing's serializer; the view puts `price_book` and `price_quantity` in
    its context."""

    prices = serializers.SerializerMethodField()

    @extend_schema_field(PricesSerializer)
    def get_prices(self, obj: Any) -> dict[str, Any]:
        summary: PriceSummary = listing_price_summary(
            obj, book=self.context.get("price_book"), quantity=self.context.get("price_quantity")
        )
        return dict(PricesSerializer(summary).data)
