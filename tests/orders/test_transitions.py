"""The order state machine (orders.services.transitions): every step, every party, the lock.

The cast: `buyer` buys for the order's company, `supplier_member` acts for its supplier,
`other_member` for another supplier and `outsider` for nobody.
"""

import itertools
import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from orders import models as order_models
from orders.models import FLOWS, ORDER_STEPS, Order, OrderEvent
from orders.services import transitions
from orders.services.transitions import (
    ACTIONS,
    SERVICES,
    OrderStateConflict,
    allowed_parties,
    order_cancel,
    order_confirm,
    order_ship,
)
from tests import factories as f
from tests.orders.factories import OrderLineFactory, order_at

STATUSES = list(Order.Status.values)
PARTIES = ("buyer", "supplier")
INPUT = {
    "ship": {"carrier": "COSCO", "tracking_number": "COSU6123456780"},
    "cancel": {"reason": "The customer withdrew the tender."},
}


@pytest.fixture
def colleague(buyer):
    """A second person buying for the same company: also told about the order."""
    return f.BuyerMemberFactory(company=buyer.buyer_membership.company).user


def _actor(party, buyer, supplier_member):
    return buyer if party == "buyer" else supplier_member


def _expected(order, action, party):
    """What the table says: "ok", "state" (nobody may, 409) or "party" (the other party may, 403)."""
    parties = allowed_parties(order, action)
    if not parties:
        return "state"
    return "ok" if party in parties else "party"


@pytest.mark.parametrize("terms", list(FLOWS))
def test_the_model_offers_exactly_the_statuses_the_table_allows(terms):
    """`Order.allowed_transitions()` is read off the one table the services use."""
    for status in STATUSES:
        order = order_models.Order(status=status, payment_terms=terms)
        assert set(order.allowed_transitions()) == {
            t for s, _a, _p, t in ORDER_STEPS[terms] if s == status and t != status
        }


@pytest.mark.parametrize("terms", list(FLOWS))
def test_each_payment_term_walks_its_flow_and_ships_before_full_payment_only_where_it_allows(terms):
    """Every status of a term's flow leads to the next by one step; money comes before shipping
    for prepaid and deposit terms, after it for net terms and L/C; nothing leaves "completed"."""
    flow = FLOWS[terms]
    steps = ORDER_STEPS[terms]
    for source, target in itertools.pairwise(flow):
        assert any(s == source and t == target for s, _a, _p, t in steps), (source, target)
    pays_first = flow.index("paid") < flow.index("shipped")
    assert pays_first == (terms in ("prepaid", "deposit"))
    assert not any(s in ("shipped", "delivered", "completed") and t == "cancelled" for s, _a, _p, t in steps)
    assert not any(s == "completed" for s, _a, _p, _t in steps)


@pytest.mark.parametrize("terms", list(FLOWS))
@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("from_status", STATUSES)
def test_every_step_from_every_status_by_every_party_follows_the_table(
    from_status, action, party, terms, buyer, colleague, supplier, supplier_member, django_capture_on_commit_callbacks
):
    """Allowed steps move the order, stamp the time, record one event and mail the other party
    after commit; every other combination is refused and changes nothing."""
    order = order_at(from_status, buyer=buyer, supplier=supplier, payment_terms=terms)
    actor = _actor(party, buyer, supplier_member)
    events_before = order.events.count()
    expected = _expected(order, action, party)
    # A supplier confirming without changing the terms confirms; revising a proposal keeps it proposed.
    target = "proposed" if (action, from_status) == ("confirm", "proposed") else ACTIONS[action]

    with django_capture_on_commit_callbacks() as callbacks:
        if expected == "ok":
            SERVICES[action](order=order, actor=actor, **INPUT.get(action, {}))
        else:
            error = OrderStateConflict if expected == "state" else PermissionDenied
            with pytest.raises(error):
                SERVICES[action](order=order, actor=actor, **INPUT.get(action, {}))
    assert mail.outbox == []  # nothing is sent inside the transaction

    order.refresh_from_db()
    if expected != "ok":
        assert order.status == from_status
        assert order.events.count() == events_before
        assert callbacks == []
        return

    assert order.status == target
    if target in transitions.STAMPS:
        assert getattr(order, transitions.STAMPS[target]) is not None
    event = order.events.latest("id")
    assert (event.kind, event.from_status, event.to_status, event.party, event.actor) == (
        target,
        from_status,
        target,
        party,
        actor,
    )
    assert order.events.count() == events_before + 1
    for callback in callbacks:
        callback()
    other_side = {supplier_member.email} if party == "buyer" else {buyer.email, colleague.email}
    assert {m.to[0] for m in mail.outbox} == other_side
    assert all(order.number in m.subject for m in mail.outbox)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_people_of_neither_side_are_refused_every_step(action, buyer, supplier, other_member, outsider):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    other_buyer = f.BuyerMemberFactory().user
    for stranger in (other_member, outsider, other_buyer):
        with pytest.raises(PermissionDenied):
            SERVICES[action](order=order, actor=stranger, **INPUT.get(action, {}))
    order.refresh_from_db()
    assert order.status == "placed"
    assert not order.events.exclude(kind="placed").exists()


def test_refusals_explain_themselves_in_the_users_language(buyer, supplier, supplier_member):
    order = order_at("shipped", buyer=buyer, supplier=supplier)
    with pytest.raises(OrderStateConflict, match="can no longer be cancelled"):
        order_cancel(order=order, actor=buyer, reason="Too late?")
    paid = order_at("paid", buyer=buyer, supplier=supplier)
    with pytest.raises(PermissionDenied, match="only the supplier can cancel"):
        order_cancel(order=paid, actor=buyer, reason="Changed my mind")
    with pytest.raises(OrderStateConflict, match="Only a placed order can be confirmed; this order is now “Shipped”"):
        order_confirm(order=order, actor=supplier_member)


def test_shipping_needs_a_carrier_and_a_tracking_number_and_keeps_them(buyer, supplier, supplier_member):
    order = order_at("paid", buyer=buyer, supplier=supplier)
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, actor=supplier_member, carrier="COSCO", tracking_number="  ")
    assert "tracking_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        order_ship(order=order, actor=supplier_member, carrier="", tracking_number="X1")
    assert "carrier" in exc.value.message_dict
    order.refresh_from_db()
    assert order.status == "paid"

    order_ship(order=order, actor=supplier_member, carrier=" Maersk ", tracking_number="MAEU1234567")
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "Maersk", "MAEU1234567")
    assert order.events.latest("id").data == {"carrier": "Maersk", "tracking_number": "MAEU1234567"}


def test_cancelling_needs_a_reason_and_records_who_and_why(buyer, supplier, supplier_member):
    order = order_at("confirmed", buyer=buyer, supplier=supplier)
    with pytest.raises(ValidationError) as exc:
        order_cancel(order=order, actor=supplier_member, reason="   ")
    assert "reason" in exc.value.message_dict
    order_cancel(order=order, actor=supplier_member, reason="Raw material shortage")
    order.refresh_from_db()
    assert (order.status, order.cancelled_by_party, order.cancel_reason) == (
        "cancelled",
        "supplier",
        "Raw material shortage",
    )
    assert order.events.latest("id").note == "Raw material shortage"


def test_cancelling_gives_reserved_spot_stock_back(buyer, supplier, supplier_member, category):
    listing = f.ListingFactory(supplier=supplier, category=category, spot_stock=5)
    order = order_at("placed", buyer=buyer, supplier=supplier, lines=[])
    OrderLineFactory(order=order, listing=listing, from_stock=True, quantity=3, unit_price=Decimal("100.00"))
    OrderLineFactory(order=order, listing=listing, from_stock=False, quantity=40, unit_price=Decimal("90.00"))
    order_cancel(order=order, actor=buyer, reason="Found a closer supplier")
    listing.refresh_from_db()
    assert listing.spot_stock == 8  # only the from-stock line comes back


def test_a_rolled_back_step_sends_no_mail(buyer, supplier, supplier_member, django_capture_on_commit_callbacks):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        order_confirm(order=order, actor=supplier_member)
        raise RuntimeError("something after the confirmation failed")
    assert callbacks == []
    order.refresh_from_db()
    assert order.status == "placed"


def test_buyer_email_goes_to_the_buying_company_not_the_supplier(
    buyer, supplier, supplier_member, django_capture_on_commit_callbacks
):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm(order=order, actor=supplier_member)
    (message,) = mail.outbox
    assert message.to == [buyer.email]
    assert message.subject == f"Order {order.number} confirmed by the supplier"
    assert f"/orders/{order.number}/" in message.body


def test_a_step_decided_on_a_status_that_has_changed_is_refused(buyer, supplier, supplier_member):
    """The buyer decided to cancel a placed order; the supplier confirmed it meanwhile. Cancelling
    a confirmed order is allowed, but not on the strength of a page that showed it placed."""
    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=supplier_member, expected_status="placed")
    with pytest.raises(OrderStateConflict, match="changed meanwhile"):
        order_cancel(order=order, actor=buyer, reason="Changed plans", expected_status="placed")
    order.refresh_from_db()
    assert order.status == "confirmed"
    order_cancel(order=order, actor=buyer, reason="Changed plans", expected_status="confirmed")
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_order_events_cannot_be_changed_or_deleted(buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=supplier_member)
    event = order.events.get(kind="confirmed")
    with pytest.raises(DatabaseError), transaction.atomic():
        OrderEvent.objects.filter(pk=event.pk).update(note="rewritten history")
    with pytest.raises(DatabaseError), transaction.atomic():
        OrderEvent.objects.filter(pk=event.pk).delete()
    assert OrderEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.django_db(transaction=True)
def test_confirm_and_cancel_at_once_leave_exactly_one_outcome(buyer, supplier, supplier_member, monkeypatch):
    """The supplier confirms while the buyer cancels, each deciding on the "placed" order they saw.
    The party check (inside the lock) is slowed down so both would read "placed" without the row
    lock; with it, the second waits, finds the first one's status and is refused: one outcome,
    one matching event."""
    order = order_at("placed", buyer=buyer, supplier=supplier)
    real = transitions.order_party_of

    def slow(**kwargs):
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(transitions, "order_party_of", slow)
    outcomes: dict[str, object] = {}
    start = threading.Barrier(2)

    def run(name, call):
        try:
            start.wait()
            call()
            outcomes[name] = "ok"
        except Exception as exc:  # reported below
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                "confirm",
                lambda: order_confirm(
                    order=Order.objects.get(pk=order.pk), actor=supplier_member, expected_status="placed"
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=(
                "cancel",
                lambda: order_cancel(
                    order=Order.objects.get(pk=order.pk), actor=buyer, reason="Changed plans", expected_status="placed"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    winners = [name for name, outcome in outcomes.items() if outcome == "ok"]
    losers = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], OrderStateConflict), outcomes
    order.refresh_from_db()
    assert order.status == ("confirmed" if winners == ["confirm"] else "cancelled")
    steps = list(order.events.exclude(kind="placed").values_list("kind", flat=True))
    assert steps == [order.status]
