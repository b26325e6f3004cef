"""POST/GET /api/v1/orders/: idempotency (200 replay, 422 other body, 400 without a key), server
prices, who may place and see, the query budget, and the schema."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from orders.models import Order, Purchase
from tests import factories as f

from .factories import PLACING_TERMS as TERMS
from .factories import listing_with, place

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(listing, quantity=10, **extra):
    return {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": quantity}], **TERMS, **extra}


def test_place_answers_201_with_the_purchase_and_its_orders(buyer, listing, other_listing):
    data = {
        **body(listing),
        "lines": [{"listing": listing.pk, "quantity": 100}, {"listing": other_listing.pk, "quantity": 5}],
    }
    response = api(buyer).post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 201, response.json()
    orders = response.json()["orders"]
    assert len(orders) == 2
    totals = sorted(Decimal(o["total"]) for o in orders)
    assert totals == [Decimal("62.50"), Decimal("9000.00")]
    assert Purchase.objects.get().source == "api"


def test_a_price_sent_by_the_client_is_ignored(buyer, listing):
    data = body(listing)
    data["lines"][0] |= {"unit_price": "0.01", "line_total": "0.10"}
    data |= {"total": "0.10", "subtotal": "0.10"}
    response = api(buyer).post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 201
    order = Order.objects.get()
    assert order.total == Decimal("1000.00") and order.lines.get().unit_price == Decimal("100.00")


def test_same_key_same_body_answers_200_with_the_same_purchase(buyer, listing):
    client = api(buyer)
    first = client.post(URL, body(listing), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = client.post(URL, body(listing), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Order.objects.count() == 1


def test_same_key_other_body_answers_422(buyer, listing):
    client = api(buyer)
    client.post(URL, body(listing), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    response = client.post(URL, body(listing, quantity=20), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 422
    assert "already used" in response.json()["detail"]
    assert Order.objects.count() == 1


def test_missing_key_answers_400(buyer, listing):
    response = api(buyer).post(URL, body(listing), format="json")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert not Purchase.objects.exists()


def test_broken_quantity_rule_answers_400_with_the_rule(buyer, listing):
    response = api(buyer).post(URL, body(listing, quantity=3), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    answer = response.json()
    # The words of the listing page and the cart, and the nearest order as data.
    assert "The minimum order is 10 pieces (you entered 3). Nearest you can order: 10 pieces." in answer["detail"]
    assert answer["nearest"] == [[{"variant": None, "quantity": 10}]]


def test_an_order_too_large_for_its_totals_answers_400_with_the_limit_not_a_server_error(buyer, supplier, category):
    costly = listing_with(supplier, category, tiers=((1, "99999.99"),))
    response = api(buyer).post(URL, body(costly, quantity=999_999_999), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert "the most one order can hold" in response.json()["detail"]
    assert not Purchase.objects.exists()


def test_bad_fields_answer_400_by_field(buyer, listing):
    response = api(buyer).post(
        URL, body(listing, incoterm="XXX", ship_to_country="QQ"), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 400 and "incoterm" in response.json()


def test_only_buyers_place_orders_and_anonymous_gets_401(supplier_member, operator, listing):
    assert api().post(URL, body(listing), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code in (401, 403)
    assert api().get(URL).status_code in (401, 403)
    for user in (supplier_member, operator):
        response = api(user).post(URL, body(listing), format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 403
    assert not Order.objects.exists()


def test_list_shows_a_buyer_its_company_orders_and_a_supplier_its_own(
    buyer, listing, other_listing, supplier_member, other_member
):
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    stranger = f.BuyerMemberFactory().user
    place(buyer, [(listing, None, 10), (other_listing, None, 5)])
    place(stranger, [(listing, None, 10)])
    mine = {o["number"] for o in api(colleague).get(URL).json()["results"]}
    assert mine == set(Order.objects.filter(buyer=buyer.buyer_membership.company).values_list("number", flat=True))
    theirs = api(other_member).get(URL).json()["results"]
    assert [o["supplier"]["slug"] for o in theirs] == [other_listing.supplier.slug]
    assert len(api(supplier_member).get(URL).json()["results"]) == 2


def test_list_query_budget_does_not_grow_with_orders(buyer, listing, other_listing, django_assert_num_queries):
    client = api(buyer)
    place(buyer, [(listing, None, 10), (other_listing, None, 5)])
    with django_assert_num_queries(1):  # the orders with buyer and supplier joined (auth is forced)
        assert len(client.get(URL).json()["results"]) == 2
    for _ in range(5):
        place(buyer, [(listing, None, 10), (other_listing, None, 5)])
    with django_assert_num_queries(1):
        assert len(client.get(URL).json()["results"]) == 12


def test_schema_documents_orders_create_with_the_header(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/orders/"]["post"]
    assert operation["operationId"] == "orders_create"
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert schema["paths"]["/api/v1/orders/"]["get"]["operationId"] == "orders_list"
