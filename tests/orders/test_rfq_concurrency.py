"""Two people act on one RFQ at the same moment: two colleagues award it (two tabs), or one
cancels it while a colleague awards it. The RFQ row lock makes them take turns, so exactly one of
them happens and the other is refused with the RFQ's new status (never two purchases, never an
RFQ both cancelled and awarded)."""

import threading
import time
import uuid

import pytest
from django.db import connection

from orders.models import Order, Purchase, Quote, Rfq
from orders.services import award as award_services
from orders.services.award import rfq_award
from orders.services.rfq import RfqStateConflict, rfq_cancel
from tests import factories as f

from .factories import RFQ_TERMS as TERMS
from .factories import make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contested(buyer, category, monkeypatch):
    """An RFQ with two quotes, a colleague of the buyer, and an award slowed down inside its lock
    (to widen the window in which a missing lock would let both through)."""
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2], allow_split=False)
    q1, q2 = quote_for(rfq, m1), quote_for(rfq, m2, unit_price="9.00")
    real = award_services.order_create

    def slow(**kwargs):
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(award_services, "order_create", slow)
    return rfq, q1, q2, colleague


def _run_at_once(**actions) -> dict[str, object]:
    """Run the named callables in threads released together; each outcome is "done" or its exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: dict[str, object] = {}

    def run(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[name] = "done"
        except Exception as exc:  # collected and checked by the test
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert set(outcomes) == set(actions)
    return outcomes


def _award(rfq, person, quote) -> None:
    rfq_award(
        rfq=Rfq.objects.get(pk=rfq.pk), actor=person, awards=[(quote.pk, 1000)],
        idempotency_key=uuid.uuid4().hex, language="en", **TERMS,
    )  # fmt: skip


def test_two_concurrent_awards_of_one_rfq_make_exactly_one_purchase(buyer, contested):
    rfq, q1, q2, colleague = contested
    outcomes = _run_at_once(first=lambda: _award(rfq, buyer, q1), second=lambda: _award(rfq, colleague, q2))

    refused = [o for o in outcomes.values() if o != "done"]
    assert len(refused) == 1 and isinstance(refused[0], RfqStateConflict), outcomes
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1
    assert sorted(Quote.objects.values_list("status", flat=True)) == ["accepted", "declined"]


def test_a_cancel_and_an_award_at_once_take_turns_and_only_one_happens(buyer, contested):
    rfq, q1, _q2, colleague = contested

    def cancel():
        time.sleep(0.1)  # let the award take the lock first in most runs: the harder case
        rfq_cancel(rfq=Rfq.objects.get(pk=rfq.pk), actor=buyer, reason="Postponed")

    outcomes = _run_at_once(award=lambda: _award(rfq, colleague, q1), cancel=cancel)

    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    refused = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(done) == 1 and len(refused) == 1 and isinstance(refused[0], RfqStateConflict), outcomes
    rfq.refresh_from_db()
    statuses = sorted(Quote.objects.values_list("status", flat=True))
    if done == ["award"]:
        assert rfq.status == Rfq.Status.AWARDED and rfq.cancel_reason == "" and rfq.cancelled_at is None
        assert Purchase.objects.count() == 1 and Order.objects.count() == 1
        assert statuses == ["accepted", "declined"]
    else:
        assert rfq.status == Rfq.Status.CANCELLED
        assert not Purchase.objects.exists() and not Order.objects.exists()
        assert statuses == ["declined", "declined"]
