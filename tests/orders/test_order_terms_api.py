"""The order's terms over the API: what GET shows (payment terms, deposit, charges, billing address,
due date, flow, next steps), the supplier's confirm with freight, insurance and lead time, the
buyer's accept-terms (409 on a total revised since) and the deposit step; the wrong party is
refused and another company's order is not found."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import Order
from orders.services.protection import protection_open
from orders.services.transitions import order_confirm
from tests import factories as f

from .factories import order_at

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(order, step=None) -> str:
    return reverse(f"api:order-{step}" if step else "api:order-detail", args=[order.number])


@pytest.fixture
def cif(buyer, supplier):
    """A placed CIF order on 30 % deposit terms, 1,000.00 of goods."""
    return order_at(
        "placed", buyer=buyer, supplier=supplier, incoterm="CIF", incoterm_place="Rotterdam",
        payment_terms="deposit", deposit_percent=30, billing_address="Damrak 1\n1012 LG Amsterdam",
    )  # fmt: skip


def test_the_order_shows_its_terms_flow_and_next_steps(cif, buyer, supplier_member):
    data = api(buyer).get(url(cif)).json()
    assert (data["payment_terms"], data["deposit_percent"], data["deposit_amount"]) == ("deposit", 30, "300.00")
    assert (data["freight"], data["insurance"], data["charges_needed"]) == (None, None, ["freight", "insurance"])
    assert data["billing_address"] == "Damrak 1\n1012 LG Amsterdam"
    assert data["payment_due_at"] is None and data["deposit_paid_at"] is None
    assert data["flow"] == ["placed", "proposed", "confirmed", "deposit_paid", "paid", "shipped", "delivered",
                            "completed"]  # fmt: skip
    assert data["actions"] == ["cancel"]
    assert api(supplier_member).get(url(cif)).json()["actions"] == ["confirm", "cancel"]


def test_a_net_order_shows_when_payment_falls_due(buyer, supplier):
    order = order_at("shipped", buyer=buyer, supplier=supplier, payment_terms="net30")
    data = api(buyer).get(url(order)).json()
    assert data["flow"] == ["placed", "confirmed", "shipped", "delivered", "paid", "completed"]
    assert data["deposit_amount"] is None
    assert data["payment_due_at"].startswith(f"{timezone.localtime(order.payment_due_at):%Y-%m-%d}")


def test_the_supplier_confirms_with_charges_and_the_buyer_accepts_the_new_total(cif, buyer, supplier_member):
    response = api(supplier_member).post(
        url(cif, "confirm"),
        {"freight": "1250.50", "insurance": 12.5, "lead_time_days": 25, "expected_status": "placed"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["freight"], data["insurance"], data["total"], data["lead_time_days"]) == (
        "proposed", "1250.50", "12.50", "2263.00", 25,
    )  # fmt: skip
    assert data["actions"] == ["confirm", "cancel"]  # the supplier may revise the proposal
    buyer_view = api(buyer).get(url(cif)).json()
    assert buyer_view["actions"] == ["accept_terms", "cancel"]

    response = api(buyer).post(url(cif, "accept-terms"), {"expected_total": "2263.00"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["total"], data["deposit_amount"]) == ("confirmed", "2263.00", "678.90")
    assert [e["kind"] for e in data["events"]] == ["placed", "proposed", "confirmed"]
    assert data["purchase_order_url"] is not None


def test_a_proposal_revised_since_is_409_and_binds_nothing(cif, buyer, supplier_member):
    order_confirm(order=cif, actor=supplier_member, freight="200", insurance="10")
    order_confirm(order=cif, actor=supplier_member, freight="300", insurance="10")
    response = api(buyer).post(url(cif, "accept-terms"), {"expected_total": "1210.00"}, format="json")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "The supplier changed the proposed terms meanwhile: the total is now 1310.00 CNY." in detail
    assert Order.objects.get(pk=cif.pk).status == "proposed"
    assert api(buyer).post(url(cif, "accept-terms"), {"expected_total": 1310}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"freight": "100"}, "insurance"),  # CIF: insurance required
        ({"insurance": "10"}, "freight"),
        ({"freight": "-1", "insurance": "0"}, "freight"),
        ({"freight": "１００", "insurance": "0"}, "freight"),
        ({"freight": "100", "insurance": "0", "lead_time_days": 0}, "lead_time_days"),
        ({"freight": "100", "insurance": "0", "lead_time_days": 366}, "lead_time_days"),
    ],
)
def test_bad_charges_are_400_by_field(body, field, cif, supplier_member):
    response = api(supplier_member).post(url(cif, "confirm"), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Order.objects.get(pk=cif.pk).status == "placed"


def test_freight_is_refused_where_the_buyer_pays_it(buyer, supplier, supplier_member):
    fob = order_at("placed", buyer=buyer, supplier=supplier)
    response = api(supplier_member).post(url(fob, "confirm"), {"freight": "100"}, format="json")
    assert response.status_code == 400 and "freight" in response.json()
    assert api(supplier_member).post(url(fob, "confirm"), {"freight": None}, format="json").json()["status"] == (
        "confirmed"
    )


def test_accepting_needs_the_total_seen(cif, buyer, supplier_member):
    order_confirm(order=cif, actor=supplier_member, freight="200", insurance="10")
    for body in ({}, {"expected_total": "abc"}, {"expected_total": -1}):
        response = api(buyer).post(url(cif, "accept-terms"), body, format="json")
        assert response.status_code == 400 and "expected_total" in response.json()
    assert Order.objects.get(pk=cif.pk).status == "proposed"


def test_the_supplier_records_the_deposit_unless_the_order_is_protected(buyer, supplier, supplier_member):
    order = order_at("confirmed", buyer=buyer, supplier=supplier, payment_terms="deposit")
    response = api(supplier_member).post(url(order, "mark-deposit-paid"), {"expected_status": "confirmed"})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "deposit_paid" and data["deposit_paid_at"] is not None
    assert data["actions"] == ["mark_paid", "cancel"]

    protected = order_at("placed", buyer=buyer, supplier=supplier, payment_terms="deposit")
    protection_open(order=protected, actor=buyer)
    order_confirm(order=protected, actor=supplier_member)
    assert "mark_deposit_paid" not in api(supplier_member).get(url(protected)).json()["actions"]
    response = api(supplier_member).post(url(protected, "mark-deposit-paid"))
    assert response.status_code == 409 and "the platform records the payment" in response.json()["detail"]


def test_the_wrong_party_is_403_with_the_reason(cif, buyer, supplier_member):
    response = api(buyer).post(url(cif, "confirm"), {"freight": "1", "insurance": "1"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "Only the supplier can confirm this order."
    order_confirm(order=cif, actor=supplier_member, freight="200", insurance="10")
    response = api(supplier_member).post(url(cif, "accept-terms"), {"expected_total": "1210.00"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the buyer can accept the proposed terms."
    deposit = order_at("confirmed", buyer=buyer, supplier=cif.supplier, payment_terms="deposit")
    response = api(buyer).post(url(deposit, "mark-deposit-paid"))
    assert response.status_code == 403
    assert (Order.objects.get(pk=cif.pk).status, Order.objects.get(pk=deposit.pk).status) == ("proposed", "confirmed")


@pytest.mark.parametrize("step", [None, "confirm", "accept-terms", "mark-deposit-paid"])
def test_another_company_finds_nothing(step, cif, supplier_member, other_member, outsider):
    order_confirm(order=cif, actor=supplier_member, freight="200", insurance="10")
    for person in (f.BuyerMemberFactory().user, other_member, outsider):
        if step is None:
            response = api(person).get(url(cif))
        else:
            body = {"expected_total": "1210.00", "freight": "1", "insurance": "1"}
            response = api(person).post(url(cif, step), body, format="json")
        assert response.status_code == 404, (person, step)
    assert Order.objects.get(pk=cif.pk).total == Decimal("1210.00")


def test_the_schema_describes_the_new_inputs_and_fields(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    confirm = schema["paths"]["/api/v1/orders/{number}/confirm/"]["post"]
    assert confirm["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("OrderConfirmInput")
    assert {"freight", "insurance", "lead_time_days"} <= set(components["OrderConfirmInput"]["properties"])
    assert components["OrderAcceptTermsInput"]["required"] == ["expected_total"]
    accept = schema["paths"]["/api/v1/orders/{number}/accept-terms/"]["post"]
    assert set(accept["responses"]) >= {"200", "400", "403", "404", "409"}
    detail = components["OrderDetail"]["properties"]
    for name in ("payment_terms", "deposit_percent", "deposit_amount", "freight", "insurance", "billing_address",
                 "payment_due_at", "flow", "charges_needed", "actions", "deposit_paid_at"):  # fmt: skip
        assert name in detail, name
    assert detail["deposit_amount"]["nullable"] is True and detail["payment_due_at"]["nullable"] is True
    assert detail["actions"]["items"]["$ref"].endswith("/OrderActionEnum")
    assert {"accept_terms", "mark_deposit_paid", "rate"} <= set(components["OrderActionEnum"]["enum"])
    assert components["OrderChargeEnum"]["enum"] == ["freight", "insurance"]
