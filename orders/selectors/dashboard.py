"""Reads of the trade for the buyer and supplier dashboards: a few rows each, one query each, scoped
by the company.

The buyer dashboard lives in `buyers` and the supplier dashboard in `suppliers`, which may not
import `orders`; they show these through the inclusion tags of `orders.templatetags.orders_tags`.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Sum, Value, When, Window
from django.utils import timezone

from buyers.models import BuyerCompany
from suppliers.models import Supplier

from ..models import Order, Quote, Rfq, RfqRecipient
from .rfq import rfq_list_for_buyer

DASHBOARD_ROWS = 5
# Still moving: not completed, not cancelled (a delivered order waits for the buyer to complete it).
OPEN_ORDER_STATUSES = (
    Order.Status.PLACED,
    Order.Status.PROPOSED,
    Order.Status.CONFIRMED,
    Order.Status.DEPOSIT_PAID,
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


# --- the supplier dashboard -----------------------------------------------------------------------
# `suppliers` sits below `orders` too: its dashboard shows these through orders_tags as well.

# What the supplier does next with an order in each of these statuses.
SUPPLIER_ACTION_STATUSES = (Order.Status.PLACED, Order.Status.PAID)


@dataclass
class SupplierWaitingOrders:
    """Orders waiting for the supplier: how many to confirm (placed), how many to ship (paid), the latest few."""

    to_confirm: int
    to_ship: int
    latest: Sequence[Order]


def order_waiting_for_supplier(*, supplier: Supplier, limit: int = DASHBOARD_ROWS) -> SupplierWaitingOrders:
    """The supplier's orders waiting for its action (placed → confirm, paid → ship), newest first.
    One query: the counts ride on the rows as window aggregates over the whole filtered set (a
    window is computed before LIMIT), so no second COUNT query is needed."""

    def count_of(status: str) -> Window:
        return Window(Sum(Case(When(status=status, then=Value(1)), default=Value(0), output_field=IntegerField())))

    rows = list(
        Order.objects.for_supplier(supplier)
        .filter(status__in=SUPPLIER_ACTION_STATUSES)
        .select_related("buyer")
        .annotate(placed_total=count_of(Order.Status.PLACED), paid_total=count_of(Order.Status.PAID))
        .order_by("-created_at", "-id")[:limit]
    )
    first = rows[0] if rows else None
    return SupplierWaitingOrders(
        to_confirm=first.placed_total if first else 0,
        to_ship=first.paid_total if first else 0,
        latest=rows,
    )


@dataclass
class SupplierOpportunities:
    """New RFQ opportunities: how many, and the latest few (each an RfqRecipient with its RFQ)."""

    count: int
    latest: Sequence[RfqRecipient]


def rfq_opportunities_new_for_supplier(*, supplier: Supplier, limit: int = DASHBOARD_ROWS) -> SupplierOpportunities:
    """RFQs routed to the supplier that are open, with the deadline today or later, and that it has
    not quoted for (no quote of any status): newest routed first. One query (the count is a window)."""
    quoted = Quote.objects.filter(rfq=OuterRef("rfq_id"), supplier=supplier)
    rows = list(
        RfqRecipient.objects.filter(
            supplier=supplier, rfq__status=Rfq.Status.OPEN, rfq__deadline__gte=timezone.localdate()
        )
        .filter(~Exists(quoted))
        .select_related("rfq")
        .annotate(total=Window(Count("id")))
        .order_by("-routed_at", "-id")[:limit]
    )
    return SupplierOpportunities(count=rows[0].total if rows else 0, latest=rows)
