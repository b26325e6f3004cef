"""Reads of placed orders, always scoped by who asks.

An order is visible to the members of its buying company and of its supplier, and to nobody else
(staff use the admin): `order_get_for_user` answers 404 to anyone else, exactly as for a number
that does not exist. Lists come with their joins applied, so each page costs a fixed number of
queries whatever the number of orders.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404

from accounts.models import User
from buyers.models import BuyerCompany, BuyerMember
from suppliers.models import Supplier, SupplierMember

from ..models import Order, OrderEvent, OrderLine, OrderLineLot, Party
from ..querysets import OrderQuerySet

# Tabs of the supplier's order list: "open" is everything still to be worked on.
# Columns of a listing an order page never shows.
LISTING_WIDE = (
    "search_vector", "description_en", "description_zh", "specifications", "customisation_en", "customisation_zh",
)  # fmt: skip
OPEN_STATUSES = (
    Order.Status.PLACED,
    Order.Status.PROPOSED,
    Order.Status.CONFIRMED,
    Order.Status.DEPOSIT_PAID,
    Order.Status.PAID,
    Order.Status.SHIPPED,
)
SUPPLIER_TABS = ("open", *Order.Status.values, "all")


_line_counts = (
    OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Count("id")).values("n")
)


def _list_queryset() -> OrderQuerySet:
    return (
        Order.objects.select_related("buyer", "supplier")
        # A subquery, not a join + GROUP BY: the paginator's COUNT drops it and stays a plain count.
        .annotate(line_count=Subquery(_line_counts, output_field=IntegerField()))
        .order_by("-created_at", "-id")
    )


def order_list_for_buyer(*, company: BuyerCompany, status: str | None = None) -> QuerySet[Order]:
    """The buying company's orders, newest first, optionally of one status."""
    qs = _list_queryset().for_buyer(company)
    return qs.filter(status=status) if status in Order.Status.values else qs


def order_list_for_supplier(*, supplier: Supplier, tab: str = "open") -> QuerySet[Order]:
    """The supplier's orders of one tab (see SUPPLIER_TABS), newest first."""
    qs = _list_queryset().for_supplier(supplier)
    if tab == "open":
        return qs.filter(status__in=OPEN_STATUSES)
    if tab in Order.Status.values:
        return qs.filter(status=tab)
    return qs


def order_counts_for_supplier(*, supplier: Supplier) -> dict[str, int]:
    """How many orders the supplier has in each tab, in one query."""
    rows = Order.objects.for_supplier(supplier).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(SUPPLIER_TABS, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    counts["all"] = sum(counts[s] for s in Order.Status.values)
    return counts


def _viewer_party(user: User) -> Case:
    # Buyer first: someone who (oddly) acts for both sides of one order acts as its buyer.
    return Case(
        When(buyer_id__in=BuyerMember.objects.filter(user=user).values("company_id"), then=Value(Party.BUYER.value)),
        When(
            supplier_id__in=SupplierMember.objects.filter(user=user).values("supplier_id"),
            then=Value(Party.SUPPLIER.value),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def order_queryset_for_user(*, user: User) -> QuerySet[Order]:
    """The orders `user` may see, each annotated with `viewer_party` ("buyer" or "supplier").

    Membership is read through subqueries, not joins, so an order appears once however many
    people each company has."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.annotate(viewer_party=_viewer_party(user)).exclude(viewer_party="")


def order_get_for_user(*, number: str, user: User, detail: bool = True, lots: bool = True) -> Order:
    """One order by number, for a member of its buying company or its supplier; 404 for anyone
    else. With `detail`, lines, events (with their actors) and the rating come along: the detail
    page, the PDF and the API read them without further queries; with `lots` too, the lots each
    line shipped from (a reader that shows no lines leaves them behind)."""
    qs = order_queryset_for_user(user=user).select_related("buyer", "supplier", "placed_by")
    if detail:
        # The supplier's current certificate: the PDF prints its QR code, the pages its badge.
        qs = qs.select_related("rating", "protection", "supplier__current_certification").prefetch_related(
            # With the listing's titles, so a reader sees the item in its own language beside the
            # snapshot the order was placed with (the wide columns of the listing stay behind).
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("listing")
                .defer(*(f"listing__{name}" for name in LISTING_WIDE))
                .order_by("position", "id"),
            ),
            Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id")),
        )
    order = qs.filter(number=number).first()
    if order is None:
        raise Http404("No such order")
    if detail and lots:
        _lines_with_lots(order)
    return order


def _lines_with_lots(order: Order) -> None:
    """Attach to each line the lots it shipped from (listings sold by lot). Lots are recorded by
    the ship step, so an order not shipped has none and costs no query; a shipped one costs one."""
    lines = list(order.lines.all())
    if order.shipped_at is None:
        for line in lines:
            line.__dict__.setdefault("_prefetched_objects_cache", {})["lots"] = OrderLineLot.objects.none()
        return
    prefetch_related_objects(lines, Prefetch("lots", queryset=OrderLineLot.objects.select_related("lot")))
