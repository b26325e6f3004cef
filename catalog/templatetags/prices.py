"""`{% listing_prices listing as p %}`: a listing's PriceSummary (catalog.prices) for the template
to format, in the page's currency (`price_book`) and at the quantity the page is about
(`price_quantity`, e.g. the search's quantity filter). No query but the day's rates, once per
request."""

from decimal import Decimal
from typing import Any

from django import template

from ..prices import Converted, PriceSummary, converted_amount, listing_price_summary, quantity_with_unit

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_prices(context: template.Context, listing: Any) -> PriceSummary:
    return listing_price_summary(listing, book=context.get("price_book"), quantity=context.get("price_quantity"))


@register.simple_tag(takes_context=True)
def approx_amount(context: template.Context, amount: Decimal | None, currency: str) -> Converted | None:
    """`amount` of `currency` in the page's currency (None when it is the same or has no rate):
    `{% approx_amount group.subtotal group.currency as a %}`."""
    book = context.get("price_book")
    return converted_amount(amount, currency, book=book) if book is not None else None


@register.filter
def with_unit(quantity: int | None, unit: str) -> str:
    """`{{ listing.moq|with_unit:listing.unit }}`: "1 set", "5 sets", plural by the language's rules."""
    return "" if quantity is None else quantity_with_unit(int(quantity), unit)
