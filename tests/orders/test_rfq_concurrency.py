"""Two people of one buying company award the same RFQ at the same moment (two tabs, two
colleagues): the RFQ row lock makes them take turns, so exactly one purchase is made and the
second is refused with the RFQ's new status."""

import threading
import time
import uuid

import pytest
from django.db import connection

from orders.models import Order, Purchase, Quote, Rfq
from orders.services import rfq as rfq_services
from orders.services.rfq import RfqStateConflict, rfq_award
from tests import factories as f

from .rfq_factories import TERMS, make_rfq, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_awards_of_one_rfq_make_exactly_one_purchase(buyer, category, monkeypatch):
    colleague = f.BuyerMemberFactory(company=buyer.buyer_membership.company).user
    (s1, m1), (s2, m2) = supplier_with_member(), supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[s1, s2], allow_split=False)
    q1, q2 = quote_for(rfq, m1), quote_for(rfq, m2, unit_price="9.00")
    real = rfq_services.order_place_quoted

    def slow(**kwargs):  # widen the window in which a missing lock would let both through
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(rfq_services, "order_place_quoted", slow)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def award(person, quote):
        try:
            barrier.wait(timeout=10)
            purchase, _created = rfq_award(
                rfq=Rfq.objects.get(pk=rfq.pk),
                actor=person,
                awards=[(quote.pk, 1000)],
                idempotency_key=uuid.uuid4().hex,
                language="en",
                **TERMS,
            )
            outcomes.append(purchase.pk)
        except Exception as exc:  # collected and checked below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=args) for args in ((buyer, q1), (colleague, q2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], RfqStateConflict), outcomes
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1
    assert sorted(Quote.objects.values_list("status", flat=True)) == ["accepted", "declined"]
