"""Template tags of the trade for pages of lower apps: the buyer dashboard's orders and RFQs.

`buyers` sits below `orders` and may not import it; its dashboard template loads these tags instead,
and each tag reads through an `orders` selector scoped by the company (one query per tag).
"""

from typing import Any

from django import template

from buyers.models import BuyerCompany

from ..selectors_dashboard import order_list_open_for_buyer, quote_waiting_count_for_buyer, rfq_latest_for_buyer

register = template.Library()


@register.inclusion_tag("orders/partials/dashboard_orders.html")
def buyer_open_orders(company: BuyerCompany) -> dict[str, Any]:
    """The company's latest orders not yet completed or cancelled, with status and supplier."""
    return {"orders": order_list_open_for_buyer(company=company)}


@register.inclusion_tag("orders/partials/dashboard_rfqs.html")
def buyer_rfqs(company: BuyerCompany) -> dict[str, Any]:
    """The company's latest RFQs with their status and number of quotes."""
    return {"rfqs": rfq_latest_for_buyer(company=company)}


@register.inclusion_tag("orders/partials/dashboard_quotes.html")
def buyer_quotes_waiting(company: BuyerCompany) -> dict[str, Any]:
    """How many quotes wait for the company's decision, with a link to its RFQs."""
    return {"waiting": quote_waiting_count_for_buyer(company=company)}
