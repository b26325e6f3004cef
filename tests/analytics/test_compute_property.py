"""Rules of the analytics job over random trade (hypothesis): over any window of days, the daily
rows add up to counting the source rows directly; and computing a range in pieces, in any order,
writes what computing it whole does."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.models import SupplierBuyerDay, SupplierDay
from analytics.services.compute import supplier_days_compute
from buyers.models import Inquiry
from orders.models import Order

from .factories import TZ, at, buyer_company, inquiry, order

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 10, 1)
DAYS = 12
moments = st.tuples(st.integers(0, DAYS - 1), st.integers(0, 23), st.integers(0, 59))
orders_st = st.lists(
    st.tuples(moments, st.integers(1, 5000), st.booleans(), st.integers(0, 2)), max_size=12
)  # (when, total, cancelled, buyer)
inquiries_st = st.lists(st.tuples(moments, st.one_of(st.none(), st.integers(1, 3000))), max_size=8)
windows = st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)).map(sorted)


def _when(moment):
    day, hour, minute = moment
    return at(START + datetime.timedelta(days=day), hour, minute)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orders=orders_st, inquiries=inquiries_st, window=windows, cuts=st.lists(st.integers(0, DAYS - 1), max_size=3))
def test_daily_rows_add_up_to_the_source_rows_over_any_window(supplier, orders, inquiries, window, cuts):
    sid = transaction.savepoint_create()
    try:
        buyers = [buyer_company(c) for c in ("NL", "US", "DE")]
        for moment, total, cancelled, who in orders:
            order(
                supplier=supplier, buyer=buyers[who], when=_when(moment), total=f"{total}.00",
                status=Order.Status.CANCELLED if cancelled else Order.Status.PLACED,
            )  # fmt: skip
        for moment, minutes in inquiries:
            answered = None if minutes is None else datetime.timedelta(minutes=minutes)
            inquiry(supplier=supplier, buyer=buyers[0], when=_when(moment), answered_after=answered)

        # Computed in pieces (cut at random days, the pieces in reverse order) ...
        edges = sorted({0, *cuts, DAYS})
        pieces = [(edges[i], edges[i + 1] - 1) for i in range(len(edges) - 1) if edges[i] <= edges[i + 1] - 1]
        for first, last in reversed(pieces):
            supplier_days_compute(
                start=START + datetime.timedelta(days=first), end=START + datetime.timedelta(days=last)
            )
        in_pieces = list(SupplierDay.objects.order_by("day").values())
        # ... is what computing it whole writes.
        supplier_days_compute(start=START, end=START + datetime.timedelta(days=DAYS - 1))
        assert list(SupplierDay.objects.order_by("day").values()) == in_pieces

        a, b = (START + datetime.timedelta(days=n) for n in window)
        rows = SupplierDay.objects.filter(supplier=supplier, day__gte=a, day__lte=b).aggregate(
            orders=Sum("orders"), revenue=Sum("revenue"), inquiries=Sum("inquiries"), answered=Sum("inquiries_answered")
        )
        since = datetime.datetime.combine(a, datetime.time.min, tzinfo=TZ)
        until = datetime.datetime.combine(b + datetime.timedelta(days=1), datetime.time.min, tzinfo=TZ)
        source = Order.objects.filter(supplier=supplier, created_at__gte=since, created_at__lt=until).exclude(
            status=Order.Status.CANCELLED
        )
        assert (rows["orders"] or 0) == source.count()
        assert (rows["revenue"] or Decimal("0")) == (source.aggregate(t=Sum("total"))["t"] or Decimal("0"))
        asked = Inquiry.objects.filter(supplier=supplier, created_at__gte=since, created_at__lt=until)
        assert (rows["inquiries"] or 0) == asked.count()
        assert (rows["answered"] or 0) == asked.exclude(first_supplier_reply_at=None).count()
        by_buyer = SupplierBuyerDay.objects.filter(supplier=supplier, day__gte=a, day__lte=b).aggregate(n=Sum("orders"))
        assert (by_buyer["n"] or 0) == source.count()
    finally:
        transaction.savepoint_rollback(sid)
