"""The buyer cancels an RFQ while a colleague awards it, at the same moment (helper "hq"): both
take the RFQ row lock, so exactly one of them happens and the other is refused with the new
status; an RFQ is never both cancelled and awarded."""

import threading
import time
import uuid

import pytest
from django.db import connection

from orders.models import Order, Purchase, Quote, Rfq
from orders.services import rfq as rfq_services
from orders.services.rfq import RfqStateConflict, rfq_award, rfq_cancel
from tests import factories as f

from .rfq_factories import TERMS, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cancel_and_an_award_at_once_take_turns_and_only_one_happens(buyer, category, monkeypatch):
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2], allow_split=False)
    q1, _q2 = quote_for(rfq, m1), quote_for(rfq, m2, unit_price="9.00")
    real = rfq_services.order_place_quoted

    def slow(**kwargs):  # widen the window in which a missing lock would let both through
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(rfq_services, "order_place_quoted", slow)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def award():
        try:
            barrier.wait(timeout=10)
            rfq_award(
                rfq=Rfq.objects.get(pk=rfq.pk),
                actor=colleague,
                awards=[(q1.pk, 1000)],
                idempotency_key=uuid.uuid4().hex,
                language="en",
                **TERMS,
            )
            outcomes["award"] = "done"
        except Exception as exc:  # collected and checked below
            outcomes["award"] = exc
        finally:
            connection.close()

    def cancel():
        try:
            barrier.wait(timeout=10)
            time.sleep(0.1)  # let the award take the lock first in most runs: the harder case
            rfq_cancel(rfq=Rfq.objects.get(pk=rfq.pk), actor=buyer, reason="Postponed")
            outcomes["cancel"] = "done"
        except Exception as exc:  # collected and checked below
            outcomes["cancel"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=award), threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert set(outcomes) == {"award", "cancel"}
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
