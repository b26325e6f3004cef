"""The buyer dashboard's trade sections (orders' inclusion tags): open orders, RFQs with their quote
counts, quotes waiting for a decision — of the viewer's own company only — in a fixed number of queries.

Cast: `buyer` buys for company A; `other_buyer` for company B, whose trade must never show on A's page.
"""

import pytest
from django.urls import reverse

from orders.models import Order, Quote
from tests.conftest import client_for
from tests.orders.factories import in_days, make_rfq, order_at, quote_for, supplier_with_member

DASHBOARD = reverse("buyers:dashboard")


def html_of(user) -> str:
    response = client_for(user).get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_open_orders_show_status_supplier_and_link_but_not_finished_ones(buyer, supplier):
    shipped = order_at("shipped", buyer=buyer, supplier=supplier)
    placed = order_at("placed", buyer=buyer, supplier=supplier)
    done = order_at("completed", buyer=buyer, supplier=supplier)
    cancelled = order_at("cancelled", buyer=buyer, supplier=supplier)
    html = html_of(buyer)
    assert html.count('data-testid="dashboard-order"') == 2
    assert f'href="{shipped.get_absolute_url()}"' in html and f'href="{placed.get_absolute_url()}"' in html
    assert "Shipped" in html and "Placed" in html and supplier.name_en in html
    assert done.number not in html and cancelled.number not in html
    assert html.index(placed.number) < html.index(shipped.number)  # newest first


def test_at_most_five_open_orders_are_shown(buyer, supplier):
    orders = [order_at("confirmed", buyer=buyer, supplier=supplier) for _ in range(7)]
    html = html_of(buyer)
    assert html.count('data-testid="dashboard-order"') == 5
    assert orders[-1].number in html and orders[0].number not in html


def test_rfqs_show_status_and_number_of_quotes(buyer, category):
    s1, m1 = supplier_with_member()
    s2, m2 = supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2], title="Fibre laser 3 kW, 40 units")
    quote_for(rfq, m1)
    quote_for(rfq, m2)
    make_rfq(buyer, category=category, title="Galvo scanner heads")
    html = html_of(buyer)
    assert html.count('data-testid="dashboard-rfq"') == 2
    assert "Fibre laser 3 kW, 40 units" in html and "2 quotes" in html and "0 quotes" in html
    assert f'href="{rfq.get_absolute_url()}"' in html and "Open" in html


def test_quotes_waiting_counts_submitted_valid_quotes_on_open_rfqs_only(buyer, category):
    suppliers = [supplier_with_member() for _ in range(4)]
    rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in suppliers])
    _waiting, declined, withdrawn, expired = (quote_for(rfq, m) for _s, m in suppliers)
    Quote.objects.filter(pk=declined.pk).update(status=Quote.Status.DECLINED)
    Quote.objects.filter(pk=withdrawn.pk).update(status=Quote.Status.WITHDRAWN)
    Quote.objects.filter(pk=expired.pk).update(valid_until=in_days(-1))
    html = html_of(buyer)
    assert "1 quote waits for your decision." in html
    assert f'href="{reverse("orders:rfq_list")}"' in html
    rfq.status = rfq.Status.CLOSED
    rfq.save(update_fields=["status"])
    assert "No quotes are waiting for your decision." in html_of(buyer)


def test_another_companys_orders_rfqs_and_quotes_never_show(buyer, other_buyer, supplier, category):
    theirs = order_at("placed", buyer=other_buyer, supplier=supplier)
    s1, m1 = supplier_with_member()
    their_rfq = make_rfq(other_buyer, category=category, routed_to=[s1], title="Their secret sourcing")
    quote_for(their_rfq, m1)
    html = html_of(buyer)
    assert theirs.number not in html and "Their secret sourcing" not in html
    assert 'data-testid="dashboard-no-orders"' in html and 'data-testid="dashboard-no-rfqs"' in html
    assert "No quotes are waiting for your decision." in html
    other = html_of(other_buyer)
    assert theirs.number in other and "Their secret sourcing" in other and "1 quote waits" in other


def test_empty_dashboard_explains_each_section_in_words(buyer):
    html = html_of(buyer)
    assert "No orders in progress." in html
    assert "No requests for quotation yet." in html
    assert "No quotes are waiting for your decision." in html
    assert f'href="{reverse("buyers:team")}"' in html


def test_dashboard_is_404_for_people_who_buy_for_no_company(outsider, supplier_member):
    assert client_for(outsider).get(DASHBOARD).status_code == 404
    assert client_for(supplier_member).get(DASHBOARD).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_dashboard_query_count_does_not_grow_with_orders_rfqs_or_quotes(
    n, buyer, company, supplier, category, belt, django_assert_num_queries
):
    for _ in range(n):
        order_at("paid", buyer=buyer, supplier=supplier)
    routed = [supplier_with_member(belt=belt) for _ in range(n)]
    for _ in range(n):
        rfq = make_rfq(buyer, category=category, routed_to=[s for s, _m in routed])
        for _s, member in routed:
            quote_for(rfq, member)
    client = client_for(buyer)
    client.get(DASHBOARD)  # belt figures are counted on a belt's first view
    # session, user, company, unread count, latest threads, saved suppliers, belts,
    # + waiting quotes (COUNT), open orders with suppliers, RFQs with quote counts
    # (the navigation reuses the view's unread count)
    with django_assert_num_queries(10):
        html = client.get(DASHBOARD).content.decode()
    assert html.count('data-testid="dashboard-order"') == min(n, 5)
    assert Order.objects.filter(buyer=company).count() == n
