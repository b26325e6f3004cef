"""The order and RFQ state machines as rules over random sequences of steps (hypothesis stateful).

Orders: any step by any party (buyer, supplier, an outsider), with the status the actor saw or a
stale one. A step succeeds exactly when the rules written out below allow it (who may move an
order from which status, written here from the business rules, not read from the code's table);
then the order has the new status and one more event. A refused step changes nothing.

RFQs: suppliers quote, revise and withdraw, the buyer awards any mix of quotes and quantities or
cancels. After every step: an open RFQ has no decided quote and no order; an awarded one has one
order per accepted quote at the quote's price and accepted quantity, together at most what was
asked, and no quote still submitted; a cancelled one has no accepted quote and no order. A refused
step changes nothing.
"""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from marketplace.exceptions import ApplicationError, ConflictError
from orders.models import Order, OrderEvent, Quote, Rfq, RfqEvent
from orders.services.award import rfq_award
from orders.services.rfq import quote_withdraw, rfq_cancel
from orders.services.transitions import (
    order_cancel,
    order_complete,
    order_confirm,
    order_confirm_delivery,
    order_mark_paid,
    order_rate,
    order_ship,
)
from tests import factories as f

from .factories import listing_with, make_rfq, place, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, ConflictError, ValidationError, ApplicationError)

# Who may take which step from which status: the marketplace's order rules.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("placed", "confirm"): {"supplier"},
    ("confirmed", "mark_paid"): {"supplier"},
    ("paid", "ship"): {"supplier"},
    ("shipped", "confirm_delivery"): {"buyer"},
    ("delivered", "complete"): {"buyer"},
    ("placed", "cancel"): {"buyer", "supplier"},
    ("confirmed", "cancel"): {"buyer", "supplier"},
    ("paid", "cancel"): {"supplier"},  # money received: only the supplier may undo it
}
TARGET = {
    "confirm": "confirmed",
    "mark_paid": "paid",
    "ship": "shipped",
    "confirm_delivery": "delivered",
    "complete": "completed",
    "cancel": "cancelled",
}
STEPS = {
    "confirm": lambda order, actor, seen: order_confirm(order=order, actor=actor, expected_status=seen),
    "mark_paid": lambda order, actor, seen: order_mark_paid(order=order, actor=actor, expected_status=seen),
    "ship": lambda order, actor, seen: order_ship(
        order=order, actor=actor, carrier="SF Express", tracking_number="SF1234567890", expected_status=seen
    ),
    "confirm_delivery": lambda order, actor, seen: order_confirm_delivery(
        order=order, actor=actor, expected_status=seen
    ),
    "complete": lambda order, actor, seen: order_complete(order=order, actor=actor, expected_status=seen),
    "cancel": lambda order, actor, seen: order_cancel(
        order=order, actor=actor, reason="Changed plans", expected_status=seen
    ),
}
STATUSES = ["placed", "confirmed", "paid", "shipped", "delivered", "completed", "cancelled"]
REACHED: dict[str, set[str]] = {"order": set(), "rfq": set()}  # statuses the sequences reached
MACHINE_SETTINGS = settings(
    max_examples=60,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same sequences on every run, so the statuses they reach are checked
)


class OrderMachine(RuleBasedStateMachine):
    @initialize()
    def place_an_order(self):
        supplier, self.supplier_user = supplier_with_member()
        self.buyer_user = f.BuyerMemberFactory().user
        self.outsider = f.BuyerMemberFactory().user
        listing = listing_with(supplier, f.CategoryFactory())
        purchase, _created = place(self.buyer_user, [(listing, None, 10)])
        self.order = purchase.orders.get()
        self.status = "placed"
        self.rated = False

    def _snapshot(self):
        order = Order.objects.get(pk=self.order.pk)
        return order.status, order.updated_at, OrderEvent.objects.filter(order=order).count()

    @rule(
        action=st.sampled_from(sorted(STEPS)),
        who=st.sampled_from(["buyer", "supplier", "outsider"]),
        stale=st.one_of(st.none(), st.sampled_from(STATUSES)),
    )
    def step(self, action, who, stale):
        actor = {"buyer": self.buyer_user, "supplier": self.supplier_user, "outsider": self.outsider}[who]
        seen = self.status if stale is None else stale
        before = self._snapshot()
        allowed = who in ALLOWED.get((self.status, action), set()) and seen == self.status
        try:
            STEPS[action](Order.objects.get(pk=self.order.pk), actor, seen)
        except REFUSED:
            assert not allowed, f"{who} could not {action} a {self.status} order"
            assert self._snapshot() == before
            return
        assert allowed, f"{who} could {action} a {self.status} order (seen as {seen})"
        self.status = TARGET[action]
        status, _updated, events = self._snapshot()
        assert status == self.status and events == before[2] + 1

    @rule()
    def proceed(self):
        """The next step forward by the party whose turn it is, so that sequences reach every status."""
        forward = {"placed": "confirm", "confirmed": "mark_paid", "paid": "ship", "shipped": "confirm_delivery"}
        forward["delivered"] = "complete"
        action = forward.get(self.status)
        if action is not None:
            (who,) = ALLOWED[(self.status, action)]
            self.step(action=action, who=who, stale=None)

    @rule(who=st.sampled_from(["buyer", "supplier", "outsider"]), stars=st.integers(min_value=1, max_value=5))
    def rate(self, who, stars):
        actor = {"buyer": self.buyer_user, "supplier": self.supplier_user, "outsider": self.outsider}[who]
        allowed = who == "buyer" and self.status == "completed" and not self.rated
        before = self._snapshot()
        try:
            order_rate(order=Order.objects.get(pk=self.order.pk), actor=actor, stars=stars)
        except REFUSED:
            assert not allowed
            assert self._snapshot() == before
            return
        assert allowed
        self.rated = True

    @invariant()
    def events_chain_from_placed_to_the_status(self):
        if not hasattr(self, "order"):
            return
        chain = list(
            OrderEvent.objects.filter(order_id=self.order.pk, to_status__gt="")
            .order_by("pk")
            .values_list("from_status", "to_status")
        )
        current = ""  # the "placed" event starts the chain
        for from_status, to_status in chain:
            assert from_status == current
            current = to_status
        assert current == self.status == Order.objects.get(pk=self.order.pk).status
        event(f"order {self.status}")
        REACHED["order"].add(self.status)


def test_order_steps_follow_the_rules_in_any_sequence(record_property):
    run_state_machine_as_test(OrderMachine, settings=MACHINE_SETTINGS)
    reached = sorted(REACHED["order"])
    record_property("figure", f"order state machine: {MACHINE_SETTINGS.max_examples} sequences reached {reached}")
    assert set(reached) == set(STATUSES)


class RfqMachine(RuleBasedStateMachine):
    @initialize(allow_split=st.booleans())
    def post_an_rfq(self, allow_split):
        self.buyer_user = f.BuyerMemberFactory().user
        self.members = []
        suppliers = []
        for _i in range(3):
            supplier, member = supplier_with_member()
            suppliers.append(supplier)
            self.members.append(member)
        self.rfq = make_rfq(
            self.buyer_user, category=f.CategoryFactory(), routed_to=suppliers, quantity=1000, allow_split=allow_split
        )

    def _snapshot(self):
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        quotes = tuple(
            Quote.objects.filter(rfq=rfq)
            .order_by("pk")
            .values_list("pk", "status", "unit_price", "quantity", "moq", "accepted_quantity")
        )
        return (
            rfq.status,
            quotes,
            Order.objects.filter(purchase__buyer=rfq.buyer).count(),
            RfqEvent.objects.filter(rfq=rfq).count(),
        )

    def _refused_changes_nothing(self, call):
        before = self._snapshot()
        try:
            call()
        except REFUSED:
            assert self._snapshot() == before
            return False
        after = self._snapshot()
        assert after[3] > before[3], "a step that went through left no event"
        return True

    @rule(
        who=st.integers(min_value=0, max_value=2),
        price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
        quantity=st.one_of(st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=1200)),
        moq=st.integers(min_value=1, max_value=400),
    )
    def quote(self, who, price, quantity, moq):
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        moq = min(moq, quantity) if moq % 4 else moq  # mostly a valid MOQ, sometimes one above the quantity
        self._refused_changes_nothing(
            lambda: quote_for(rfq, self.members[who], unit_price=price, quantity=quantity, moq=moq)
        )

    @rule(who=st.integers(min_value=0, max_value=2))
    def withdraw(self, who):
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        self._refused_changes_nothing(lambda: quote_withdraw(rfq=rfq, actor=self.members[who]))

    @rule(
        picks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 1200)), min_size=1, max_size=3), whole=st.booleans()
    )
    def award(self, picks, whole, only=None):
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        quotes = [only] if only is not None else list(Quote.objects.filter(rfq=rfq).order_by("pk"))
        if not quotes:
            return
        awards = []
        for index, quantity in picks:
            quote = quotes[index % len(quotes)]
            awards.append((quote.pk, quote.quantity if whole else quantity))
        self._refused_changes_nothing(
            lambda: rfq_award(
                rfq=rfq,
                actor=self.buyer_user,
                awards=awards,
                shipping_address="Dam 1, Amsterdam",
                ship_to_country="NL",
                idempotency_key=uuid.uuid4().hex,
                language="en",
            )
        )

    @rule(index=st.integers(min_value=0, max_value=2))
    def award_one_submitted_quote(self, index):
        """The buyer accepts one submitted quote for all it offers (the common award)."""
        submitted = list(Quote.objects.filter(rfq_id=self.rfq.pk, status=Quote.Status.SUBMITTED).order_by("pk"))
        if submitted:
            quote = submitted[index % len(submitted)]
            self.award(picks=[(0, quote.quantity)], whole=False, only=quote)

    @rule(by_supplier=st.booleans(), now=st.integers(min_value=0, max_value=3))
    def cancel(self, by_supplier, now):
        if now:  # a cancellation ends the story: tried in one draw of four
            return
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        actor = self.members[0] if by_supplier else self.buyer_user
        went_through = self._refused_changes_nothing(lambda: rfq_cancel(rfq=rfq, actor=actor, reason="Budget cut"))
        assert not (went_through and by_supplier), "a supplier cancelled the buyer's RFQ"

    @invariant()
    def the_rfq_its_quotes_and_orders_agree(self):
        if not hasattr(self, "rfq"):
            return
        rfq = Rfq.objects.get(pk=self.rfq.pk)
        quotes = list(Quote.objects.filter(rfq=rfq))
        statuses = {q.status for q in quotes}
        event(f"rfq {rfq.status}")
        REACHED["rfq"].add(rfq.status)
        orders = list(Order.objects.filter(purchase__buyer=rfq.buyer).prefetch_related("lines"))
        if rfq.status == Rfq.Status.OPEN:
            assert statuses <= {Quote.Status.SUBMITTED, Quote.Status.WITHDRAWN} and not orders
        elif rfq.status == Rfq.Status.AWARDED:
            accepted = [q for q in quotes if q.status == Quote.Status.ACCEPTED]
            assert accepted and Quote.Status.SUBMITTED not in statuses
            assert sum(q.accepted_quantity for q in accepted) <= rfq.quantity
            assert len(accepted) == 1 or rfq.allow_split
            assert len(orders) == len(accepted)
            by_supplier = {o.supplier_id: o for o in orders}
            for q in accepted:
                goods = [line for line in by_supplier[q.supplier_id].lines.all() if line.listing_id is None]
                assert goods[0].quantity == q.accepted_quantity and goods[0].unit_price == q.unit_price
        else:
            assert rfq.status == Rfq.Status.CANCELLED
            assert Quote.Status.ACCEPTED not in statuses and Quote.Status.SUBMITTED not in statuses and not orders


def test_rfq_steps_keep_the_rfq_its_quotes_and_its_orders_consistent(record_property):
    run_state_machine_as_test(RfqMachine, settings=MACHINE_SETTINGS)
    reached = sorted(REACHED["rfq"])
    record_property("figure", f"RFQ state machine: {MACHINE_SETTINGS.max_examples} sequences reached {reached}")
    assert set(reached) == {"open", "awarded", "cancelled"}
