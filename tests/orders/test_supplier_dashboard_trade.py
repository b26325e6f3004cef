"""The supplier dashboard's trade summary: orders waiting for the supplier's action,
new RFQ opportunities and unread inquiries, for certified suppliers only, each supplier seeing its
own only, in a fixed number of queries however many rows there are.

Alice (`supplier_member`, of `supplier`) and Bob (`other_member`, of `other_supplier`) each have
orders, opportunities and an inquiry; neither may see the other's.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from buyers.services.inquiries import inquiry_start
from orders.models import Order, Rfq
from orders.selectors.dashboard import order_waiting_for_supplier, rfq_opportunities_new_for_supplier
from orders.services.rfq import rfq_cancel
from suppliers.models import Supplier
from tests.conftest import client_for

from .factories import in_days, make_rfq, order_at, quote_for

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/supplier/"


@pytest.fixture
def world(buyer, category, supplier, supplier_member, other_supplier, other_member):
    """Orders in every status for Alice's supplier, one waiting order of Bob's, and RFQs routed to
    them in every state that matters for "new opportunity"."""
    orders = {status: order_at(status, buyer=buyer, supplier=supplier) for status in Order.Status.values}
    orders["placed_2"] = order_at("placed", buyer=buyer, supplier=supplier)
    theirs = order_at("placed", buyer=buyer, supplier=other_supplier)
    new = make_rfq(buyer, category=category, routed_to=[supplier, other_supplier], title="Our new opportunity")
    due_today = make_rfq(
        buyer, category=category, routed_to=[supplier], title="Due today", deadline=timezone.localdate()
    )
    quoted = make_rfq(buyer, category=category, routed_to=[supplier], title="Already quoted")
    quote_for(quoted, supplier_member)
    past = make_rfq(buyer, category=category, routed_to=[supplier], title="Deadline passed")
    Rfq.objects.filter(pk=past.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    cancelled = make_rfq(buyer, category=category, routed_to=[supplier], title="Cancelled request")
    rfq_cancel(rfq=cancelled, actor=buyer, reason="Postponed")
    only_theirs = make_rfq(buyer, category=category, routed_to=[other_supplier], title="Rival opportunity")
    return {"orders": orders, "theirs": theirs, "new": new, "due_today": due_today, "only_theirs": only_theirs}


def test_waiting_orders_are_the_suppliers_placed_and_paid_ones_with_counts(world, supplier, other_supplier):
    waiting = order_waiting_for_supplier(supplier=supplier)
    orders = world["orders"]
    assert (waiting.to_confirm, waiting.to_ship) == (2, 1)
    assert [o.pk for o in waiting.latest] == [orders["placed_2"].pk, orders["paid"].pk, orders["placed"].pk]
    theirs = order_waiting_for_supplier(supplier=other_supplier)
    assert (theirs.to_confirm, theirs.to_ship, [o.pk for o in theirs.latest]) == (1, 0, [world["theirs"].pk])


def test_waiting_orders_show_the_latest_five_but_count_them_all(buyer, supplier):
    for _ in range(7):
        order_at("placed", buyer=buyer, supplier=supplier)
    waiting = order_waiting_for_supplier(supplier=supplier)
    assert waiting.to_confirm == 7 and len(waiting.latest) == 5
    assert waiting.latest == sorted(waiting.latest, key=lambda o: (o.created_at, o.pk), reverse=True)


def test_nothing_waiting_counts_zero(supplier):
    waiting = order_waiting_for_supplier(supplier=supplier)
    assert (waiting.to_confirm, waiting.to_ship, waiting.latest) == (0, 0, [])
    assert rfq_opportunities_new_for_supplier(supplier=supplier).count == 0


def test_new_opportunities_are_open_routed_to_the_supplier_not_quoted_and_not_past_the_deadline(
    world, supplier, other_supplier
):
    mine = rfq_opportunities_new_for_supplier(supplier=supplier)
    assert mine.count == 2
    assert {r.rfq_id for r in mine.latest} == {world["new"].pk, world["due_today"].pk}
    theirs = rfq_opportunities_new_for_supplier(supplier=other_supplier)
    assert {r.rfq_id for r in theirs.latest} == {world["new"].pk, world["only_theirs"].pk}


def test_new_opportunities_show_the_latest_five_but_count_them_all(buyer, category, supplier):
    for n in range(6):
        make_rfq(buyer, category=category, routed_to=[supplier], title=f"Request {n}")
    found = rfq_opportunities_new_for_supplier(supplier=supplier)
    assert found.count == 6 and len(found.latest) == 5


def test_the_dashboard_shows_the_suppliers_own_trade_summary(world, buyer, supplier, supplier_member):
    inquiry_start(buyer=buyer.buyer_membership.company, actor=buyer, supplier=supplier, subject="Samples", body="Hi")
    response = client_for(supplier_member).get(DASHBOARD)
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="trade-summary"' in html
    assert "2 to confirm" in html and "1 to ship" in html
    for key in ("placed", "placed_2", "paid"):
        assert world["orders"][key].get_absolute_url() in html
    for key in ("confirmed", "shipped", "delivered", "completed", "cancelled"):
        assert f'data-order="{world["orders"][key].number}"' not in html
    assert f"{reverse('orders:supplier_order_list')}?status=placed" in html
    assert "Our new opportunity" in html and "Due today" in html
    assert reverse("orders:rfq_opportunity", args=[world["new"].pk]) in html
    for title in ("Already quoted", "Deadline passed", "Cancelled request"):
        assert title not in html
    assert 'data-testid="dashboard-unread-inquiries"' in html and "1 inquiry has messages" in html
    assert 'href="/dashboard/inquiries/"' in html


def test_the_dashboard_never_shows_another_suppliers_orders_or_opportunities(world, other_member):
    html = client_for(other_member).get(DASHBOARD).text
    assert world["theirs"].number in html and "Rival opportunity" in html  # Bob's own
    for order in world["orders"].values():
        assert order.number not in html
    assert "Due today" not in html  # routed to Alice only
    assert 'data-testid="dashboard-unread-inquiries"' not in html  # Alice's inquiry is not Bob's


@pytest.mark.parametrize("status", [Supplier.Status.SUSPENDED, Supplier.Status.UNDER_VERIFICATION])
def test_only_certified_suppliers_get_the_trade_summary(world, supplier, supplier_member, status):
    Supplier.objects.filter(pk=supplier.pk).update(status=status)
    response = client_for(supplier_member).get(DASHBOARD)
    assert response.status_code == 200
    assert 'data-testid="trade-summary"' not in response.text and "Our new opportunity" not in response.text


@pytest.mark.parametrize("n", [1, 8])
def test_the_certified_dashboards_queries_are_fixed_however_many_rows(
    buyer, category, supplier, supplier_member, django_assert_num_queries, n
):
    """session, user, supplier, listings, the navigation's unread count (reused by the summary),
    waiting orders with their counts, new opportunities with their count: 7, for 1 row or 8 of each."""
    for i in range(n):
        order_at("placed" if i % 2 else "paid", buyer=buyer, supplier=supplier)
        make_rfq(buyer, category=category, routed_to=[supplier], title=f"Request {i}", deadline=in_days(5 + i))
        inquiry_start(
            buyer=buyer.buyer_membership.company, actor=buyer, supplier=supplier, subject=f"Question {i}", body="Hi"
        )
    client = client_for(supplier_member)
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)
    assert response.text.count('data-testid="dashboard-waiting-order"') == min(n, 5)
    assert response.text.count('data-testid="dashboard-new-rfq"') == min(n, 5)
