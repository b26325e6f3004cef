"""The analytics job's figures against hand-made trade: what counts on which day, idempotence,
a cancellation undone by the next run, views kept, belt months and the price index."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from analytics.models import (
    BeltCategoryMonth,
    BeltCountryMonth,
    BeltMonth,
    CategoryReference,
    ListingDay,
    SupplierBuyerDay,
    SupplierDay,
)
from analytics.services.compute import analytics_compute, belt_months_compute, supplier_days_compute
from catalog.exchange import ExchangeRate
from catalog.models import PriceTier
from orders.models import Order
from tests import factories as f

from .factories import at, buyer_company, inquiry, order, quote, rfq_routed

pytestmark = pytest.mark.django_db

D1 = datetime.date(2026, 11, 3)
D2 = datetime.date(2026, 11, 4)


def _day(supplier, day):
    return SupplierDay.objects.get(supplier=supplier, day=day)


def test_supplier_day_counts_inquiries_rfqs_and_orders_on_their_days(supplier, supplier_member, category):
    nl, de = buyer_company("NL"), buyer_company("DE")
    inquiry(supplier=supplier, buyer=nl, when=at(D1, 9), answered_after=datetime.timedelta(minutes=90))
    inquiry(supplier=supplier, buyer=de, when=at(D1, 11), answered_after=datetime.timedelta(minutes=30))
    inquiry(supplier=supplier, buyer=de, when=at(D1, 12))  # never answered
    rfq = rfq_routed(supplier=supplier, buyer=nl, category=category, when=at(D1, 8))
    quote(rfq=rfq, supplier=supplier, member=supplier_member, when=at(D2, 9), won_at=at(D2, 15))
    order(supplier=supplier, buyer=nl, when=at(D2, 10), total="1000.00")
    order(supplier=supplier, buyer=nl, when=at(D2, 11), total="500.00")
    order(supplier=supplier, buyer=de, when=at(D2, 12), total="700.00", status=Order.Status.CANCELLED)

    supplier_days_compute(start=D1, end=D2)

    first, second = _day(supplier, D1), _day(supplier, D2)
    assert (first.inquiries, first.inquiries_answered, first.response_minutes) == (3, 2, 120)
    assert (first.rfqs_received, first.rfqs_quoted, first.rfqs_won) == (1, 0, 0)
    assert (second.rfqs_quoted, second.rfqs_won) == (1, 1)
    assert (second.orders, second.revenue) == (2, Decimal("1500.00"))  # the cancelled order does not count
    buyers = SupplierBuyerDay.objects.get(supplier=supplier, day=D2)
    assert (buyers.buyer_id, buyers.country, buyers.orders) == (nl.pk, "NL", 2)


def test_a_day_belongs_to_the_site_time_zone_not_utc(supplier):
    # 00:30 in Shanghai on D2 is 16:30 UTC on D1: it counts on D2.
    order(supplier=supplier, buyer=buyer_company(), when=at(D2, 0, 30))
    supplier_days_compute(start=D1, end=D2)
    assert not SupplierDay.objects.filter(supplier=supplier, day=D1).exists()
    assert _day(supplier, D2).orders == 1


def test_recompute_is_idempotent_and_follows_a_later_cancellation_but_keeps_views(supplier):
    placed = order(supplier=supplier, buyer=buyer_company(), when=at(D1))
    supplier_days_compute(start=D1, end=D1)
    SupplierDay.objects.filter(supplier=supplier, day=D1).update(listing_views=7, profile_views=3)
    supplier_days_compute(start=D1, end=D1)
    assert SupplierDay.objects.filter(supplier=supplier).count() == 1
    assert _day(supplier, D1).orders == 1

    Order.objects.filter(pk=placed.pk).update(status=Order.Status.CANCELLED)
    supplier_days_compute(start=D1, end=D1)
    day = _day(supplier, D1)
    assert (day.orders, day.revenue, day.listing_views, day.profile_views) == (0, 0, 7, 3)
    assert not SupplierBuyerDay.objects.filter(supplier=supplier).exists()


def test_revenue_in_another_currency_is_converted_at_the_rate_of_its_day(supplier):
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.000000"), valid_on=D1 - datetime.timedelta(days=10))
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.200000"), valid_on=D2)
    order(supplier=supplier, buyer=buyer_company(), when=at(D1), total="100.00", currency="USD")
    order(supplier=supplier, buyer=buyer_company(), when=at(D2), total="100.00", currency="USD")
    order(supplier=supplier, buyer=buyer_company(), when=at(D2), total="100.00", currency="EUR")  # no rate: no revenue
    supplier_days_compute(start=D1, end=D2)
    assert _day(supplier, D1).revenue == Decimal("700.00")
    assert (_day(supplier, D2).orders, _day(supplier, D2).revenue) == (2, Decimal("720.00"))


def test_listing_days_count_the_listings_inquiries_and_order_lines(supplier, category):
    listing = f.ListingFactory(supplier=supplier, category=category)
    buyer = buyer_company()
    inquiry(supplier=supplier, buyer=buyer, when=at(D1), listing=listing)
    order(supplier=supplier, buyer=buyer, when=at(D1), total="300.00", listing=listing)
    supplier_days_compute(start=D1, end=D1)
    row = ListingDay.objects.get(listing=listing, day=D1)
    assert (row.supplier_id, row.inquiries, row.orders, row.revenue) == (supplier.pk, 1, 1, Decimal("300.00"))


def test_belt_month_counts_trade_response_and_onboarding(belt, supplier, other_supplier, category):
    nl = buyer_company("NL")
    inquiry(supplier=supplier, buyer=nl, when=at(D1), answered_after=datetime.timedelta(hours=2))
    inquiry(supplier=other_supplier, buyer=nl, when=at(D1), answered_after=datetime.timedelta(hours=30))
    order(supplier=supplier, buyer=nl, when=at(D1), total="1000.00")
    order(supplier=other_supplier, buyer=buyer_company("US"), when=at(D2), total="2000.00")
    belt_months_compute(start=D1, end=D2)
    month = BeltMonth.objects.get(belt=belt, month=D1.replace(day=1))
    assert (month.orders, month.trade_volume, month.buyers) == (2, Decimal("3000.00"), 2)
    assert (month.inquiries, month.inquiries_answered_24h) == (2, 1)
    countries = dict(BeltCountryMonth.objects.filter(belt=belt).values_list("country", "orders"))
    assert countries == {"NL": 1, "US": 1}


def test_price_index_reads_the_tier_at_the_reference_quantity_and_keeps_the_reference(belt, supplier, category):
    for moq, prices in ((10, ("100.00", "80.00")), (10, ("120.00", "90.00")), (50, ("200.00", "150.00"))):
        listing = f.ListingFactory(supplier=supplier, category=category, moq=moq, status="published")
        PriceTier.objects.filter(listing=listing).delete()
        PriceTier.objects.create(listing=listing, min_quantity=moq, unit_price=Decimal(prices[0]))
        PriceTier.objects.create(listing=listing, min_quantity=100, unit_price=Decimal(prices[1]))
    today = datetime.date.today()
    belt_months_compute(start=today, end=today)
    reference = CategoryReference.objects.get(category=category)
    assert reference.quantity == 10  # the median MOQ when the index began
    row = BeltCategoryMonth.objects.filter(belt=belt, category=category).get()
    # at 10: 100, 120, and 200 (the third's MOQ of 50 is what a buyer must take) → median 120
    assert (row.reference_quantity, row.median_unit_price, row.priced_listings) == (10, Decimal("120.00"), 3)

    # The reference stays when the listings change: history compares like with like.
    f.ListingFactory(supplier=supplier, category=category, moq=500, tiers=[(500, Decimal("50.00"))])
    belt_months_compute(start=today, end=today)
    assert CategoryReference.objects.get(category=category).quantity == 10


def test_backfill_command_computes_a_range_month_by_month(supplier, capsys):
    order(supplier=supplier, buyer=buyer_company(), when=at(datetime.date(2026, 9, 30)))
    order(supplier=supplier, buyer=buyer_company(), when=at(datetime.date(2026, 10, 1)))
    call_command("analytics_backfill", "2026-09-01", "2026-10-31")
    assert SupplierDay.objects.filter(supplier=supplier, orders=1).count() == 2
    assert "2 supplier days" in capsys.readouterr().out


def test_analytics_compute_twice_writes_the_same_rows(supplier, category):
    nl = buyer_company("NL")
    order(supplier=supplier, buyer=nl, when=at(D1))
    inquiry(supplier=supplier, buyer=nl, when=at(D2))
    analytics_compute(start=D1, end=D2)
    first = list(SupplierDay.objects.order_by("day").values()), list(BeltMonth.objects.values("orders", "inquiries"))
    analytics_compute(start=D1, end=D2)
    second = list(SupplierDay.objects.order_by("day").values()), list(BeltMonth.objects.values("orders", "inquiries"))
    assert first == second


def _event(supplier, kind, when):
    """A SupplierEvent at `when` (the table refuses UPDATE, and auto_now_add would stamp now)."""
    from django.db import connection

    from suppliers.models import SupplierEvent

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SupplierEvent._meta.db_table}"  # noqa: S608
            " (supplier_id, kind, from_level, to_level, reason, data, created_at)"
            " VALUES (%s, %s, '', '', '', '{}', %s)",
            [supplier.pk, kind, when],
        )


def test_belt_month_counts_the_onboarding_and_the_median_days_in_each_stage(belt):
    from suppliers.models import Supplier, SupplierEvent

    month = datetime.date(2026, 11, 1)
    quick, slow, turned_down = (f.ApplicantSupplierFactory(belt=belt) for _ in range(3))
    for supplier, started in ((quick, at(D1)), (slow, at(D1)), (turned_down, at(D1))):
        Supplier.objects.filter(pk=supplier.pk).update(created_at=started)
    _event(quick, SupplierEvent.Kind.SUBMITTED, at(D1 + datetime.timedelta(days=2)))
    _event(quick, SupplierEvent.Kind.CERTIFIED, at(D1 + datetime.timedelta(days=5)))
    _event(slow, SupplierEvent.Kind.SUBMITTED, at(D1 + datetime.timedelta(days=6)))
    _event(slow, SupplierEvent.Kind.CERTIFIED, at(D1 + datetime.timedelta(days=16)))
    _event(slow, SupplierEvent.Kind.CERTIFIED, at(D1 + datetime.timedelta(days=20)))  # a renewal: not a first
    _event(turned_down, SupplierEvent.Kind.SUBMITTED, at(D1 + datetime.timedelta(days=4)))
    _event(turned_down, SupplierEvent.Kind.REJECTED, at(D1 + datetime.timedelta(days=9)))

    belt_months_compute(start=D1, end=D1 + datetime.timedelta(days=25))
    row = BeltMonth.objects.get(belt=belt, month=month)
    assert (row.applications, row.submissions, row.certifications, row.rejections) == (3, 3, 2, 1)
    assert row.days_to_submit == Decimal("4.0")  # 2, 4, 6 days
    assert row.days_to_certify == Decimal("6.5")  # 3 and 10 days


def test_backfill_without_dates_computes_the_last_year(supplier, capsys):
    order(supplier=supplier, buyer=buyer_company(), when=at(datetime.date.today() - datetime.timedelta(days=300)))
    call_command("analytics_backfill")
    assert SupplierDay.objects.filter(supplier=supplier, orders=1).count() == 1
