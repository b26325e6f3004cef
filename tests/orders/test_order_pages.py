"""Order pages: the buyer's list, the supplier's tabs, the detail page and its actions.

Charlie must see nothing: another company's buyer, another supplier's member and a signed-up
outsider get 404 on every page and action of an order that is not theirs.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Order
from tests import factories as f
from tests.conftest import client_for
from tests.orders.factories import OrderLineFactory, order_at

ACTION_URLS = [
    "orders:order_confirm",
    "orders:order_mark_paid",
    "orders:order_ship",
    "orders:order_confirm_delivery",
    "orders:order_complete",
    "orders:order_cancel",
    "orders:order_rate",
]


@pytest.fixture
def other_buyer(db):
    return f.BuyerMemberFactory().user


@pytest.fixture
def order(buyer, supplier):
    return order_at("placed", buyer=buyer, supplier=supplier)


def _post(client, name, order, **data):
    return client.post(reverse(name, args=[order.number]), {"expected_status": order.status, **data})


# --- isolation ----------------------------------------------------------------------------------


def test_strangers_get_404_on_the_detail_pdf_and_every_action(order, other_buyer, other_member, outsider):
    confirmed = order_at("confirmed", buyer=order.placed_by, supplier=order.supplier)
    for person in (other_buyer, other_member, outsider):
        client = client_for(person)
        assert client.get(reverse("orders:order_detail", args=[order.number])).status_code == 404
        assert client.get(reverse("orders:order_pdf", args=[confirmed.number])).status_code == 404
        for name in ACTION_URLS:
            assert _post(client, name, order, reason="x", carrier="x", tracking_number="x", stars=5).status_code == 404
    order.refresh_from_db()
    assert order.status == "placed"


def test_anonymous_visitors_are_sent_to_sign_in(order, client):
    for url in (
        reverse("orders:order_list"),
        reverse("orders:supplier_order_list"),
        reverse("orders:order_detail", args=[order.number]),
        reverse("orders:order_pdf", args=[order.number]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("orders:order_confirm", args=[order.number]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lists_show_only_ones_own_orders(order, buyer, supplier_member, other_buyer, other_member, other_supplier):
    theirs = order_at("placed", buyer=other_buyer, supplier=other_supplier)
    page = client_for(buyer).get(reverse("orders:order_list")).content.decode()
    assert order.number in page and theirs.number not in page
    page = client_for(supplier_member).get(reverse("orders:supplier_order_list")).content.decode()
    assert order.number in page and theirs.number not in page
    page = client_for(other_member).get(reverse("orders:supplier_order_list")).content.decode()
    assert theirs.number in page and order.number not in page


def test_the_supplier_list_is_not_for_buyers_and_the_buyer_list_sends_suppliers_on(buyer, supplier_member, outsider):
    assert client_for(buyer).get(reverse("orders:supplier_order_list")).status_code == 404
    response = client_for(supplier_member).get(reverse("orders:order_list"))
    assert response.status_code == 302 and response["Location"] == reverse("orders:supplier_order_list")
    assert client_for(outsider).get(reverse("orders:order_list")).status_code == 404


def test_actions_answer_405_to_get(order, supplier_member):
    response = client_for(supplier_member).get(reverse("orders:order_confirm", args=[order.number]))
    assert response.status_code == 405


# --- lists ----------------------------------------------------------------------------------------


def test_buyer_list_is_newest_first_and_filters_by_status(buyer, supplier):
    first = order_at("placed", buyer=buyer, supplier=supplier)
    second = order_at("shipped", buyer=buyer, supplier=supplier)
    client = client_for(buyer)
    page = client.get(reverse("orders:order_list")).content.decode()
    assert page.index(second.number) < page.index(first.number)
    page = client.get(reverse("orders:order_list"), {"status": "shipped"}).content.decode()
    assert second.number in page and first.number not in page
    assert client.get(reverse("orders:order_list"), {"status": "nonsense"}).status_code == 200


def test_supplier_tabs_count_and_filter(buyer, supplier, supplier_member):
    placed = order_at("placed", buyer=buyer, supplier=supplier)
    done = order_at("completed", buyer=buyer, supplier=supplier)
    client = client_for(supplier_member)
    response = client.get(reverse("orders:supplier_order_list"))
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert (tabs["open"], tabs["placed"], tabs["completed"], tabs["all"]) == (1, 1, 1, 2)
    page = response.content.decode()
    assert placed.number in page and done.number not in page  # "open" first
    page = client.get(reverse("orders:supplier_order_list"), {"status": "completed"}).content.decode()
    assert done.number in page and placed.number not in page


def _many_orders(buyer, supplier, n):
    for _ in range(n):
        order = order_at("placed", buyer=buyer, supplier=supplier)
        OrderLineFactory(order=order, position=1)


@pytest.mark.parametrize("n", [2, 12])
def test_buyer_list_costs_a_fixed_number_of_queries(n, buyer, supplier, django_assert_num_queries):
    _many_orders(buyer, supplier, n)
    client = client_for(buyer)
    # session, user, membership + company, count, page of orders (buyer and supplier joined)
    with django_assert_num_queries(6):
        assert client.get(reverse("orders:order_list")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_supplier_list_costs_a_fixed_number_of_queries(n, buyer, supplier, supplier_member, django_assert_num_queries):
    _many_orders(buyer, supplier, n)
    client = client_for(supplier_member)
    # session, user, membership + supplier, tab counts, count, page of orders
    with django_assert_num_queries(7):
        assert client.get(reverse("orders:supplier_order_list")).status_code == 200


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_lines_terms_address_history_and_the_buyers_actions(buyer, supplier):
    order = order_at("shipped", buyer=buyer, supplier=supplier, lines=[], incoterm="CIF", incoterm_place="Rotterdam")
    OrderLineFactory(order=order, title="Galvo scanner head", quantity=4, unit_price=Decimal("250.00"))
    response = client_for(buyer).get(reverse("orders:order_detail", args=[order.number]))
    page = response.content.decode()
    assert "Galvo scanner head" in page
    assert "CIF — Cost, insurance and freight" in page and "Rotterdam" in page
    assert "Keizersgracht 1" in page and "Netherlands" in page
    assert "COSU6123456780" in page  # tracking number once shipped
    assert 'data-testid="action-confirm_delivery"' in page
    assert 'data-testid="action-ship"' not in page and 'data-testid="action-cancel"' not in page
    assert response.context["actions"] == ["confirm_delivery"]
    assert 'data-event="placed"' in page


def test_detail_shows_the_supplier_its_own_actions(order, supplier_member):
    response = client_for(supplier_member).get(reverse("orders:order_detail", args=[order.number]))
    assert response.context["actions"] == ["confirm", "cancel"]
    page = response.content.decode()
    assert 'data-testid="action-confirm"' in page and 'data-testid="action-cancel"' in page
    assert 'data-testid="purchase-order-pdf"' not in page  # not before confirmation


@pytest.mark.parametrize("n", [1, 8])
def test_detail_costs_a_fixed_number_of_queries(n, buyer, supplier, supplier_member, django_assert_num_queries):
    order = order_at("paid", buyer=buyer, supplier=supplier, lines=[])
    for position in range(n):
        OrderLineFactory(order=order, position=position)
    client = client_for(supplier_member)
    # session, user, order (+ parties, rating, viewer's side), lines, events with actors
    with django_assert_num_queries(6):
        assert client.get(reverse("orders:order_detail", args=[order.number])).status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_a_reader_sees_each_item_also_under_its_title_in_the_readers_language(
    n, buyer, supplier, supplier_member, django_assert_num_queries
):
    """Lines keep the title the order was placed with (the buyer's English); a Chinese-reading
    supplier sees the listing's Chinese title beside it, at no extra query however many lines."""
    order = order_at("paid", buyer=buyer, supplier=supplier, lines=[])
    for position in range(n):
        listing = f.ListingFactory(
            supplier=supplier, title_en=f"Fibre laser {position}", title_zh=f"光纤激光器{position}"
        )
        OrderLineFactory(order=order, position=position, listing=listing, title=listing.title_en)
    client = client_for(supplier_member)
    with django_assert_num_queries(6):
        html = client.get(reverse("orders:order_detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    html = html.decode()
    assert "Fibre laser 0" in html and "光纤激光器0" in html
    english = client_for(buyer).get(reverse("orders:order_detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="line-title-here"' not in english.content.decode()  # same title: shown once


# --- actions ----------------------------------------------------------------------------------------


def test_supplier_confirms_from_the_page(order, supplier_member):
    response = _post(client_for(supplier_member), "orders:order_confirm", order)
    assert response.status_code == 302 and response["Location"] == reverse("orders:order_detail", args=[order.number])
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_ship_without_tracking_number_keeps_what_was_typed(buyer, supplier, supplier_member):
    order = order_at("paid", buyer=buyer, supplier=supplier)
    response = _post(
        client_for(supplier_member), "orders:order_ship", order, carrier="COSCO Shipping", tracking_number=""
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="COSCO Shipping"' in page
    assert "Enter the tracking number." in page
    order.refresh_from_db()
    assert order.status == "paid"


def test_cancel_without_a_reason_is_refused_and_the_form_stays_open(order, buyer):
    response = _post(client_for(buyer), "orders:order_cancel", order, reason="   ")
    assert response.status_code == 400
    assert "Say why the order is cancelled." in response.content.decode()
    assert response.context["open_form"] == "cancel"
    order.refresh_from_db()
    assert order.status == "placed"


def test_buyer_cancels_with_a_reason(order, buyer):
    response = _post(client_for(buyer), "orders:order_cancel", order, reason="Budget cut")
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.cancel_reason, order.cancelled_by_party) == ("cancelled", "Budget cut", "buyer")


def test_a_step_of_the_other_party_is_refused_with_a_message(order, buyer):
    client = client_for(buyer)
    response = _post(client, "orders:order_confirm", order)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "placed"
    page = client.get(response["Location"]).content.decode()
    assert "Only the supplier can confirm this order." in page


def test_a_stale_page_is_refused_and_says_what_happened(order, buyer, supplier_member):
    from orders.services.transitions import order_confirm

    order_confirm(order=order, actor=supplier_member)
    client = client_for(buyer)
    response = client.post(
        reverse("orders:order_cancel", args=[order.number]), {"expected_status": "placed", "reason": "Too slow"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "confirmed"
    assert "changed meanwhile" in client.get(response["Location"]).content.decode()


def test_rating_with_no_stars_keeps_the_comment(buyer, supplier):
    order = order_at("completed", buyer=buyer, supplier=supplier)
    response = _post(client_for(buyer), "orders:order_rate", order, text="Well packed")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Well packed" in page and "Give 1 to 5 stars." in page
    response = _post(client_for(buyer), "orders:order_rate", order, stars="5", text="Well packed")
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).rating.stars == 5
    page = client_for(buyer).get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert 'data-testid="rating"' in page and 'data-testid="action-rate"' not in page
