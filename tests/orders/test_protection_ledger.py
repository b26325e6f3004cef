"""The ledger of payment protection over random sequences of actions (hypothesis stateful).

Two protected orders of one buyer and supplier take any mix of steps, by anyone who may or may not
take them: payments (deposits or the rest, some too large), shipping, delivery confirmation,
cancellation, auto-release at any time, disputes opened, answered and decided (release, partial
refund of any amount, refund). A refused step changes nothing. After every step, per order:
- the sum of the ledger's debits equals the sum of its credits, all in the order's currency;
- the held balance is never negative; released + refunded never exceed what was paid, and
  paid = held + released + refunded;
- funds are held exactly when the protection says "held"; a closed protection holds nothing;
- the order is "paid" or later only once the payments reached the amount protected; under deposit
  terms (the second order) it is "deposit paid" exactly while the payments reached the deposit
  but not the whole.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from marketplace.exceptions import ApplicationError
from orders.models import Dispute, LedgerEntry, Order, Protection
from orders.services.disputes import dispute_answer, dispute_decide, dispute_open
from orders.services.protection import (
    ledger_balances,
    protection_open,
    protection_payment_record,
    protection_release_one,
)
from orders.services.transitions import order_cancel, order_confirm, order_confirm_delivery, order_ship
from tests import factories as f

from .factories import order_at, supplier_with_member

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, ValidationError, ApplicationError)
REACHED: set[str] = set()
MACHINE_SETTINGS = settings(
    max_examples=40,
    stateful_step_count=24,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1200.00"), places=2)


class ProtectionMachine(RuleBasedStateMachine):
    @initialize()
    def two_protected_orders(self):
        supplier, self.supplier_user = supplier_with_member()
        self.buyer_user = f.BuyerMemberFactory().user
        self.staff = f.UserFactory(is_staff=True)
        self.orders = []
        for total, terms in (("1000.00", "prepaid"), ("333.33", "deposit")):
            order = order_at(
                "placed", buyer=self.buyer_user, supplier=supplier, subtotal=Decimal(total), payment_terms=terms
            )
            protection_open(order=order, actor=self.buyer_user)
            order_confirm(order=order, actor=self.supplier_user)
            self.orders.append(order.pk)

    def _order(self, index: int) -> Order:
        return Order.objects.select_related("protection").get(pk=self.orders[index])

    def _try(self, call) -> None:
        try:
            call()
        except REFUSED as exc:
            event(f"refused: {type(exc).__name__}")

    def _dispute(self, order: Order) -> Dispute | None:
        return Dispute.objects.filter(order=order).exclude(status="decided").first()

    @rule(index=st.integers(0, 1), amount=amounts, by_staff=st.booleans())
    def pay(self, index, amount, by_staff):
        order = self._order(index)
        self._try(lambda: protection_payment_record(order=order, actor=self.staff if by_staff else None, amount=amount))

    @rule(
        index=st.integers(0, 1),
        towards=st.sampled_from(["partial_refund", "release", "refund"]),
        all_the_way=st.booleans(),
    )
    def proceed(self, index, towards, all_the_way):
        """The next step towards a partial refund (pay the rest, dispute, decide half), a release
        (pay the rest, ship, confirm the delivery) or a refund (pay the rest, the supplier cancels
        the paid order or staff decide a dispute so), or all of them, so sequences reach every status."""
        order = self._order(index)
        if order.protection.status == "awaiting_payment":
            rest = order.protection.amount - ledger_balances(order=order).paid
            self._try(lambda: protection_payment_record(order=order, actor=self.staff, amount=rest))
            if not all_the_way:
                return
        if towards == "refund" and self._order(index).status == "paid":
            self.cancel(index=index, by_buyer=False)
            return
        if towards == "release":
            if self._order(index).status == "paid":
                self.ship(index=index)
                if not all_the_way:
                    return
            self.confirm_delivery(index=index)
            return
        if self._dispute(order) is None:
            self.open_dispute(index=index, asked=None)
            if not all_the_way:
                return
        dispute = self._dispute(order)
        if dispute is not None:
            half = (ledger_balances(order=order).held / 2).quantize(Decimal("0.01"))
            decision = "refund" if towards == "refund" else "partial_refund"
            self._try(
                lambda: dispute_decide(
                    dispute=dispute, actor=self.staff, decision=decision, reason="Seen", refund_amount=half
                )
            )

    @rule(index=st.integers(0, 1))
    def ship(self, index):
        order = self._order(index)
        self._try(lambda: order_ship(order=order, actor=self.supplier_user, carrier="COSCO", tracking_number="C1"))

    @rule(index=st.integers(0, 1))
    def confirm_delivery(self, index):
        self._try(lambda: order_confirm_delivery(order=self._order(index), actor=self.buyer_user))

    @rule(index=st.integers(0, 1), by_buyer=st.booleans())
    def cancel(self, index, by_buyer):
        actor = self.buyer_user if by_buyer else self.supplier_user
        self._try(lambda: order_cancel(order=self._order(index), actor=actor, reason="Changed plans"))

    @rule(index=st.integers(0, 1), days=st.integers(0, 60))
    def auto_release(self, index, days):
        protection = self._order(index).protection
        protection_release_one(protection_id=protection.pk, now=timezone.now() + timedelta(days=days))

    @rule(index=st.integers(0, 1), asked=st.one_of(st.none(), amounts))
    def open_dispute(self, index, asked):
        order = self._order(index)
        self._try(
            lambda: dispute_open(
                order=order, actor=self.buyer_user, reason="quality", description="Cracked", refund_requested=asked
            )
        )

    @rule(index=st.integers(0, 1))
    def answer(self, index):
        dispute = self._dispute(self._order(index))
        if dispute is not None:
            self._try(lambda: dispute_answer(dispute=dispute, actor=self.supplier_user, answer="Not our fault"))

    @rule(
        index=st.integers(0, 1),
        decision=st.sampled_from(["release", "partial_refund", "refund"]),
        percent=st.integers(0, 120),
    )
    def decide(self, index, decision, percent):
        """A partial refund of 0–120 % of what is held (0 and 100 % and more are refused)."""
        order = self._order(index)
        dispute = self._dispute(order)
        amount = (ledger_balances(order=order).held * percent / 100).quantize(Decimal("0.01"))
        if dispute is not None:
            self._try(
                lambda: dispute_decide(
                    dispute=dispute, actor=self.staff, decision=decision, reason="Seen the photos", refund_amount=amount
                )
            )

    @invariant()
    def every_ledger_balances(self):
        for pk in getattr(self, "orders", []):
            order = Order.objects.select_related("protection").get(pk=pk)
            protection = order.protection
            entries = list(LedgerEntry.objects.filter(order=order))
            assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
            assert {e.currency for e in entries} <= {order.currency}
            balances = ledger_balances(order=order)
            assert balances.held >= 0
            assert balances.released + balances.refunded <= balances.paid <= protection.amount
            assert balances.paid == balances.held + balances.released + balances.refunded
            if protection.status == Protection.Status.HELD:
                assert balances.held == balances.paid == protection.amount
            if protection.is_closed:
                assert balances.held == 0
            if protection.status == Protection.Status.AWAITING_PAYMENT:
                assert balances.paid < protection.amount
                assert order.status in ("placed", "confirmed", "deposit_paid")
            if order.status == "deposit_paid":
                assert order.deposit_amount <= balances.paid < protection.amount
            if order.payment_terms == "deposit" and order.status == "confirmed":
                assert balances.paid < order.deposit_amount
            if order.status in ("paid", "shipped", "delivered", "completed"):
                assert protection.status != Protection.Status.AWAITING_PAYMENT
            REACHED.add(protection.status)


# One walk to each end, through the machine's own rules with its invariants checked after every
# step: whatever the random sequences happen to reach, every status is reached and checked.
DIRECTED = {
    "cancelled": [("cancel", {"index": 0, "by_buyer": True})],
    "held": [("pay", {"index": 0, "amount": Decimal("1000.00"), "by_staff": True})],
    "released": [("proceed", {"index": 0, "towards": "release", "all_the_way": True})],
    "refunded": [("proceed", {"index": 1, "towards": "refund", "all_the_way": True})],
    "partially_refunded": [("proceed", {"index": 0, "towards": "partial_refund", "all_the_way": True})],
}


def _walk(steps: list[tuple[str, dict]]) -> None:
    machine = ProtectionMachine()
    machine.two_protected_orders()
    machine.every_ledger_balances()
    for name, arguments in steps:
        getattr(machine, name)(**arguments)
        machine.every_ledger_balances()
    machine.teardown()


def test_the_ledger_of_every_order_balances_in_any_sequence(record_property):
    run_state_machine_as_test(ProtectionMachine, settings=MACHINE_SETTINGS)
    record_property("figure", f"protection ledger: random sequences reached {sorted(REACHED)}")
    for status, steps in DIRECTED.items():
        _walk(steps)
        assert status in REACHED, f"the walk to {status} did not get there"
    assert set(REACHED) == set(Protection.Status.values)
