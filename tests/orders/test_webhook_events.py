"""Which events reach which endpoints: written with the change (a rolled-back change leaves none),
only to the parties allowed to see them (a supplier's endpoint gets only its own orders), only for
the events subscribed; and every order event goes through the one hook."""

import pathlib
import re
import uuid

import pytest
from django.db import transaction

from orders.models import WebhookDelivery, WebhookEndpoint
from orders.services.award import rfq_award
from orders.services.rfq import rfq_cancel
from orders.services.transitions import order_cancel, order_confirm
from orders.services.webhooks import webhook_endpoint_create
from tests import factories as f
from tests.orders.factories import RFQ_TERMS, make_rfq, order_at, quote_for

pytestmark = pytest.mark.django_db

ALL_ORDER_EVENTS = ["order.placed", "order.confirmed", "order.cancelled", "order.shipped"]
URL = "http://127.0.0.1:9/hook"


def _supplier_endpoint(supplier, member, events=ALL_ORDER_EVENTS) -> WebhookEndpoint:
    return webhook_endpoint_create(actor=member, supplier=supplier, url=URL, events=events)[0]


def _buyer_endpoint(buyer_user, events=ALL_ORDER_EVENTS) -> WebhookEndpoint:
    company = buyer_user.buyer_membership.company
    return webhook_endpoint_create(actor=buyer_user, buyer=company, url=URL, events=events)[0]


def _types(endpoint) -> list[str]:
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk").values_list("event_type", flat=True))


def test_an_order_event_reaches_both_parties_and_nobody_else(
    supplier, supplier_member, other_supplier, other_member, buyer
):
    mine = _supplier_endpoint(supplier, supplier_member)
    theirs = _supplier_endpoint(other_supplier, other_member)
    buyers = _buyer_endpoint(buyer)
    other_buyer = f.BuyerMemberFactory().user
    stranger = _buyer_endpoint(other_buyer)

    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=supplier_member)

    assert _types(mine) == ["order.confirmed"]
    assert _types(buyers) == ["order.confirmed"]
    assert _types(theirs) == [] and _types(stranger) == []
    both = WebhookDelivery.objects.filter(endpoint__in=[mine, buyers])
    assert len({d.event_id for d in both}) == 1  # one event, one id, two deliveries


def test_only_subscribed_events_are_written(supplier, supplier_member, buyer):
    endpoint = _supplier_endpoint(supplier, supplier_member, events=["order.cancelled"])
    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=supplier_member)
    assert _types(endpoint) == []
    order_cancel(order=order, actor=supplier_member, reason="Out of stock")
    assert _types(endpoint) == ["order.cancelled"]
    payload = WebhookDelivery.objects.get(endpoint=endpoint).payload
    assert payload["data"]["order"] == {
        "number": order.number,
        "status": "cancelled",
        "kind": order.kind,
        "currency": order.currency,
        "total": str(order.total),
    }
    assert set(payload) == {"id", "type", "created_at", "data"}


def test_a_rolled_back_change_leaves_no_delivery(supplier, supplier_member, buyer):
    endpoint = _supplier_endpoint(supplier, supplier_member)
    order = order_at("placed", buyer=buyer, supplier=supplier)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_confirm(order=order, actor=supplier_member)
        raise RuntimeError("the request failed after the step")
    assert _types(endpoint) == []


def test_rfq_events_reach_the_buyer_and_an_accepted_quote_its_supplier_only(
    buyer, category, supplier, supplier_member, other_supplier, other_member
):
    rfq_events = ["rfq.published", "rfq.received", "rfq.quoted", "rfq.awarded", "rfq.cancelled"]
    buyers = _buyer_endpoint(buyer, events=rfq_events)
    winner = _supplier_endpoint(supplier, supplier_member, events=rfq_events)
    loser = _supplier_endpoint(other_supplier, other_member, events=rfq_events)
    rfq = make_rfq(buyer, category=category, routed_to=[supplier, other_supplier])
    won = quote_for(rfq, supplier_member)
    quote_for(rfq, other_member)
    assert _types(buyers) == ["rfq.quoted", "rfq.quoted"]
    assert _types(winner) == [] and _types(loser) == []  # quotes of others are the buyer's to see

    rfq_award(
        rfq=rfq, actor=buyer, awards=[(won, rfq.quantity)], idempotency_key=uuid.uuid4().hex, language="en",
        **RFQ_TERMS,
    )  # fmt: skip
    assert _types(buyers)[-1] == "rfq.awarded"
    assert _types(winner) == ["rfq.awarded"]
    assert _types(loser) == []
    award = WebhookDelivery.objects.get(endpoint=winner).payload["data"]
    assert award["quote"]["id"] == won.pk and award["rfq"]["id"] == rfq.pk
    assert award["order"]["number"]


def test_a_cancelled_rfq_reaches_its_buyer(buyer, category):
    endpoint = _buyer_endpoint(buyer, events=["rfq.cancelled"])
    rfq = make_rfq(buyer, category=category)
    rfq_cancel(rfq=rfq, actor=buyer, reason="Budget withdrawn")
    assert _types(endpoint) == ["rfq.cancelled"]


def test_every_order_event_is_written_through_the_one_hook():
    """`OrderEvent` rows are inserted only by orders.services.events.order_event_record, which emits
    the webhooks: a service writing one another way would skip them."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("orders", "buyers", "catalog", "suppliers", "demo")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and path != root / "orders/services/events.py"
        and re.search(
            r"OrderEvent\.objects\.(create|bulk_create|get_or_create)\(|(?<!class )OrderEvent\(", path.read_text()
        )
    ]
    assert offenders == []


def test_dispute_steps_reach_both_parties(buyer, supplier, supplier_member, other_supplier, other_member, staff):
    from orders.services.disputes import dispute_answer, dispute_decide, dispute_open
    from tests.orders.protection_helpers import protected

    events = ["dispute.opened", "dispute.answered", "dispute.decided", "order.cancelled"]
    mine = _supplier_endpoint(supplier, supplier_member, events=events)
    buyers = _buyer_endpoint(buyer, events=events)
    theirs = _supplier_endpoint(other_supplier, other_member, events=events)
    order = protected(buyer=buyer, supplier=supplier, supplier_member=supplier_member, staff=staff)
    dispute = dispute_open(order=order, actor=buyer, reason="quality", description="Cracked housings")
    dispute = dispute_answer(dispute=dispute, actor=supplier_member, answer="Packed to spec")
    dispute_decide(dispute=dispute, actor=staff, decision="refund", reason="Photos show cracks")
    expected = ["dispute.opened", "dispute.answered", "order.cancelled", "dispute.decided"]
    assert _types(mine) == expected and _types(buyers) == expected
    assert _types(theirs) == []
    decided = WebhookDelivery.objects.get(endpoint=mine, event_type="dispute.decided").payload["data"]
    assert decided["dispute"] == {"id": dispute.pk, "status": "decided", "decision": "refund"}
    assert decided["order"]["number"] == order.number


def test_a_routed_rfq_reaches_the_matching_suppliers_once_and_nobody_else(buyer, belt, category):
    from orders.services.rfq import rfq_route
    from tests.orders.factories import supplier_with_member

    matching, member = supplier_with_member(belt=belt, certification_level="certified_origin")
    matching.main_categories.set([category])
    other, other_member = supplier_with_member(belt=belt, certification_level="certified_origin")
    mine = _supplier_endpoint(matching, member, events=["rfq.received"])
    theirs = _supplier_endpoint(other, other_member, events=["rfq.received"])
    buyers = _buyer_endpoint(buyer, events=["rfq.received", "rfq.published"])
    rfq = make_rfq(buyer, category=category, required_level="verified")
    rfq_route(rfq_id=rfq.pk)
    rfq_route(rfq_id=rfq.pk)  # the job delivered twice: nothing new
    assert _types(mine) == ["rfq.received"]
    assert _types(theirs) == [] and _types(buyers) == []
    data = WebhookDelivery.objects.get(endpoint=mine).payload["data"]
    assert data["rfq"] == {"id": rfq.pk, "status": "open", "deadline": rfq.deadline.isoformat()}
