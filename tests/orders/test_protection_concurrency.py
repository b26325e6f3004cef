"""Payment protection under real concurrency: two connections race on one protected order and
exactly one outcome is on record, with a ledger that balances.

Each race slows the step's guard (inside the row locks) so both would read the same status
without the locks; with them, the second waits, sees the first one's outcome and is refused.
"""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import Dispute, Order, ProtectionEvent
from orders.services import disputes
from orders.services.disputes import dispute_decide, dispute_open
from orders.services.protection import ProtectionStateConflict, ledger_balances, protection_release_one

from .protection_helpers import assert_ledger_balances, protected

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: dict, monkeypatch) -> dict:
    real = disputes._guard

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(disputes, "_guard", slow)
    outcomes: dict[str, object] = {}
    start = threading.Barrier(len(calls))

    def run(name, call):
        try:
            start.wait()
            outcomes[name] = call()
        except Exception as exc:  # reported by the caller's asserts
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return outcomes


def test_a_release_and_a_refund_decided_at_once_leave_one_outcome(buyer, supplier, supplier_member, staff, monkeypatch):
    """Two staff members decide the same dispute at once, one to release, one to refund."""
    order = protected(buyer=buyer, supplier=supplier, supplier_member=supplier_member, staff=staff, stage="shipped")
    dispute = dispute_open(order=order, actor=buyer, reason="quality", description="Cracked")
    outcomes = _race(
        {
            "release": lambda: dispute_decide(
                dispute=Dispute.objects.get(pk=dispute.pk), actor=staff, decision="release", reason="Fine"
            ),
            "refund": lambda: dispute_decide(
                dispute=Dispute.objects.get(pk=dispute.pk), actor=staff, decision="refund", reason="Broken"
            ),
        },
        monkeypatch,
    )
    losers = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert len(losers) == 1 and isinstance(losers[0], ProtectionStateConflict), outcomes
    winner = next(name for name, o in outcomes.items() if not isinstance(o, Exception))
    order = Order.objects.get(pk=order.pk)
    balances = ledger_balances(order=order)
    if winner == "release":
        assert (order.protection.status, balances.released, balances.refunded) == ("released", Decimal("1000.00"), 0)
    else:
        assert (order.protection.status, balances.released, balances.refunded) == ("refunded", 0, Decimal("1000.00"))
    assert ProtectionEvent.objects.filter(order=order, kind="dispute_decided").count() == 1
    assert_ledger_balances(order)


def test_an_auto_release_and_a_dispute_at_the_deadline_leave_one_outcome(
    buyer, supplier, supplier_member, staff, monkeypatch
):
    """The hourly release runs as the buyer opens a dispute: either the funds are released and the
    dispute refused, or the dispute is open and the funds stay held."""
    order = protected(buyer=buyer, supplier=supplier, supplier_member=supplier_member, staff=staff, stage="shipped")
    later = order.protection.release_due_at + timedelta(minutes=1)
    real = disputes.dispute_window_open
    # The dispute is opened "just before" the deadline the release job sees as passed.
    monkeypatch.setattr(disputes, "dispute_window_open", lambda p, o, now=None: real(p, o, timezone.now()))
    outcomes = _race(
        {
            "release": lambda: protection_release_one(protection_id=order.protection.pk, now=later),
            "dispute": lambda: dispute_open(
                order=Order.objects.get(pk=order.pk), actor=buyer, reason="damaged", description="Crushed"
            ),
        },
        monkeypatch,
    )
    order = Order.objects.get(pk=order.pk)
    released = outcomes["release"] is True
    disputed = isinstance(outcomes["dispute"], Dispute)
    assert released != disputed, outcomes
    if released:
        assert isinstance(outcomes["dispute"], ProtectionStateConflict)
        assert order.protection.status == "released" and not Dispute.objects.filter(order=order).exists()
    else:
        assert outcomes["release"] is False
        assert order.protection.status == "held" and ledger_balances(order=order).held == Decimal("1000.00")
    assert_ledger_balances(order)
