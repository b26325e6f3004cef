"""Template tags of the trade for pages of lower apps: the buyer dashboard's orders and RFQs, the
supplier dashboard's orders to act on, new RFQ opportunities and unread inquiries.

`buyers` and `suppliers` sit below `orders` and may not import it; their dashboard templates load
these tags instead, and each tag reads through an `orders` selector scoped by the company (one
query per tag).
"""

from typing import Any

from django import template

from buyers.models import BuyerCompany
from buyers.templatetags.buyers_tags import unread_inquiries_count
from suppliers.models import Supplier

from ..selectors.dashboard import (
    order_list_open_for_buyer,
    order_waiting_for_supplier,
    quote_waiting_count_for_buyer,
    rfq_latest_for_buyer,
    rfq_opportunities_new_for_supplier,
)

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


# --- the supplier dashboard -----------------------------------------------------------------------


@register.inclusion_tag("orders/partials/dashboard_supplier_orders.html")
def supplier_waiting_orders(supplier: Supplier) -> dict[str, Any]:
    """Orders waiting for the supplier: how many to confirm and to ship, and the latest few. One query."""
    return {"waiting": order_waiting_for_supplier(supplier=supplier)}


@register.inclusion_tag("orders/partials/dashboard_supplier_rfqs.html")
def supplier_new_opportunities(supplier: Supplier) -> dict[str, Any]:
    """Open RFQs routed to the supplier that it has not quoted for yet, deadline ahead. One query."""
    return {"opportunities": rfq_opportunities_new_for_supplier(supplier=supplier)}


@register.inclusion_tag("orders/partials/dashboard_supplier_inquiries.html", takes_context=True)
def supplier_unread_inquiries(context: template.Context) -> dict[str, Any]:
    """How many inquiry threads have unread buyer messages: the navigation's figure, remembered on
    the request, so the dashboard adds no query when the navigation showed it first."""
    return {"unread": unread_inquiries_count(context)}
