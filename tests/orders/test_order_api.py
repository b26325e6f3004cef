"""GET /api/v1/orders/<number>/ and the POST of each step: same services, 404 / 403 / 409 / 400."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from orders.models import Order
from tests import factories as f
from tests.orders.factories import OrderLineFactory, order_at

STEPS = ["confirm", "accept-terms", "mark-deposit-paid", "mark-paid", "ship", "confirm-delivery", "complete", "cancel",
         "rate"]  # fmt: skip
BODY = {
    "ship": {"carrier": "COSCO", "tracking_number": "COSU1"},
    "cancel": {"reason": "x"},
    "rate": {"stars": 5},
    "accept-terms": {"expected_total": "1000.00"},
}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail_url(order) -> str:
    return reverse("api:order-detail", args=[order.number])


def step_url(order, step) -> str:
    return reverse(f"api:order-{step}", args=[order.number])


@pytest.fixture
def order(buyer, supplier):
    return order_at("placed", buyer=buyer, supplier=supplier)


def test_each_party_reads_the_order_with_its_own_next_steps(order, buyer, supplier_member):
    data = api(buyer).get(detail_url(order)).json()
    assert (data["number"], data["status"], data["your_party"], data["actions"]) == (
        order.number,
        "placed",
        "buyer",
        ["cancel"],
    )
    assert data["lines"][0]["title"] == "Fiber laser module"
    assert [e["kind"] for e in data["events"]] == ["placed"]
    assert data["purchase_order_url"] is None and data["rating"] is None
    data = api(supplier_member).get(detail_url(order)).json()
    assert (data["your_party"], data["actions"]) == ("supplier", ["confirm", "cancel"])


@pytest.mark.parametrize("step", [None, *STEPS])
def test_strangers_get_404_everywhere(step, order, other_member, outsider):
    for person in (f.BuyerMemberFactory().user, other_member, outsider):
        if step is None:
            response = api(person).get(detail_url(order))
        else:
            response = api(person).post(step_url(order, step), BODY.get(step, {}), format="json")
        assert response.status_code == 404, (person, step)
    order.refresh_from_db()
    assert order.status == "placed"


@pytest.mark.parametrize("step", [None, *STEPS])
def test_anonymous_callers_are_refused(step, order):
    response = api().get(detail_url(order)) if step is None else api().post(step_url(order, step), {}, format="json")
    assert response.status_code in (401, 403)


def test_a_whole_life_over_the_api(order, buyer, supplier_member):
    supplier_api, buyer_api = api(supplier_member), api(buyer)
    assert (
        supplier_api.post(step_url(order, "confirm"), {"expected_status": "placed"}, format="json").status_code == 200
    )
    response = supplier_api.post(step_url(order, "mark-paid"), format="json")
    assert response.status_code == 200 and response.json()["status"] == "paid"
    assert response.json()["purchase_order_url"].endswith(f"/orders/{order.number}/purchase-order.pdf")
    response = supplier_api.post(
        step_url(order, "ship"), {"carrier": "Maersk", "tracking_number": "MAEU123"}, format="json"
    )
    assert response.json()["tracking_number"] == "MAEU123"
    assert buyer_api.post(step_url(order, "confirm-delivery")).status_code == 200
    assert buyer_api.post(step_url(order, "complete")).json()["actions"] == ["rate"]
    response = buyer_api.post(step_url(order, "rate"), {"stars": 4, "text": "Fine"}, format="json")
    assert response.status_code == 201
    assert response.json()["rating"]["stars"] == 4 and response.json()["actions"] == []
    kinds = [e["kind"] for e in response.json()["events"]]
    assert kinds == ["placed", "confirmed", "paid", "shipped", "delivered", "completed", "rated"]


def test_a_step_of_the_other_party_is_403_with_the_reason(order, buyer):
    response = api(buyer).post(step_url(order, "confirm"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the supplier can confirm this order."
    order.refresh_from_db()
    assert order.status == "placed"


def test_a_step_the_status_does_not_allow_is_409(buyer, supplier, supplier_member):
    order = order_at("cancelled", buyer=buyer, supplier=supplier)
    response = api(supplier_member).post(step_url(order, "confirm"))
    assert response.status_code == 409
    assert "Only a placed order can be confirmed" in response.json()["detail"]
    completed = order_at("completed", buyer=buyer, supplier=supplier)
    api(buyer).post(step_url(completed, "rate"), {"stars": 5}, format="json")
    assert api(buyer).post(step_url(completed, "rate"), {"stars": 5}, format="json").status_code == 409


def test_a_stale_expected_status_is_409(order, buyer, supplier_member):
    api(supplier_member).post(step_url(order, "confirm"))
    response = api(buyer).post(step_url(order, "cancel"), {"reason": "x", "expected_status": "placed"}, format="json")
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_bad_input_is_400_by_field(buyer, supplier, supplier_member):
    paid = order_at("paid", buyer=buyer, supplier=supplier)
    response = api(supplier_member).post(step_url(paid, "ship"), {"carrier": "COSCO"}, format="json")
    assert response.status_code == 400 and "tracking_number" in response.json()
    response = api(supplier_member).post(step_url(paid, "cancel"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(supplier_member).post(step_url(paid, "confirm"), {"expected_status": "lost"}, format="json")
    assert response.status_code == 400 and "expected_status" in response.json()
    completed = order_at("completed", buyer=buyer, supplier=supplier)
    response = api(buyer).post(step_url(completed, "rate"), {"stars": 6}, format="json")
    assert response.status_code == 400 and "stars" in response.json()
    paid.refresh_from_db()
    assert paid.status == "paid"


@pytest.mark.parametrize("n", [1, 8])
def test_reading_an_order_costs_a_fixed_number_of_queries(n, buyer, supplier, django_assert_num_queries):
    order = order_at("shipped", buyer=buyer, supplier=supplier, lines=[])
    for position in range(n):
        OrderLineFactory(order=order, position=position)
    client = api(buyer)
    # order (+ parties, rating, viewer's side), lines, events with actors; shipped: the lots its lines
    # shipped from (catalog.lots)
    with django_assert_num_queries(4):
        assert client.get(detail_url(order)).status_code == 200


def test_the_schema_names_every_operation(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "orders_retrieve",
        "orders_confirm",
        "orders_accept_terms",
        "orders_mark_deposit_paid",
        "orders_mark_paid",
        "orders_ship",
        "orders_confirm_delivery",
        "orders_complete",
        "orders_cancel",
        "orders_rate",
    } <= operations
    ship = schema["paths"]["/api/v1/orders/{number}/ship/"]["post"]
    assert set(ship["responses"]) >= {"200", "403", "404", "409"}


def test_an_order_number_is_not_an_id_guess(order, buyer):
    """Orders are addressed by number; a database id in its place is simply not found."""
    assert api(buyer).get(reverse("api:order-detail", args=[str(order.pk)])).status_code == 404
    assert Order.objects.filter(number=str(order.pk)).count() == 0


STEP_ACTION = {
    "confirm": "confirm",
    "accept-terms": "accept_terms",
    "mark-deposit-paid": "mark_deposit_paid",
    "mark-paid": "mark_paid",
    "ship": "ship",
    "confirm-delivery": "confirm_delivery",
    "complete": "complete",
    "cancel": "cancel",
}


@pytest.mark.parametrize("party", ["buyer", "supplier"])
@pytest.mark.parametrize("step", list(STEP_ACTION))
@pytest.mark.parametrize("from_status", Order.Status.values)
@pytest.mark.parametrize("terms", ["prepaid", "deposit"])
def test_every_step_answers_as_the_table_says(terms, from_status, step, party, buyer, supplier, supplier_member):
    """200 where the table allows the step to this party under the order's payment terms, 403
    where only the other party may, 409 where nobody may from this status."""
    from orders.services.transitions import ACTIONS, allowed_parties

    order = order_at(from_status, buyer=buyer, supplier=supplier, payment_terms=terms)
    parties = allowed_parties(order, STEP_ACTION[step])
    expected = 200 if party in parties else 403 if parties else 409
    person = buyer if party == "buyer" else supplier_member
    response = api(person).post(step_url(order, step), BODY.get(step, {}), format="json")
    assert response.status_code == expected
    order.refresh_from_db()
    moved = order.events.filter(from_status=from_status).exists()
    assert moved == (expected == 200)
    assert (
        order.status == (ACTIONS[STEP_ACTION[step]] if (step, from_status) != ("confirm", "proposed") else "proposed")
        or expected != 200
    )
