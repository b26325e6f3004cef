"""Suppliers' response figures, computed in the background from inquiries, orders and ratings.

What a profile shows (formulas published on /help/response-figures/, template
`suppliers/help_response_figures.html` — keep the two in step):

- inquiry response rate: of the inquiries buyers started in the last 90 days that are at least a
  day old, the share the supplier answered within 24 hours;
- median first response: the median time from an inquiry's start to the supplier's first reply,
  over the inquiries of the last 90 days it answered;
- RFQ response rate: of the requests for quotation routed to the supplier in the last 90 days
  whose deadline has passed or that it quoted, the share it quoted (a withdrawn quote still
  counts as an answer); median time to quote: the median time from routing to its quote over
  the ones it quoted;
- repeat-buyer rate: of the buying companies with an order from the supplier in the last 365 days
  that was not cancelled, the share with two or more such orders;
- rating: the average of the buyers' ratings of completed orders (1–5), with their number;
- disputes: the disputes about its protected orders decided in the last 365 days, and how many of
  them refunded the buyer (in full or in part).

One set-based pass for every supplier (five grouped statements), then one upsert. Run every hour
by beat (`orders-supplier-figures`) and at the end of `seed_demo`.
"""

# The SQL below is built from model table names only; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from celery import shared_task
from django.db import connection
from django.utils import timezone

from buyers.models import Inquiry
from suppliers.models import SupplierFigures

from .models import Dispute, Order, Quote, Rating, Rfq, RfqRecipient

INQUIRY_WINDOW = timedelta(days=90)
ANSWER_WITHIN = timedelta(hours=24)
ORDER_WINDOW = timedelta(days=365)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def supplier_figures_compute(*, now: Any = None) -> int:
    """Compute every supplier's figures from its trade and store them; returns how many suppliers
    have figures. Suppliers without any inquiry, order or rating get none (the profile says so)."""
    now = now or timezone.now()
    figures: dict[int, dict[str, Any]] = {}

    def row(supplier_id: int) -> dict[str, Any]:
        return figures.setdefault(supplier_id, {})

    for supplier_id, total, answered, median_seconds in _rows(
        f"""
        SELECT supplier_id,
               count(*),
               count(*) FILTER (WHERE first_supplier_reply_at <= created_at + %s),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_supplier_reply_at - created_at))
                   FILTER (WHERE first_supplier_reply_at IS NOT NULL)
          FROM {Inquiry._meta.db_table}
         WHERE created_at >= %s AND created_at <= %s
         GROUP BY supplier_id
        """,  # nosec B608
        [ANSWER_WITHIN, now - INQUIRY_WINDOW, now - timedelta(days=1)],
    ):
        row(supplier_id).update(
            inquiries=total,
            inquiry_response_rate=_rate(answered, total),
            inquiry_median_minutes=round(median_seconds / 60) if median_seconds is not None else None,
        )

    for supplier_id, total, quoted, median_seconds in _rows(
        f"""
        SELECT r.supplier_id,
               count(*),
               count(q.id),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.created_at - r.routed_at))
                   FILTER (WHERE q.id IS NOT NULL)
          FROM {RfqRecipient._meta.db_table} AS r
          JOIN {Rfq._meta.db_table} AS rfq ON rfq.id = r.rfq_id
          LEFT JOIN {Quote._meta.db_table} AS q ON q.rfq_id = r.rfq_id AND q.supplier_id = r.supplier_id
         WHERE r.routed_at >= %s AND r.routed_at <= %s AND (rfq.deadline < %s OR q.id IS NOT NULL)
         GROUP BY r.supplier_id
        """,  # nosec B608
        [now - INQUIRY_WINDOW, now, timezone.localdate(now)],
    ):
        row(supplier_id).update(
            rfqs=total,
            rfq_response_rate=_rate(quoted, total),
            rfq_median_minutes=round(median_seconds / 60) if median_seconds is not None else None,
        )

    for supplier_id, buyers, repeat in _rows(
        f"""
        SELECT supplier_id, count(*), count(*) FILTER (WHERE n >= 2)
          FROM (SELECT supplier_id, buyer_id, count(*) AS n
                  FROM {Order._meta.db_table}
                 WHERE status <> %s AND created_at >= %s
                 GROUP BY supplier_id, buyer_id) AS per_buyer
         GROUP BY supplier_id
        """,  # nosec B608
        [Order.Status.CANCELLED, now - ORDER_WINDOW],
    ):
        row(supplier_id).update(buyers=buyers, repeat_buyer_rate=_rate(repeat, buyers))

    for supplier_id, ratings, average in _rows(
        f"SELECT supplier_id, count(*), avg(stars) FROM {Rating._meta.db_table} GROUP BY supplier_id",  # nosec B608
        [],
    ):
        row(supplier_id).update(
            ratings=ratings, rating_average=Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        )

    for supplier_id, resolved, refunded in _rows(
        f"""
        SELECT o.supplier_id, count(*), count(*) FILTER (WHERE d.decision <> %s)
          FROM {Dispute._meta.db_table} AS d
          JOIN {Order._meta.db_table} AS o ON o.id = d.order_id
         WHERE d.status = %s AND d.decided_at >= %s
         GROUP BY o.supplier_id
        """,  # nosec B608
        [Dispute.Decision.RELEASE, Dispute.Status.DECIDED, now - ORDER_WINDOW],
    ):
        row(supplier_id).update(disputes_resolved=resolved, disputes_refunded=refunded)

    fields = [
        "inquiries", "inquiry_response_rate", "inquiry_median_minutes", "rfqs", "rfq_response_rate",
        "rfq_median_minutes", "buyers", "repeat_buyer_rate", "ratings", "rating_average", "disputes_resolved",
        "disputes_refunded", "computed_at",
    ]  # fmt: skip
    objects = [SupplierFigures(supplier_id=pk, computed_at=now, **values) for pk, values in figures.items()]
    SupplierFigures.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["supplier"], update_fields=fields, batch_size=1000
    )
    # A supplier whose trade fell out of every window keeps no stale figures.
    SupplierFigures.objects.exclude(supplier_id__in=list(figures)).delete()
    return len(objects)


@shared_task(ignore_result=True)
def supplier_figures_compute_task() -> int:
    """Hourly: recompute every supplier's response figures (idempotent)."""
    return supplier_figures_compute()
