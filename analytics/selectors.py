"""Reads of the aggregate tables for the analytics pages and API, scoped by who asks.

Every read here is over SupplierDay / ListingDay / SupplierBuyerDay by (supplier, day) or over the
belt month tables by (belt, month): a page costs the same few queries whatever the catalog's size.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from belts.models import Belt
from suppliers.models import Supplier
from suppliers.selectors import belt_get_for_operator

from .models import BeltCategoryMonth, BeltCountryMonth, BeltMonth, ListingDay, SupplierBuyerDay, SupplierDay

# The periods a reader may choose: days back from today, and whether the series is by day or month.
PERIODS: dict[str, tuple[int, str]] = {"30": (30, "day"), "90": (90, "day"), "365": (365, "month")}
PERIOD_LABELS = {"30": _("Last 30 days"), "90": _("Last 90 days"), "365": _("Last 12 months")}
DEFAULT_PERIOD = "30"
BELT_MONTHS = 12
TOP_LISTINGS = 10


def period_parse(value: str | None) -> str:
    """The chosen period's key, the default for anything else (never an error: it is a link)."""
    return value if value in PERIODS else DEFAULT_PERIOD


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SupplierAnalytics:
    """A supplier's figures over a period: totals, a series by day or month, buyers by country,
    top listings. Built by `supplier_analytics` in five queries."""

    period: str
    start: datetime.date
    end: datetime.date
    step: str
    totals: dict[str, Any]
    series: list[dict[str, Any]]
    countries: Sequence[Mapping[str, Any]]
    top_listings: Sequence[Mapping[str, Any]]
    buyers: int = 0
    repeat_buyers: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _days(start: datetime.date, end: datetime.date, step: str) -> list[datetime.date]:
    """Every day (or first of month) of the period, so a series has a point where nothing happened."""
    if step == "day":
        return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


SUPPLIER_SUMS = (
    "listing_views", "profile_views", "inquiries", "inquiries_answered", "response_minutes", "rfqs_received",
    "rfqs_quoted", "rfqs_won", "orders", "revenue",
)  # fmt: skip


def supplier_analytics(*, supplier: Supplier, period: str, today: datetime.date | None = None) -> SupplierAnalytics:
    """`supplier`'s own figures over `period` (a PERIODS key), read from the day tables."""
    days, step = PERIODS[period]
    end = today or timezone.localdate()
    start = end - datetime.timedelta(days=days - 1)
    if step == "month":
        start = start.replace(day=1)
    rows = SupplierDay.objects.filter(supplier=supplier, day__gte=start, day__lte=end)
    sums = {name: Sum(name) for name in SUPPLIER_SUMS}
    totals = {k: v or 0 for k, v in rows.aggregate(**sums).items()}
    totals["views"] = totals["listing_views"] + totals["profile_views"]
    totals["response_rate"] = _rate(totals["inquiries_answered"], totals["inquiries"])
    totals["quote_rate"] = _rate(totals["rfqs_quoted"], totals["rfqs_received"])
    totals["win_rate"] = _rate(totals["rfqs_won"], totals["rfqs_quoted"])
    totals["mean_response_hours"] = (
        (Decimal(totals["response_minutes"]) / 60 / totals["inquiries_answered"]).quantize(Decimal("0.1"))
        if totals["inquiries_answered"]
        else None
    )

    if step == "day":
        by = {r["day"]: r for r in rows.values("day", *SUPPLIER_SUMS)}
    else:
        by = {
            r["bucket"]: r for r in rows.annotate(bucket=TruncMonth("day")).order_by().values("bucket").annotate(**sums)
        }
    series = []
    for day in _days(start, end, step):
        row = by.get(day, {})
        series.append({"day": day, **{name: row.get(name) or 0 for name in SUPPLIER_SUMS}})

    buyer_rows = SupplierBuyerDay.objects.filter(supplier=supplier, day__gte=start, day__lte=end)
    per_buyer = buyer_rows.order_by().values("buyer").annotate(n=Sum("orders"))
    buyers = per_buyer.aggregate(total=Count("buyer"), repeat=Count("buyer", filter=Q(n__gte=2)))
    countries = list(
        buyer_rows.order_by()
        .values("country")
        .annotate(buyers=Count("buyer", distinct=True), orders=Sum("orders"), revenue=Sum("revenue"))
        .order_by("-orders", "country")
    )
    top = list(
        ListingDay.objects.filter(supplier=supplier, day__gte=start, day__lte=end)
        .order_by()
        .values("listing", "listing__title_en", "listing__title_zh")
        .annotate(views=Sum("views"), inquiries=Sum("inquiries"), orders=Sum("orders"), revenue=Sum("revenue"))
        .order_by("-orders", "-views", "-inquiries", "listing")[:TOP_LISTINGS]
    )
    return SupplierAnalytics(
        period=period,
        start=start,
        end=end,
        step=step,
        totals=totals,
        series=series,
        countries=countries,
        top_listings=top,
        buyers=buyers["total"] or 0,
        repeat_buyers=buyers["repeat"] or 0,
    )


def belt_get_for_analytics(*, user: User, slug: str) -> Belt:
    """A belt whose operator analytics `user` may read: one they operate, or any for staff; 404 else."""
    if user.is_staff:
        belt = Belt.objects.filter(slug=slug).first()
        if belt is None:
            raise Http404("No such belt")
        return belt
    return belt_get_for_operator(user=user, slug=slug)


def belt_get_public(*, slug: str) -> Belt:
    belt = Belt.objects.filter(slug=slug, is_active=True).first()
    if belt is None:
        raise Http404("No such belt")
    return belt


@dataclass
class BeltAnalytics:
    """A belt's months (oldest first), trade by category and buyer countries over them, and the
    price index by category and month. Built by `belt_analytics` in three queries."""

    months: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    category_months: list[dict[str, Any]]
    price_index: list[dict[str, Any]]
    countries: Sequence[Mapping[str, Any]]
    totals: dict[str, Any]
    start: datetime.date
    end: datetime.date


BELT_FIELDS = [f.name for f in BeltMonth._meta.get_fields() if f.name not in ("id", "belt", "month", "computed_at")]


def belt_analytics(*, belt: Belt, today: datetime.date | None = None) -> BeltAnalytics:
    """`belt`'s last BELT_MONTHS months from the month tables (the caller checked who may read)."""
    end = (today or timezone.localdate()).replace(day=1)
    start = end
    for _n in range(BELT_MONTHS - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    stored = {
        r["month"]: r for r in BeltMonth.objects.filter(belt=belt, month__gte=start).values("month", *BELT_FIELDS)
    }
    months = []
    for month in _days(start, end, "month"):
        row = stored.get(month, {})
        values = {name: row.get(name) for name in BELT_FIELDS}
        for name in BELT_FIELDS:
            if values[name] is None and not name.startswith("days_"):
                values[name] = 0
        values["response_rate"] = _rate(values["inquiries_answered_24h"], values["inquiries"])
        values["quote_rate"] = _rate(values["rfqs_quoted"], values["rfqs_routed"])
        values["coverage"] = _rate(values["suppliers_certified"], values["suppliers"])
        months.append({"month": month, **values})
    category_rows = list(
        BeltCategoryMonth.objects.filter(belt=belt, month__gte=start)
        .select_related("category")
        .order_by("month", "category__position", "category__name_en")
    )
    categories: dict[int, dict[str, Any]] = {}
    price_index = []
    category_months = [
        {
            "month": r.month,
            "category": r.category,
            "orders": r.orders,
            "quantity": r.quantity,
            "trade_volume": r.trade_volume,
        }
        for r in category_rows
        if r.orders
    ]
    for row in category_rows:
        entry = categories.setdefault(
            row.category_id, {"category": row.category, "orders": 0, "quantity": 0, "trade_volume": Decimal("0")}
        )
        entry["orders"] += row.orders
        entry["quantity"] += row.quantity
        entry["trade_volume"] += row.trade_volume
        if row.median_unit_price is not None:
            price_index.append(
                {
                    "month": row.month,
                    "category": row.category,
                    "reference_quantity": row.reference_quantity,
                    "median_unit_price": row.median_unit_price,
                    "priced_listings": row.priced_listings,
                }
            )
    countries = list(
        BeltCountryMonth.objects.filter(belt=belt, month__gte=start)
        .order_by()
        .values("country")
        .annotate(orders=Sum("orders"), trade_volume=Sum("trade_volume"), buyers=Sum("buyers"))
        .order_by("-orders", "country")
    )
    latest = months[-1]
    totals = {
        "orders": sum(m["orders"] for m in months),
        "trade_volume": sum((m["trade_volume"] for m in months), Decimal("0")),
        "inquiries": sum(m["inquiries"] for m in months),
        "applications": sum(m["applications"] for m in months),
        "submissions": sum(m["submissions"] for m in months),
        "certifications": sum(m["certifications"] for m in months),
        "invitations": sum(m["invitations"] for m in months),
        "suppliers": latest["suppliers"],
        "suppliers_certified": latest["suppliers_certified"],
        "suppliers_origin": latest["suppliers_origin"],
        "listings_public": latest["listings_public"],
        "coverage": latest["coverage"],
    }
    totals["response_rate"] = _rate(sum(m["inquiries_answered_24h"] for m in months), totals["inquiries"])
    totals["conversion"] = _rate(totals["certifications"], totals["applications"])
    return BeltAnalytics(
        months=months,
        categories=sorted(categories.values(), key=lambda c: (-c["trade_volume"], c["category"].name_en)),
        category_months=category_months,
        price_index=price_index,
        countries=countries,
        totals=totals,
        start=start,
        end=end,
    )


def belt_list_for_analytics(*, user: User) -> QuerySet[Belt]:
    """The belts whose analytics `user` may read (staff: all)."""
    if user.is_staff:
        return Belt.objects.order_by("position", "name_en")
    return Belt.objects.filter(operators__user=user).order_by("position", "name_en")
