"""Payment protection over the API: each step with an idempotency key (a retry answers as the
first time and runs nothing twice; the key with another body answers 422), what each side may
see and do, strangers who get 404, and the cost of the protection's GET.
"""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.idempotency.models import IdempotentRequest
from marketplace.mail.models import OutboundMail
from orders.models import Dispute, DisputeEvidence, Protection
from orders.services.disputes import dispute_open
from orders.services.protection import ledger_balances
from tests import factories as f

from .factories import order_at
from .protection_helpers import protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(buyer, supplier, supplier_member, staff):
    return {"buyer": buyer, "supplier": supplier, "supplier_member": supplier_member, "staff": staff}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(name, order, *args):
    return reverse(f"api:{name}", args=[order.number, *args])


def _post(client, name, order, data=None, key=None, **kwargs):
    return client.post(_url(name, order), data or {}, HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex, **kwargs)


def test_the_buyer_chooses_protection_once_per_key(cast):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    client = api(cast["buyer"])
    first = _post(client, "order-protection-open", order, key="k-1", format="json")
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["amount"]) == ("awaiting_payment", "1000.00")
    again = _post(client, "order-protection-open", order, key="k-1", format="json")
    assert again.status_code == 201 and again.json() == first.json()
    assert Protection.objects.filter(order=order).count() == 1
    assert IdempotentRequest.objects.filter(key="k-1").count() == 1


def test_a_step_without_a_key_is_refused_and_changes_nothing(cast):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    response = api(cast["buyer"]).post(_url("order-protection-open", order), {}, format="json")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert not Protection.objects.exists()


def test_the_same_key_with_another_body_or_step_answers_422(cast):
    order = protected(**cast)
    client = api(cast["buyer"])
    body = {"reason": "quality", "description": "Cracked housings"}
    assert _post(client, "order-dispute-open", order, body, key="d-1", format="json").status_code == 201
    replay = _post(client, "order-dispute-open", order, body, key="d-1", format="json")
    assert replay.status_code == 201 and Dispute.objects.count() == 1
    other = _post(client, "order-dispute-open", order, {**body, "description": "Other"}, key="d-1", format="json")
    assert other.status_code == 422
    other_step = _post(client, "order-protection-confirm-delivery", order, key="d-1", format="json")
    assert other_step.status_code == 422
    assert Dispute.objects.count() == 1
    assert OutboundMail.objects.filter(kind="protection_dispute_opened").count() == 2  # one per side, once


def test_a_refused_step_frees_its_key_for_a_retry(cast):
    order = protected(**cast, stage="awaiting")
    client = api(cast["buyer"])
    body = {"reason": "quality", "description": "x"}
    assert _post(client, "order-dispute-open", order, body, key="r-1", format="json").status_code == 409
    assert not IdempotentRequest.objects.filter(key="r-1").exists()


def test_dispute_with_evidence_answer_and_download_over_the_api(cast):
    order = protected(**cast, stage="shipped")
    buyer = api(cast["buyer"])
    photo = f.image_upload(name="crack.png", fmt="PNG", size=(40, 30))
    opened = _post(
        buyer, "order-dispute-open", order,
        {"reason": "damaged", "description": "Crushed", "refund_requested": "120.50", "evidence": [photo]},
        format="multipart",
    )  # fmt: skip
    assert opened.status_code == 201, opened.content
    (dispute,) = opened.json()["disputes"]
    assert dispute["refund_requested"] == "120.50" and dispute["evidence"][0]["check"] == "clean"
    assert opened.json()["actions"] == []
    supplier = api(cast["supplier_member"])
    detail = supplier.get(_url("order-protection", order)).json()
    assert detail["actions"] == ["dispute_answer"]
    download = supplier.get(dispute["evidence"][0]["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    answered = _post(supplier, "order-dispute-answer", order, {"answer": "Packed to spec"}, format="json")
    assert answered.status_code == 200 and answered.json()["disputes"][0]["status"] == "answered"
    assert _post(buyer, "order-dispute-answer", order, {"answer": "x"}, format="json").status_code == 409


def test_the_buyer_confirms_delivery_and_the_funds_are_released(cast):
    order = protected(**cast, stage="shipped")
    client = api(cast["buyer"])
    assert client.get(_url("order-protection", order)).json()["actions"] == ["confirm_delivery", "dispute_open"]
    response = _post(client, "order-protection-confirm-delivery", order, key="c-1", format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "released" and body["balances"]["released"] == "1000.00"
    assert [(e["movement"], e["account"]) for e in body["ledger"]] == [
        ("paid", "buyer"), ("paid", "escrow"), ("released", "escrow"), ("released", "supplier"),
    ]  # fmt: skip
    assert _post(client, "order-protection-confirm-delivery", order, key="c-1", format="json").status_code == 200
    assert ledger_balances(order=order).released == Decimal("1000.00")
    assert _post(api(cast["supplier_member"]), "order-protection-confirm-delivery", order).status_code == 409


def test_strangers_get_404_on_every_protection_endpoint(cast, other_member, outsider):
    order = protected(**cast)
    dispute = dispute_open(
        order=order, actor=cast["buyer"], reason="quality", description="x",
        files=[f.image_upload(name="a.png", fmt="PNG", size=(20, 20))],
    )  # fmt: skip
    evidence = DisputeEvidence.objects.get(dispute=dispute)
    for person in (f.BuyerMemberFactory().user, other_member, outsider):
        client = api(person)
        assert client.get(_url("order-protection", order)).status_code == 404
        assert client.get(_url("order-dispute-evidence", order, evidence.pk)).status_code == 404
        for name in ("order-protection-open", "order-protection-confirm-delivery", "order-dispute-answer"):
            assert _post(client, name, order, {"answer": "x"}, format="json").status_code == 404
    assert APIClient().get(_url("order-protection", order)).status_code in (401, 403)
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


@pytest.mark.parametrize("n", [1, 4])
def test_the_protection_costs_a_fixed_number_of_queries(n, cast, django_assert_num_queries):
    order = protected(**cast, stage="shipped")
    dispute_open(
        order=order, actor=cast["buyer"], reason="quality", description="x",
        files=[f.image_upload(name=f"{i}.png", fmt="PNG", size=(20, 20)) for i in range(n)],
    )  # fmt: skip
    client = api(cast["supplier_member"])
    # the order (with parties and protection), its lines and events, the ledger, disputes, evidence
    with django_assert_num_queries(6):
        assert client.get(_url("order-protection", order)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_key_open_one_dispute(buyer, supplier, supplier_member, staff):
    order = protected(buyer=buyer, supplier=supplier, supplier_member=supplier_member, staff=staff)
    statuses: list[int] = []
    start = threading.Barrier(8)

    def run():
        try:
            start.wait()
            response = _post(api(buyer), "order-dispute-open", order, {"reason": "other", "description": "x"},
                             key="same", format="json")  # fmt: skip
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [201] * 8, statuses
    assert Dispute.objects.filter(order=order).count() == 1


def test_the_order_shows_its_protection_status_and_offers_no_mark_paid(cast):
    order = protected(**cast, stage="awaiting")
    body = api(cast["supplier_member"]).get(reverse("api:order-detail", args=[order.number])).json()
    assert body["protection_status"] == "awaiting_payment"
    assert "mark_paid" not in body["actions"]
    plain = order_at("confirmed", buyer=cast["buyer"], supplier=cast["supplier"])
    body = api(cast["supplier_member"]).get(reverse("api:order-detail", args=[plain.number])).json()
    assert body["protection_status"] is None and "mark_paid" in body["actions"]
