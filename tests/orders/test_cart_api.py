"""The cart and checkout API (orders/api/cart.py): the cart page's services over JSON. Adding is
judged by the listing's rules (refusals carry `errors` and `nearest`), lines change and go, checkout
places the cart with the orders API's terms and empties it once per key, and each role sees its
own: another buyer's line is 404, a supplier 403, anonymous 403; the cart read has a fixed budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from orders.models import CartLine, Order, Purchase
from tests import factories as f

from .factories import PLACING_TERMS as TERMS
from .factories import listing_with

pytestmark = pytest.mark.django_db

CART, ITEMS, CHECKOUT = "/api/v1/cart/", "/api/v1/cart/items/", "/api/v1/cart/checkout/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def add(client, listing, quantity, **extra):
    return client.post(ITEMS, {"listing": listing.pk, "quantities": [{"quantity": quantity}], **extra}, format="json")


def test_add_puts_the_quantity_in_and_the_cart_prices_it_live(buyer, listing):
    response = add(api(buyer), listing, 100)
    assert response.status_code == 200, response.json()
    cart = response.json()
    assert cart["can_checkout"] is True
    [group] = cart["groups"]
    [item] = group["items"]
    assert (group["supplier"]["id"], group["currency"], group["subtotal"]) == (listing.supplier_id, "CNY", "9000.00")
    assert (item["listing"], item["quantity"], item["unit_price"], item["problems"]) == (listing.pk, 100, "90.00", [])
    assert CartLine.objects.get(user=buyer).quantity == 100


def test_adding_again_replaces_the_quantity(buyer, listing):
    client = api(buyer)
    add(client, listing, 100)
    add(client, listing, 20)
    assert list(CartLine.objects.filter(user=buyer).values_list("quantity", flat=True)) == [20]


def test_a_quantity_the_rules_refuse_answers_400_with_the_nearest_and_changes_nothing(buyer, listing):
    response = add(api(buyer), listing, 3)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] and body["nearest"] == [[{"variant": None, "quantity": 10}]]
    assert not CartLine.objects.exists()


def test_a_listing_not_on_sale_answers_404(buyer, supplier, category):
    draft = listing_with(supplier, category, status="draft")
    assert add(api(buyer), draft, 10).status_code == 404


def test_patch_changes_a_line_and_delete_removes_it(buyer, listing):
    client = api(buyer)
    add(client, listing, 100)
    line = CartLine.objects.get(user=buyer)
    changed = client.patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": 50}, format="json")
    assert changed.status_code == 200 and changed.json()["groups"][0]["items"][0]["unit_price"] == "100.00"
    refused = client.patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": 5}, format="json")
    assert refused.status_code == 400 and CartLine.objects.get(pk=line.pk).quantity == 50
    gone = client.delete(f"/api/v1/cart/lines/{line.pk}/")
    assert gone.status_code == 200 and gone.json() == {"groups": [], "can_checkout": False}


def test_another_buyers_line_answers_404(buyer, listing):
    add(api(buyer), listing, 100)
    line = CartLine.objects.get(user=buyer)
    other = f.BuyerMemberFactory().user
    assert api(other).patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": 20}, format="json").status_code == 404
    assert api(other).delete(f"/api/v1/cart/lines/{line.pk}/").status_code == 404
    assert CartLine.objects.get(pk=line.pk).quantity == 100


def test_a_supplier_gets_403_and_anonymous_403(supplier_member, listing):
    for response in (
        api(supplier_member).get(CART),
        add(api(supplier_member), listing, 100),
        api(supplier_member).post(CHECKOUT, TERMS, format="json", HTTP_IDEMPOTENCY_KEY="k"),
        api().get(CART),
        add(api(), listing, 100),
    ):
        assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_checkout_places_the_cart_with_the_terms_and_empties_it_once_per_key(buyer, listing, other_listing):
    client = api(buyer)
    add(client, listing, 100)
    add(client, other_listing, 5)
    cif = {"supplier": other_listing.supplier_id, "incoterm": "CIF", "incoterm_place": "Rotterdam"}
    body = {**TERMS, "payment_terms": "deposit", "deposit_percent": 30, "suppliers": [cif]}
    first = client.post(CHECKOUT, body, format="json", HTTP_IDEMPOTENCY_KEY="co-1")
    assert first.status_code == 201, first.json()
    orders = {o["supplier"]["id"]: o for o in first.json()["orders"]}
    assert orders[listing.supplier_id]["incoterm"] == "FOB" and orders[other_listing.supplier_id]["incoterm"] == "CIF"
    assert {o["payment_terms"] for o in orders.values()} == {"deposit"}
    assert not CartLine.objects.exists()
    again = client.post(CHECKOUT, body, format="json", HTTP_IDEMPOTENCY_KEY="co-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert client.post(CHECKOUT, {**body, "note": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="co-1").status_code == 422
    assert Purchase.objects.get().source == "cart" and Order.objects.count() == 2


def test_checkout_needs_a_key_and_a_cart(buyer):
    client = api(buyer)
    assert client.post(CHECKOUT, TERMS, format="json").status_code == 400
    empty = client.post(CHECKOUT, TERMS, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    assert not Purchase.objects.exists()


def test_cart_read_has_a_fixed_query_budget(buyer, supplier, category):
    client = api(buyer)
    for _ in range(3):
        add(client, listing_with(supplier, category), 100)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CART).status_code == 200
    for _ in range(6):
        add(client, listing_with(supplier, category), 100)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(CART).json()["groups"][0]["items"]) == 9
    assert len(few) == len(many) <= 6
