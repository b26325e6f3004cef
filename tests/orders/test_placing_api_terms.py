"""POST /api/v1/orders/ with checkout terms: payment terms, deposit and billing address for every
order, `suppliers` giving one supplier's orders their own Incoterm, place, note, payment terms and
deposit; net terms refused to a company not approved for credit; a supplier with nothing in the
request, or named twice, refused with 400 and a clear message; a supplier's refused terms reported
at its entry; the schema documents all of it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Order, Purchase

from .factories import PLACING_TERMS as TERMS

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(listing, other_listing, **extra):
    lines = [{"listing": listing.pk, "quantity": 10}, {"listing": other_listing.pk, "quantity": 10}]
    return {"kind": "bulk", "lines": lines, **TERMS, **extra}


def post(user, data, key="terms-1"):
    return api(user).post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_each_supplier_s_order_gets_the_terms_sent_for_it(buyer, listing, other_listing):
    data = body(
        listing,
        other_listing,
        payment_terms="lc",
        billing_address="Accounts payable\nDamrak 1, Amsterdam",
        suppliers=[
            {"supplier": listing.supplier_id, "incoterm": "CIF", "incoterm_place": "Rotterdam",
             "payment_terms": "deposit", "deposit_percent": 30, "note": "Wooden crates"},
        ],
    )  # fmt: skip
    response = post(buyer, data)
    assert response.status_code == 201, response.json()
    orders = {o["supplier"]["id"]: o for o in response.json()["orders"]}
    cif, rest = orders[listing.supplier_id], orders[other_listing.supplier_id]
    assert (cif["incoterm"], cif["incoterm_place"], cif["payment_terms"], cif["deposit_percent"]) == (
        "CIF", "Rotterdam", "deposit", 30,
    )  # fmt: skip
    assert (rest["incoterm"], rest["incoterm_place"], rest["payment_terms"], rest["deposit_percent"]) == (
        "FOB", "Wuhan", "lc", None,
    )  # fmt: skip
    placed = {order.supplier_id: order for order in Order.objects.all()}
    assert placed[listing.supplier_id].note == "Wooden crates" and placed[other_listing.supplier_id].note == ""
    assert {order.billing_address for order in placed.values()} == {"Accounts payable\nDamrak 1, Amsterdam"}


def test_a_deposit_for_every_order_and_the_same_key_and_body_answer_the_same_purchase(buyer, listing, other_listing):
    data = body(listing, other_listing, payment_terms="deposit", deposit_percent=50)
    first, again = post(buyer, data), post(buyer, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert {(o.payment_terms, o.deposit_percent) for o in Order.objects.all()} == {("deposit", 50)}
    changed = post(buyer, {**data, "suppliers": [{"supplier": listing.supplier_id, "payment_terms": "lc"}]})
    assert changed.status_code == 422 and Purchase.objects.count() == 1


def test_net_terms_are_refused_to_a_company_not_approved_for_credit(buyer, listing, other_listing):
    response = post(buyer, body(listing, other_listing, payment_terms="net30"))
    assert response.status_code == 400
    assert list(response.json()) == ["payment_terms"]
    assert "approved for credit" in response.json()["payment_terms"][0]

    response = post(
        buyer,
        body(listing, other_listing, suppliers=[
            {"supplier": other_listing.supplier_id, "incoterm": "EXW"},
            {"supplier": listing.supplier_id, "payment_terms": "net60"},
        ]),
    )  # fmt: skip
    assert response.status_code == 400
    assert list(response.json()) == ["suppliers"]
    assert list(response.json()["suppliers"]) == ["1"]  # the second entry's, as DRF keys a list's errors
    second = response.json()["suppliers"]["1"]
    assert list(second) == ["payment_terms"] and "approved for credit" in second["payment_terms"][0]
    assert not Order.objects.exists() and not Purchase.objects.exists()


def test_net_terms_are_open_to_an_approved_company(buyer, listing, other_listing):
    company = buyer.buyer_membership.company
    company.net_terms_approved = True
    company.save()
    response = post(
        buyer, body(listing, other_listing, suppliers=[{"supplier": listing.supplier_id, "payment_terms": "net60"}])
    )
    assert response.status_code == 201, response.json()
    assert Order.objects.get(supplier_id=listing.supplier_id).payment_terms == "net60"


def test_a_deposit_without_its_percent_is_refused_at_the_supplier_s_entry(buyer, listing, other_listing):
    response = post(
        buyer, body(listing, other_listing, suppliers=[{"supplier": listing.supplier_id, "payment_terms": "deposit"}])
    )
    assert response.status_code == 400
    assert list(response.json()["suppliers"]["0"]) == ["deposit_percent"]
    response = post(buyer, body(listing, other_listing, payment_terms="deposit", deposit_percent=95))
    assert response.status_code == 400 and "deposit_percent" in response.json()


def test_an_unknown_supplier_or_one_with_nothing_in_the_order_is_refused_with_a_clear_message(
    buyer, listing, other_listing, category
):
    from tests import factories as f

    stranger = f.SupplierFactory()
    for supplier_id in (stranger.pk, 987654):
        response = post(buyer, body(listing, other_listing, suppliers=[{"supplier": supplier_id, "incoterm": "CIF"}]))
        assert response.status_code == 400
        assert response.json() == {
            "suppliers": [f"Terms were given for supplier {supplier_id}, which has no listing in this order."]
        }
    assert not Purchase.objects.exists()


def test_a_supplier_named_twice_and_unknown_terms_are_refused(buyer, listing, other_listing):
    twice = [{"supplier": listing.supplier_id, "incoterm": "CIF"}, {"supplier": listing.supplier_id}]
    response = post(buyer, body(listing, other_listing, suppliers=twice))
    assert response.status_code == 400 and response.json() == {"suppliers": ["Name each supplier once."]}
    response = post(
        buyer, body(listing, other_listing, suppliers=[{"supplier": listing.supplier_id, "incoterm": "XYZ"}])
    )
    assert response.status_code == 400 and list(response.json()["suppliers"]["0"]) == ["incoterm"]
    response = post(buyer, body(listing, other_listing, payment_terms="barter"))
    assert response.status_code == 400 and "payment_terms" in response.json()
    assert not Purchase.objects.exists()


def test_the_listing_api_gives_the_supplier_id_a_request_names(client, listing):
    row = client.get("/api/v1/listings/").json()["results"][0]
    assert row["supplier"]["id"] == listing.supplier_id


def test_the_schema_documents_the_terms_and_the_suppliers_entries(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/orders/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    request = schema["components"]["schemas"][ref]["properties"]
    assert {"payment_terms", "deposit_percent", "billing_address", "suppliers"} <= set(request)
    assert "approved for credit" in request["payment_terms"]["description"]
    entry_ref = request["suppliers"]["items"]["$ref"].rsplit("/", 1)[1]
    entry = schema["components"]["schemas"][entry_ref]
    assert set(entry["properties"]) == {
        "supplier", "incoterm", "incoterm_place", "note", "payment_terms", "deposit_percent",
    }  # fmt: skip
    assert entry["required"] == ["supplier"]
    assert "keyed by that entry's index" in operation["responses"]["400"]["description"]
