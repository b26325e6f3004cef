"""The analytics job: daily and monthly aggregates recomputed from the source tables.

`analytics_compute(start=, end=)` recomputes every supplier's days and every belt's months that
touch [start, end] from inquiries, RFQ routings and quotes, orders and their lines, suppliers and
their events, invitations and listings. It is idempotent: running it twice over the same range
writes the same rows. The hourly beat job recomputes the last `ANALYTICS_RECOMPUTE_DAYS` days
(replies, quotes, awards and cancellations change recent days); `manage.py analytics_backfill`
computes any range.

What counts (the pages' help text says the same):
- a day is a calendar day in Asia/Shanghai (`TIME_ZONE`);
- an inquiry counts on the day it was started; it is "answered" once the supplier has replied,
  with the minutes to that first reply (a belt's "answered within 24 hours" as on the profile);
- an RFQ is "received" on the day it was routed to the supplier, "quoted" on the day of the
  supplier's quote (a later withdrawal still counts), "won" on the day the buyer accepted it;
- an order counts on the day it was placed unless it has been cancelled since; its revenue is its
  total in CNY at the rate staff set for that day (orders in a currency without a rate add none);
- views are not computed here: `services.views` adds them as they are counted.
"""

# The SQL below is built from model table names only; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from belts.models import Belt
from buyers.models import BuyerCompany, Inquiry
from catalog.exchange import ExchangeRate
from catalog.models import BeltFigures, Listing, PriceTier
from orders.models import Order, OrderLine, Quote, RfqRecipient
from suppliers.levels import CertificationLevel
from suppliers.models import Invitation, Supplier, SupplierEvent

from ..models import (
    BeltCategoryMonth,
    BeltCountryMonth,
    BeltMonth,
    CategoryReference,
    ListingDay,
    SupplierBuyerDay,
    SupplierDay,
)

ZERO = Decimal("0")
SUPPLIER_TRADE_FIELDS = [
    "inquiries", "inquiries_answered", "response_minutes", "rfqs_received", "rfqs_quoted", "rfqs_won", "orders",
    "revenue",
]  # fmt: skip
LISTING_TRADE_FIELDS = ["inquiries", "orders", "revenue"]
ORIGIN_LEVELS = (CertificationLevel.CERTIFIED_ORIGIN, CertificationLevel.AUDITED_FACTORY)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _day(column: str) -> str:
    """SQL: the calendar day of timestamp `column` in the site's time zone (the first parameter)."""
    return f"(({column}) AT TIME ZONE %s)::date"


def _order_cny(alias: str, amount: str) -> str:
    """SQL: `amount` of order `alias` in CNY at the latest rate on or before the order's day."""
    return f"""({amount} * CASE WHEN {alias}.currency = 'CNY' THEN 1 ELSE (
        SELECT r.rate FROM {ExchangeRate._meta.db_table} AS r
         WHERE r.currency = {alias}.currency AND r.valid_on <= ({alias}.created_at AT TIME ZONE %s)::date
         ORDER BY r.valid_on DESC, r.created_at DESC, r.id DESC LIMIT 1) END)"""  # nosec B608


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants that begin `start` and end `end` (exclusive) in the site's time zone."""
    tz = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


@transaction.atomic
def supplier_days_compute(*, start: datetime.date, end: datetime.date) -> int:
    """Recompute the trade columns of every supplier's and listing's days in [start, end] and the
    buyer days; view counts are kept. Returns how many supplier days hold figures."""
    tz = settings.TIME_ZONE
    since, until = _bounds(start, end)
    supplier_days: dict[tuple[int, datetime.date], dict[str, Any]] = defaultdict(dict)
    listing_days: dict[tuple[int, datetime.date], dict[str, Any]] = defaultdict(dict)

    for supplier_id, day, total, answered, minutes in _rows(
        f"""
        SELECT supplier_id, {_day("created_at")}, count(*),
               count(first_supplier_reply_at),
               coalesce(sum(round(extract(epoch FROM first_supplier_reply_at - created_at) / 60)), 0)
          FROM {Inquiry._meta.db_table}
         WHERE created_at >= %s AND created_at < %s
         GROUP BY 1, 2
        """,  # nosec B608
        [tz, since, until],
    ):
        supplier_days[supplier_id, day].update(
            inquiries=total, inquiries_answered=answered, response_minutes=int(minutes)
        )
    for listing_id, supplier_id, day, total in _rows(
        f"""
        SELECT listing_id, supplier_id, {_day("created_at")}, count(*)
          FROM {Inquiry._meta.db_table}
         WHERE created_at >= %s AND created_at < %s AND listing_id IS NOT NULL
         GROUP BY 1, 2, 3
        """,  # nosec B608
        [tz, since, until],
    ):
        listing_days[listing_id, day].update(supplier_id=supplier_id, inquiries=total)

    for supplier_id, day, total in _rows(
        f"""
        SELECT supplier_id, {_day("routed_at")}, count(*) FROM {RfqRecipient._meta.db_table}
         WHERE routed_at >= %s AND routed_at < %s GROUP BY 1, 2
        """,  # nosec B608
        [tz, since, until],
    ):
        supplier_days[supplier_id, day]["rfqs_received"] = total
    for supplier_id, day, total in _rows(
        f"""
        SELECT supplier_id, {_day("created_at")}, count(*) FROM {Quote._meta.db_table}
         WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2
        """,  # nosec B608
        [tz, since, until],
    ):
        supplier_days[supplier_id, day]["rfqs_quoted"] = total
    for supplier_id, day, total in _rows(
        f"""
        SELECT supplier_id, {_day("decided_at")}, count(*) FROM {Quote._meta.db_table}
         WHERE status = %s AND decided_at >= %s AND decided_at < %s GROUP BY 1, 2
        """,  # nosec B608
        [tz, Quote.Status.ACCEPTED, since, until],
    ):
        supplier_days[supplier_id, day]["rfqs_won"] = total

    for supplier_id, day, total, revenue in _rows(
        f"""
        SELECT o.supplier_id, {_day("o.created_at")}, count(*), coalesce(sum({_order_cny("o", "o.total")}), 0)
          FROM {Order._meta.db_table} AS o
         WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s
         GROUP BY 1, 2
        """,  # nosec B608
        [tz, tz, Order.Status.CANCELLED, since, until],
    ):
        supplier_days[supplier_id, day].update(orders=total, revenue=Decimal(revenue).quantize(Decimal("0.01")))
    for listing_id, supplier_id, day, total, revenue in _rows(
        f"""
        SELECT l.listing_id, o.supplier_id, {_day("o.created_at")}, count(DISTINCT o.id),
               coalesce(sum({_order_cny("o", "l.line_total")}), 0)
          FROM {OrderLine._meta.db_table} AS l
          JOIN {Order._meta.db_table} AS o ON o.id = l.order_id
         WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s AND l.listing_id IS NOT NULL
         GROUP BY 1, 2, 3
        """,  # nosec B608
        [tz, tz, Order.Status.CANCELLED, since, until],
    ):
        listing_days[listing_id, day].update(
            supplier_id=supplier_id, orders=total, revenue=Decimal(revenue).quantize(Decimal("0.01"))
        )

    # Days that had figures and now have none (an order cancelled since) go back to zero; views stay.
    SupplierDay.objects.filter(day__gte=start, day__lte=end).update(
        **{field: ZERO if field == "revenue" else 0 for field in SUPPLIER_TRADE_FIELDS}
    )
    ListingDay.objects.filter(day__gte=start, day__lte=end).update(
        **{field: ZERO if field == "revenue" else 0 for field in LISTING_TRADE_FIELDS}
    )
    SupplierDay.objects.bulk_create(
        [SupplierDay(supplier_id=s, day=d, **values) for (s, d), values in supplier_days.items()],
        update_conflicts=True,
        unique_fields=["supplier", "day"],
        update_fields=SUPPLIER_TRADE_FIELDS,
        batch_size=1000,
    )
    ListingDay.objects.bulk_create(
        [ListingDay(listing_id=pk, day=d, **values) for (pk, d), values in listing_days.items()],
        update_conflicts=True,
        unique_fields=["listing", "day"],
        update_fields=LISTING_TRADE_FIELDS,
        batch_size=1000,
    )

    SupplierBuyerDay.objects.filter(day__gte=start, day__lte=end).delete()
    SupplierBuyerDay.objects.bulk_create(
        [
            SupplierBuyerDay(
                supplier_id=supplier_id,
                buyer_id=buyer_id,
                day=day,
                country=country,
                orders=total,
                revenue=Decimal(revenue).quantize(Decimal("0.01")),
            )
            for supplier_id, buyer_id, day, country, total, revenue in _rows(
                f"""
                SELECT o.supplier_id, o.buyer_id, {_day("o.created_at")}, b.country, count(*),
                       coalesce(sum({_order_cny("o", "o.total")}), 0)
                  FROM {Order._meta.db_table} AS o
                  JOIN {BuyerCompany._meta.db_table} AS b ON b.id = o.buyer_id
                 WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s
                 GROUP BY 1, 2, 3, 4
                """,  # nosec B608
                [tz, tz, Order.Status.CANCELLED, since, until],
            )
        ],
        batch_size=1000,
    )
    return len(supplier_days)


def _median(values: list[float]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Decimal(str(round(value, 1)))


def _reference_quantities(category_ids: set[int]) -> dict[int, int]:
    """Each category's reference quantity, setting the missing ones to the median MOQ of its
    published listings now (kept from then on: see CategoryReference)."""
    known = dict(CategoryReference.objects.filter(category_id__in=category_ids).values_list("category_id", "quantity"))
    missing = category_ids - set(known)
    if missing:
        for category_id, quantity in _rows(
            f"""
            SELECT category_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY moq)
              FROM {Listing._meta.db_table}
             WHERE status = %s AND category_id = ANY(%s) GROUP BY 1
            """,  # nosec B608
            [Listing.Status.PUBLISHED, list(missing)],
        ):
            CategoryReference.objects.get_or_create(category_id=category_id, defaults={"quantity": max(1, quantity)})
            known[category_id] = max(1, quantity)
    return known


@transaction.atomic
def belt_months_compute(*, start: datetime.date, end: datetime.date, now: datetime.datetime | None = None) -> int:
    """Recompute every belt's months that touch [start, end]; the snapshot columns and the price
    index of the current month only. Returns how many belt months hold figures."""
    now = now or timezone.now()
    tz = settings.TIME_ZONE
    first, last = _month(start), _month(end)
    since, until = _bounds(first, _next_month(last) - datetime.timedelta(days=1))
    current = _month(timezone.localdate(now))
    belts = dict(Belt.objects.values_list("pk", "slug"))
    months: dict[tuple[int, datetime.date], dict[str, Any]] = defaultdict(dict)

    def month_of(column: str) -> str:
        return f"date_trunc('month', ({column}) AT TIME ZONE %s)::date"

    supplier_table, event_table = Supplier._meta.db_table, SupplierEvent._meta.db_table
    for belt_id, month, total in _rows(
        f"SELECT belt_id, {month_of('created_at')}, count(*) FROM {Invitation._meta.db_table} "
        "WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2",  # nosec B608
        [tz, since, until],
    ):
        months[belt_id, month]["invitations"] = total
    for belt_id, month, total in _rows(
        f"SELECT belt_id, {month_of('created_at')}, count(*) FROM {supplier_table} "
        "WHERE created_at >= %s AND created_at < %s GROUP BY 1, 2",  # nosec B608
        [tz, since, until],
    ):
        months[belt_id, month]["applications"] = total
    # First submission and first certification of each company: the onboarding's milestones.
    milestones = f"""
        SELECT s.belt_id, s.created_at AS started,
               min(e.created_at) FILTER (WHERE e.kind = %s) AS submitted,
               min(e.created_at) FILTER (WHERE e.kind = %s) AS certified,
               array_agg(e.created_at) FILTER (WHERE e.kind = %s AND e.created_at >= %s AND e.created_at < %s)
                   AS rejections
          FROM {supplier_table} AS s JOIN {event_table} AS e ON e.supplier_id = s.id
         GROUP BY s.id
    """  # nosec B608
    submit_days: dict[tuple[int, datetime.date], list[float]] = defaultdict(list)
    certify_days: dict[tuple[int, datetime.date], list[float]] = defaultdict(list)
    local = timezone.get_default_timezone()
    for belt_id, started, submitted, certified, rejections in _rows(
        milestones,
        [SupplierEvent.Kind.SUBMITTED, SupplierEvent.Kind.CERTIFIED, SupplierEvent.Kind.REJECTED, since, until],
    ):
        if submitted and since <= submitted < until:
            key = (belt_id, _month(timezone.localtime(submitted, local).date()))
            months[key]["submissions"] = months[key].get("submissions", 0) + 1
            submit_days[key].append((submitted - started).total_seconds() / 86400)
        if certified and since <= certified < until:
            key = (belt_id, _month(timezone.localtime(certified, local).date()))
            months[key]["certifications"] = months[key].get("certifications", 0) + 1
            if submitted:
                certify_days[key].append(max(0.0, (certified - submitted).total_seconds() / 86400))
        for rejected_at in rejections or []:
            key = (belt_id, _month(timezone.localtime(rejected_at, local).date()))
            months[key]["rejections"] = months[key].get("rejections", 0) + 1
    for key, values in submit_days.items():
        months[key]["days_to_submit"] = _median(values)
    for key, values in certify_days.items():
        months[key]["days_to_certify"] = _median(values)

    order_table = Order._meta.db_table
    for belt_id, month, total, volume, buyers in _rows(
        f"""
        SELECT s.belt_id, {month_of("o.created_at")}, count(*), coalesce(sum({_order_cny("o", "o.total")}), 0),
               count(DISTINCT o.buyer_id)
          FROM {order_table} AS o JOIN {supplier_table} AS s ON s.id = o.supplier_id
         WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s
         GROUP BY 1, 2
        """,  # nosec B608
        [tz, tz, Order.Status.CANCELLED, since, until],
    ):
        months[belt_id, month].update(
            orders=total, trade_volume=Decimal(volume).quantize(Decimal("0.01")), buyers=buyers
        )
    for belt_id, month, total, answered in _rows(
        f"""
        SELECT s.belt_id, {month_of("i.created_at")}, count(*),
               count(*) FILTER (WHERE i.first_supplier_reply_at <= i.created_at + interval '24 hours')
          FROM {Inquiry._meta.db_table} AS i JOIN {supplier_table} AS s ON s.id = i.supplier_id
         WHERE i.created_at >= %s AND i.created_at < %s GROUP BY 1, 2
        """,  # nosec B608
        [tz, since, until],
    ):
        months[belt_id, month].update(inquiries=total, inquiries_answered_24h=answered)
    for belt_id, month, total, quoted in _rows(
        f"""
        SELECT s.belt_id, {month_of("r.routed_at")}, count(*), count(q.id)
          FROM {RfqRecipient._meta.db_table} AS r
          JOIN {supplier_table} AS s ON s.id = r.supplier_id
          LEFT JOIN {Quote._meta.db_table} AS q ON q.rfq_id = r.rfq_id AND q.supplier_id = r.supplier_id
         WHERE r.routed_at >= %s AND r.routed_at < %s GROUP BY 1, 2
        """,  # nosec B608
        [tz, since, until],
    ):
        months[belt_id, month].update(rfqs_routed=total, rfqs_quoted=quoted)

    trade_fields = [
        "invitations", "applications", "submissions", "certifications", "rejections", "days_to_submit",
        "days_to_certify", "orders", "trade_volume", "buyers", "inquiries", "inquiries_answered_24h", "rfqs_routed",
        "rfqs_quoted", "computed_at",
    ]  # fmt: skip
    snapshot_fields = ["suppliers", "suppliers_certified", "suppliers_origin", "listings_public"]
    if first <= current <= last:
        listings = dict(BeltFigures.objects.values_list("belt_id", "listings"))
        for belt_id, total, certified, origin in _rows(
            f"""
            SELECT belt_id, count(*), count(*) FILTER (WHERE status = %s),
                   count(*) FILTER (WHERE status = %s AND certification_level = ANY(%s))
              FROM {supplier_table} GROUP BY 1
            """,  # nosec B608
            [Supplier.Status.CERTIFIED, Supplier.Status.CERTIFIED, list(ORIGIN_LEVELS)],
        ):
            months[belt_id, current].update(
                suppliers=total,
                suppliers_certified=certified,
                suppliers_origin=origin,
                listings_public=listings.get(belt_id, 0),
            )

    BeltMonth.objects.filter(month__gte=first, month__lte=last).update(
        **{f: (None if f.startswith("days_") else ZERO if f == "trade_volume" else 0) for f in trade_fields[:-1]}
    )
    BeltMonth.objects.bulk_create(
        [BeltMonth(belt_id=b, month=m, computed_at=now, **values) for (b, m), values in months.items() if b in belts],
        update_conflicts=True,
        unique_fields=["belt", "month"],
        update_fields=trade_fields + (snapshot_fields if first <= current <= last else []),
        batch_size=1000,
    )
    _belt_category_months_compute(first=first, last=last, since=since, until=until, current=current)
    _belt_country_months_compute(first=first, last=last, since=since, until=until)
    # The public statistics pages are cached by version: their belts' figures changed now.
    scopes = [f"stats:{slug}" for slug in belts.values()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pagecache_bump(%s)", [scopes])
    return len(months)


def _belt_category_months_compute(
    *, first: datetime.date, last: datetime.date, since: datetime.datetime, until: datetime.datetime,
    current: datetime.date,
) -> None:  # fmt: skip
    tz = settings.TIME_ZONE
    rows: dict[tuple[int, int, datetime.date], dict[str, Any]] = defaultdict(dict)
    for belt_id, category_id, month, total, quantity, volume in _rows(
        f"""
        SELECT s.belt_id, li.category_id, date_trunc('month', o.created_at AT TIME ZONE %s)::date,
               count(DISTINCT o.id), sum(l.quantity), coalesce(sum({_order_cny("o", "l.line_total")}), 0)
          FROM {OrderLine._meta.db_table} AS l
          JOIN {Order._meta.db_table} AS o ON o.id = l.order_id
          JOIN {Listing._meta.db_table} AS li ON li.id = l.listing_id
          JOIN {Supplier._meta.db_table} AS s ON s.id = o.supplier_id
         WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s
         GROUP BY 1, 2, 3
        """,  # nosec B608
        [tz, tz, Order.Status.CANCELLED, since, until],
    ):
        rows[belt_id, category_id, month].update(
            orders=total, quantity=quantity, trade_volume=Decimal(volume).quantize(Decimal("0.01"))
        )
    index_fields: list[str] = []
    if first <= current <= last:
        index_fields = ["reference_quantity", "median_unit_price", "priced_listings"]
        pairs = _rows(
            f"SELECT DISTINCT belt_id, category_id FROM {Listing._meta.db_table} WHERE is_public AND currency = 'CNY'",  # nosec B608
            [],
        )
        references = _reference_quantities({category_id for _, category_id in pairs})
        # The unit price a buyer pays at the reference quantity (or at the MOQ when that is
        # higher): the tier with the largest "from quantity" not above it, else the first tier.
        for belt_id, category_id, median, priced in _rows(
            f"""
            WITH refs AS (SELECT * FROM unnest(%s::int[], %s::int[]) AS r(category_id, quantity)),
                 prices AS (
                   SELECT li.belt_id, li.category_id,
                          coalesce(
                            (SELECT t.unit_price FROM {PriceTier._meta.db_table} AS t
                              WHERE t.listing_id = li.id AND t.min_quantity <= greatest(refs.quantity, li.moq)
                              ORDER BY t.min_quantity DESC LIMIT 1),
                            (SELECT t.unit_price FROM {PriceTier._meta.db_table} AS t
                              WHERE t.listing_id = li.id ORDER BY t.min_quantity LIMIT 1)) AS price
                     FROM {Listing._meta.db_table} AS li JOIN refs ON refs.category_id = li.category_id
                    WHERE li.is_public AND li.currency = 'CNY')
            SELECT belt_id, category_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY price), count(price)
              FROM prices WHERE price IS NOT NULL GROUP BY 1, 2
            """,  # nosec B608
            [list(references), list(references.values())],
        ):
            rows[belt_id, category_id, current].update(
                reference_quantity=references[category_id],
                median_unit_price=Decimal(median).quantize(Decimal("0.01")),
                priced_listings=priced,
            )
    BeltCategoryMonth.objects.filter(month__gte=first, month__lte=last).update(orders=0, quantity=0, trade_volume=ZERO)
    BeltCategoryMonth.objects.bulk_create(
        [BeltCategoryMonth(belt_id=b, category_id=c, month=m, **values) for (b, c, m), values in rows.items()],
        update_conflicts=True,
        unique_fields=["belt", "category", "month"],
        update_fields=["orders", "quantity", "trade_volume", *index_fields],
        batch_size=1000,
    )


def _belt_country_months_compute(
    *, first: datetime.date, last: datetime.date, since: datetime.datetime, until: datetime.datetime
) -> None:
    tz = settings.TIME_ZONE
    BeltCountryMonth.objects.filter(month__gte=first, month__lte=last).delete()
    BeltCountryMonth.objects.bulk_create(
        [
            BeltCountryMonth(
                belt_id=belt_id,
                month=month,
                country=country,
                orders=total,
                buyers=buyers,
                trade_volume=Decimal(volume).quantize(Decimal("0.01")),
            )
            for belt_id, month, country, total, buyers, volume in _rows(
                f"""
                SELECT s.belt_id, date_trunc('month', o.created_at AT TIME ZONE %s)::date, b.country, count(*),
                       count(DISTINCT o.buyer_id), coalesce(sum({_order_cny("o", "o.total")}), 0)
                  FROM {Order._meta.db_table} AS o
                  JOIN {Supplier._meta.db_table} AS s ON s.id = o.supplier_id
                  JOIN {BuyerCompany._meta.db_table} AS b ON b.id = o.buyer_id
                 WHERE o.status <> %s AND o.created_at >= %s AND o.created_at < %s
                 GROUP BY 1, 2, 3
                """,  # nosec B608
                [tz, tz, Order.Status.CANCELLED, since, until],
            )
        ],
        batch_size=1000,
    )


def analytics_compute(*, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Recompute the supplier days in [start, end] and the belt months touching it (idempotent);
    returns (supplier days, belt months) with figures."""
    return supplier_days_compute(start=start, end=end), belt_months_compute(start=start, end=end)


def analytics_recompute_recent() -> tuple[int, int]:
    """The beat job's window: the last ANALYTICS_RECOMPUTE_DAYS days up to today."""
    today = timezone.localdate()
    return analytics_compute(start=today - datetime.timedelta(days=settings.ANALYTICS_RECOMPUTE_DAYS), end=today)
