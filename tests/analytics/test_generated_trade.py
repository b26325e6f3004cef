"""The analytics over a year of generated trade (generate_catalog --trade, small): the backfill's
daily rows add up to the orders, inquiries and RFQ routings it read, and the busiest supplier's and
its belt's analytics pages and API stay within their budgets."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from analytics.models import BeltMonth, SupplierDay
from buyers.models import Inquiry
from orders.models import Order, RfqRecipient
from suppliers.models import BeltOperator, SupplierMember
from tests import factories as f
from tests.conftest import client_for
from tests.demo.conftest import demo_catalog  # noqa: F401
from tests.demo.test_generate_trade import _generate

pytestmark = pytest.mark.django_db


def test_the_backfill_reads_a_year_of_generated_trade_and_the_pages_stay_within_budget(
    demo_catalog,  # noqa: F811
    django_assert_max_num_queries,
):
    _generate("--trade")
    call_command("analytics_backfill", "2025-11-01", "2026-12-31")

    days = SupplierDay.objects.aggregate(orders=Sum("orders"), inquiries=Sum("inquiries"), rfqs=Sum("rfqs_received"))
    assert days["orders"] == Order.objects.exclude(status=Order.Status.CANCELLED).count() > 0
    assert days["inquiries"] == Inquiry.objects.count() > 0
    assert days["rfqs"] == RfqRecipient.objects.count() > 0
    assert BeltMonth.objects.filter(orders__gt=0).values("month").distinct().count() >= 10  # a year, month by month

    busiest = Order.objects.values("supplier").annotate(n=Count("id")).order_by("-n", "supplier")[0]["supplier"]
    member = SupplierMember.objects.filter(supplier_id=busiest).first().user
    belt = member.supplier_membership.supplier.belt
    operator = BeltOperator.objects.filter(belt=belt).first() or f.BeltOperatorFactory(belt=belt)
    for user, path, budget in (
        (member, "/dashboard/supplier/analytics/?period=365", 9),
        (member, "/api/v1/me/analytics/?period=365", 8),
        (operator.user, f"/dashboard/belt/{belt.slug}/analytics/", 6),
        (operator.user, f"/api/v1/belts/{belt.slug}/analytics/", 6),
    ):
        client = client_for(user)
        with django_assert_max_num_queries(budget):
            response = client.get(path)
        assert response.status_code == 200, path
