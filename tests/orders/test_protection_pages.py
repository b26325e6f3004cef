"""Payment protection on the order page and in the admin: what each side sees and may do, the
forms that call the services, evidence downloads, and strangers who see nothing.

The cast: `buyer` buys for the order's company, `supplier_member` acts for its supplier, `staff`
works for the platform; `other_buyer`, `other_member` and `outsider` must see nothing.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Dispute, DisputeEvidence, Order
from orders.services.disputes import dispute_answer, dispute_open
from orders.services.protection import ledger_balances
from tests import factories as f
from tests.conftest import client_for

from .factories import OrderLineFactory, order_at
from .protection_helpers import protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(buyer, supplier, supplier_member, staff):
    return {"buyer": buyer, "supplier": supplier, "supplier_member": supplier_member, "staff": staff}


def _detail(client, order):
    return client.get(reverse("orders:order_detail", args=[order.number]))


def test_the_buyer_chooses_protection_on_the_order_page(cast):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    client = client_for(cast["buyer"])
    assert 'data-testid="action-protection_open"' in _detail(client, order).content.decode()
    assert (
        'data-testid="action-protection_open"'
        not in _detail(client_for(cast["supplier_member"]), order).content.decode()
    )
    response = client.post(reverse("orders:protection_open", args=[order.number]))
    assert response.status_code == 302
    page = _detail(client, order).content.decode()
    assert 'data-testid="protection-instructions"' in page and "Awaiting payment" in page
    assert 'data-testid="action-protection_open"' not in page


def test_the_supplier_sees_no_payment_button_on_a_protected_order(cast):
    order = protected(**cast, stage="awaiting")
    page = _detail(client_for(cast["supplier_member"]), order).content.decode()
    assert 'data-testid="action-mark_paid"' not in page
    assert 'data-testid="protection"' in page


def test_both_sides_see_the_ledger_lines(cast):
    order = protected(**cast)
    for person in (cast["buyer"], cast["supplier_member"]):
        page = _detail(client_for(person), order).content.decode()
        assert 'data-testid="ledger"' in page and "Payment received" in page
        assert 'data-testid="held">CNY 1,000.00' in page


def test_the_buyer_opens_a_dispute_with_evidence_and_the_supplier_answers(cast):
    order = protected(**cast, stage="shipped")
    buyer = client_for(cast["buyer"])
    assert 'data-testid="action-dispute_open"' in _detail(buyer, order).content.decode()
    photo = f.image_upload(name="crack.png", fmt="PNG", size=(40, 30))
    response = buyer.post(
        reverse("orders:dispute_open", args=[order.number]),
        {"reason": "quality", "description": "3 of 10 cracked", "refund_requested": "300", "evidence": [photo]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    dispute = Dispute.objects.get(order=order)
    assert (dispute.reason, dispute.refund_requested) == ("quality", Decimal("300.00"))
    evidence = DisputeEvidence.objects.get(dispute=dispute)
    supplier = client_for(cast["supplier_member"])
    page = _detail(supplier, order).content.decode()
    assert 'data-testid="action-dispute_answer"' in page and "3 of 10 cracked" in page
    download = supplier.get(reverse("orders:dispute_evidence", args=[order.number, evidence.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    response = supplier.post(reverse("orders:dispute_answer", args=[order.number]), {"answer": "Packed well"})
    assert response.status_code == 302
    assert Dispute.objects.get(pk=dispute.pk).status == "answered"


def test_a_dispute_without_description_rerenders_the_form_with_what_was_typed(cast):
    order = protected(**cast)
    response = client_for(cast["buyer"]).post(
        reverse("orders:dispute_open", args=[order.number]),
        {"reason": "quality", "description": "", "refund_requested": "12.5"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what went wrong." in page and 'value="12.5"' in page
    assert not Dispute.objects.exists()


def test_strangers_get_404_on_the_protection_steps_and_the_evidence(cast, other_member, outsider):
    order = protected(**cast)
    dispute = dispute_open(
        order=order, actor=cast["buyer"], reason="quality", description="x",
        files=[f.image_upload(name="a.png", fmt="PNG", size=(20, 20))],
    )  # fmt: skip
    evidence = dispute.evidence.get()
    other_buyer = f.BuyerMemberFactory().user
    for person in (other_buyer, other_member, outsider):
        client = client_for(person)
        assert _detail(client, order).status_code == 404
        assert client.post(reverse("orders:protection_open", args=[order.number])).status_code == 404
        assert client.post(reverse("orders:dispute_open", args=[order.number]), {"reason": "other"}).status_code == 404
        assert client.post(reverse("orders:dispute_answer", args=[order.number]), {"answer": "x"}).status_code == 404
        assert client.get(reverse("orders:dispute_evidence", args=[order.number, evidence.pk])).status_code == 404
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


@pytest.mark.parametrize("n", [1, 8])
def test_a_protected_order_page_costs_a_fixed_number_of_queries(n, cast, django_assert_num_queries):
    order = protected(**cast, stage="shipped")
    for position in range(n - 1):
        OrderLineFactory(order=order, position=position + 1)
    dispute = dispute_open(
        order=order, actor=cast["buyer"], reason="quality", description="x",
        files=[f.image_upload(name=f"{i}.png", fmt="PNG", size=(20, 20)) for i in range(n % 5)],
    )  # fmt: skip
    dispute_answer(dispute=dispute, actor=cast["supplier_member"], answer="No")
    client = client_for(cast["supplier_member"])
    # the order page's 6 and, shipped, the lots its lines shipped from; then the ledger lines (with
    # their events), the disputes, their evidence
    with django_assert_num_queries(10):
        assert _detail(client, order).status_code == 200


# --- the admin ---------------------------------------------------------------------------------


def test_staff_record_a_payment_in_the_admin(cast):
    order = protected(**cast, stage="awaiting")
    admin = client_for(cast["staff"])
    change = admin.get(reverse("admin:orders_protection_change", args=[order.protection.pk]))
    assert 'data-testid="record-payment"' in change.content.decode()
    url = reverse("admin:orders_protection_payment", args=[order.protection.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"amount": "1000.00", "reference": "HSBC-77", "note": ""})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.protection.status) == ("paid", "held")
    assert order.events.get(kind="paid").party == "staff"


def test_staff_decide_a_dispute_in_the_admin_with_reasons(cast):
    order = protected(**cast, stage="shipped")
    dispute = dispute_open(order=order, actor=cast["buyer"], reason="quality", description="Cracked")
    admin = client_for(cast["staff"])
    change = admin.get(reverse("admin:orders_dispute_change", args=[dispute.pk])).content.decode()
    assert 'data-testid="decide-dispute"' in change
    assert admin.get(reverse("admin:orders_dispute_changelist")).status_code == 200
    assert admin.get(reverse("admin:orders_protection_changelist")).status_code == 200
    url = reverse("admin:orders_dispute_decide", args=[dispute.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"decision": "partial_refund", "refund_amount": "250", "reason": ""})
    assert response.status_code == 200 and Dispute.objects.get(pk=dispute.pk).status == "open"
    response = admin.post(url, {"decision": "partial_refund", "refund_amount": "", "reason": "Photos"})
    assert response.status_code == 200 and Dispute.objects.get(pk=dispute.pk).status == "open"
    response = admin.post(
        url, {"decision": "partial_refund", "refund_amount": "250", "reason": "Photos show 2 cracked"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decision_reason, dispute.decided_by) == (
        "decided",
        "Photos show 2 cracked",
        cast["staff"],
    )
    balances = ledger_balances(order=Order.objects.get(pk=order.pk))
    assert (balances.refunded, balances.released) == (Decimal("250.00"), Decimal("750.00"))
    page = _detail(client_for(cast["buyer"]), order).content.decode()
    assert 'data-testid="dispute-decision"' in page and "Photos show 2 cracked" in page


def test_people_who_are_not_staff_cannot_reach_the_admin_steps(cast):
    order = protected(**cast, stage="awaiting")
    for person in (cast["buyer"], cast["supplier_member"]):
        client = client_for(person)
        response = client.post(
            reverse("admin:orders_protection_payment", args=[order.protection.pk]), {"amount": "1000", "reference": "x"}
        )
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert Order.objects.get(pk=order.pk).protection.status == "awaiting_payment"
