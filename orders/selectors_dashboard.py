"""Reads of the trade for the buyer dashboard: a few rows each, one query each, scoped by the company.

The buyer dashboard lives in `buyers`, which may not import `orders`; it shows these through the
inclusion tags of `orders.templatetags.orders_tags`.
"""

from django.db.models import QuerySet
from django.utils import timezone

from buyers.models import BuyerCompany

from .models import Order, Quote, Rfq
from .selectors_rfq import rfq_list_for_buyer

DASHBOARD_ROWS = 5
# Still moving: not completed, not cancelled (a delivered order waits for the buyer to complete it).
OPEN_ORDER_STATUSES = (
    Order.Status.PLACED,
    Order.Status.CONFIRMED,
    Order.Status.PAID,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
)


def order_list_open_for_buyer(*, company: BuyerCompany, limit: int = DASHBOARD_ROWS) -> list[Order]:
    """The company's latest orders still in progress, newest first, with their suppliers. One query."""
    qs: QuerySet[Order] = (
        Order.objects.for_buyer(company)
        .filter(status__in=OPEN_ORDER_STATUSES)
        .select_related("supplier")
        .order_by("-created_at", "-id")
    )
    return list(qs[:limit])


def rfq_latest_for_buyer(*, company: BuyerCompany, limit: int = DASHBOARD_ROWS) -> list[Rfq]:
    """The company's latest RFQs, newest first, each with its `quote_count` (live quotes). One query."""
    return list(rfq_list_for_buyer(company=company)[:limit])


def quote_waiting_count_for_buyer(*, company: BuyerCompany) -> int:
    """Quotes the company can still accept or decline: submitted, still valid, on its open RFQs. One COUNT."""
    return Quote.objects.filter(
        rfq__buyer=company,
        rfq__status=Rfq.Status.OPEN,
        status=Quote.Status.SUBMITTED,
        valid_until__gte=timezone.localdate(),
    ).count()
