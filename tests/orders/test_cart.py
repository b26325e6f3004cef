"""Cart and checkout pages: add from the listing page, grouped live prices and rule messages,
update/remove, checkout with a one-use key, isolation, query budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import ListingVariant
from orders.models import CartLine, Order, Purchase
from tests import factories as f
from tests.conftest import client_for

from .factories import PLACING_TERMS as TERMS
from .factories import CartLineFactory, checkout_page_data, listing_with

pytestmark = pytest.mark.django_db

CART, CHECKOUT = "/cart/", "/checkout/"


def add(client, listing, **data):
    return client.post(reverse("orders:cart_add", args=[listing.pk]), {"kind": "bulk", **data})


def checkout_form(client):
    """The checkout page's form as shown, with a new address typed to ship to."""
    page = client.get(CHECKOUT)
    assert page.status_code == 200
    terms = {name: TERMS[name] for name in ("shipping_address", "ship_to_country")}
    return {**checkout_page_data(page), **terms}


def test_listing_page_shows_the_buy_box_to_buyers_only(client, buyer, supplier, category):
    listing = listing_with(supplier, category, spot_stock=40)
    page = client_for(buyer).get(listing.get_absolute_url())
    assert b'data-testid="add-to-cart-button"' in page.content and b"40 ready to ship" in page.content
    anonymous = client.get(listing.get_absolute_url())
    assert b'data-testid="add-to-cart-button"' not in anonymous.content and b"Sign in as a buyer" in anonymous.content


def test_add_to_cart_and_see_live_tier_prices_and_rule_messages(buyer, listing, other_listing):
    client = client_for(buyer)
    assert add(client, listing, quantity="60").status_code == 302
    add(client, listing, quantity="110")  # adding again replaces: 110 reaches the 100-unit tier
    # A line its listing's rules no longer accept (the MOQ rose after it was added) says so.
    CartLineFactory(user=buyer, listing=other_listing, quantity=3)
    page = client.get(CART)
    assert len(page.context["groups"]) == 2
    content = page.content.decode()
    assert "CNY 90.00" in content and "CNY 9,900.00" in content
    assert "The minimum order is 5 pieces (you entered 3)." in content
    assert "Nearest you can order: 5 pieces." in content
    assert not page.context["can_checkout"]


def test_bad_quantity_goes_back_to_the_listing_with_what_was_typed(buyer, listing):
    response = add(client_for(buyer), listing, quantity="ten")
    assert response.status_code == 302 and "quantity=ten" in response["Location"]
    assert not CartLine.objects.exists()


def test_sample_and_from_stock_lines(buyer, supplier, category):
    listing = listing_with(
        supplier, category, sample_available=True, sample_price=Decimal("20.00"), variants=[{"size": "S"}]
    )
    variant = listing.variants.get()
    client = client_for(buyer)
    add(client, listing, **{f"q-{variant.pk}": "10", f"s-{variant.pk}": "1"})
    assert not CartLine.objects.exists()  # made to order only: refused
    ListingVariant.objects.filter(pk=variant.pk).update(spot_stock=30)
    add(client, listing, **{f"q-{variant.pk}": "10", f"s-{variant.pk}": "1"})
    client.post(reverse("orders:cart_add", args=[listing.pk]), {"kind": "sample", f"q-{variant.pk}": "7"})
    lines = sorted(CartLine.objects.values_list("kind", "quantity", "from_stock"))
    assert lines == [("bulk", 10, True), ("sample", 1, False)]


def test_update_and_remove_lines(buyer, listing):
    client = client_for(buyer)
    add(client, listing, quantity="10")
    line = CartLine.objects.get()
    client.post(reverse("orders:cart_line_update", args=[line.pk]), {"quantity": "30"})
    assert CartLine.objects.get().quantity == 30
    client.post(reverse("orders:cart_line_update", args=[line.pk]), {"remove": "1"})
    assert not CartLine.objects.exists()


def test_another_buyer_cannot_see_or_change_your_cart_or_purchase(buyer, listing):
    client = client_for(buyer)
    add(client, listing, quantity="10")
    line = CartLine.objects.get()
    intruder = client_for(f.BuyerMemberFactory().user)
    assert intruder.get(CART).context["groups"] == []
    response = intruder.post(reverse("orders:cart_line_update", args=[line.pk]), {"quantity": "99"})
    assert response.status_code == 404 and CartLine.objects.get().quantity == 10
    client.post(CHECKOUT, checkout_form(client))
    purchase = Purchase.objects.get()
    assert intruder.get(reverse("orders:checkout_done", args=[purchase.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_suppliers_are_refused(client, supplier_member, listing):
    for url in (CART, CHECKOUT):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert add(client, listing, quantity="10").status_code == 302
    supplier_client = client_for(supplier_member)
    assert supplier_client.get(CART).status_code == 403
    assert add(supplier_client, listing, quantity="10").status_code == 403
    assert supplier_client.post(CHECKOUT, {**TERMS, "idempotency_key": "x"}).status_code == 403
    assert not CartLine.objects.exists() and not Order.objects.exists()


def test_checkout_places_one_order_per_supplier_and_empties_the_cart(buyer, listing, other_listing):
    client = client_for(buyer)
    add(client, listing, quantity="10")
    add(client, other_listing, quantity="5")
    form = checkout_form(client)
    response = client.post(CHECKOUT, form)
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert purchase.source == "cart" and purchase.orders.count() == 2
    assert not CartLine.objects.exists()
    done = client.get(response["Location"])
    for order in purchase.orders.all():
        assert order.number in done.content.decode()


def test_double_submit_of_the_checkout_form_places_one_purchase(buyer, listing):
    client = client_for(buyer)
    add(client, listing, quantity="10")
    form = checkout_form(client)
    first = client.post(CHECKOUT, form)
    second = client.post(CHECKOUT, form)
    assert first["Location"] == second["Location"]
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1


def test_checkout_errors_keep_what_was_typed(buyer, listing):
    client = client_for(buyer)
    CartLineFactory(user=buyer, listing=listing, quantity=3)  # below the MOQ (raised since it was added)
    place = f"incoterm_place-{listing.supplier_id}"
    form = {**checkout_form(client), "shipping_address": "Dam 1, Amsterdam", place: "Port of Ningbo-Zhoushan"}
    response = client.post(CHECKOUT, form)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The minimum order is 10 pieces (you entered 3). Nearest you can order: 10 pieces." in content
    assert "Dam 1, Amsterdam" in content and 'value="Port of Ningbo-Zhoushan"' in content
    response = client.post(CHECKOUT, {**form, "ship_to_country": ""})
    assert response.context["form"].errors["ship_to_country"] == ["Choose a country from the list."]
    assert "Dam 1, Amsterdam" in response.content.decode()
    assert not Purchase.objects.exists()


def _fill_cart(user, count, supplier, category):
    for _ in range(count):
        CartLineFactory(user=user, listing=listing_with(supplier, category), quantity=10)


@pytest.mark.parametrize("url", [CART, CHECKOUT])
def test_cart_and_checkout_query_budget_does_not_grow(
    buyer, supplier, other_supplier, category, url, django_assert_num_queries
):
    client = client_for(buyer)
    _fill_cart(buyer, 2, supplier, category)
    client.get(url)  # warm the session
    with django_assert_num_queries(QUERIES[url]):
        client.get(url)
    _fill_cart(buyer, 6, other_supplier, category)
    with django_assert_num_queries(QUERIES[url]):
        client.get(url)


# session, user, buying company, cart lines (+ listing, supplier, variant), tiers, variants, public ids,
# the day's exchange rates (the subtotals' approximations); checkout: the company's saved addresses
QUERIES = {CART: 9, CHECKOUT: 10}  # with the navigation's unread-inquiries count


def test_adding_again_replaces_and_never_takes_a_line_past_what_an_order_can_hold(buyer, listing):
    """Adding a listing again sets its quantity (it never adds up, so it never overflows); a
    quantity past the largest is refused with a message and the line keeps what it had."""
    client = client_for(buyer)
    assert add(client, listing, quantity="999999999").status_code == 302
    assert add(client, listing, quantity="999,999,999").status_code == 302
    line = CartLine.objects.get()
    assert line.quantity == 999_999_999
    response = add(client, listing, quantity="1000000000")
    assert response.status_code == 302 and "quantity=1000000000" in response["Location"]
    follow = client.get(response["Location"])
    assert "is more than one order can take (at most 999,999,999)" in follow.content.decode()
    line.refresh_from_db()
    assert line.quantity == 999_999_999


def test_a_checkout_too_large_for_an_order_is_refused_with_a_message_and_keeps_the_form(buyer, supplier, category):
    """Quantity × price past an order's total column: the checkout page answers with a message,
    keeps what was typed and places nothing (it failed with a database error before)."""
    big = listing_with(supplier, category, tiers=((1, "9999999999.99"),))
    client = client_for(buyer)
    assert add(client, big, quantity="999999999").status_code == 302
    form = {**checkout_form(client), "shipping_address": "Dam 1, Amsterdam"}
    response = client.post(CHECKOUT, form)
    assert response.status_code == 200
    content = response.content.decode()
    assert "the most one order can hold" in content and "Dam 1, Amsterdam" in content
    assert not Purchase.objects.exists() and not Order.objects.exists()
    assert CartLine.objects.get().quantity == 999_999_999
