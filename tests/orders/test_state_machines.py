"""The order and RFQ state machines as rules over random sequences of steps (hypothesis stateful).

Orders: under any payment term and Incoterm, any step by any party (buyer, supplier, an outsider),
with the status the actor saw or a stale one, and confirmations with any charges and lead time. A
step succeeds exactly when the rules written out below allow it (who may move an order from which
status under which terms, written here from the business rules, not read from the code's table);
then the order has the new status and one more event. A refused step changes nothing. A changed
total binds only once the buyer accepted it; nothing ships before full payment where the terms
say so.

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
    order_accept_terms,
    order_cancel,
    order_complete,
    order_confirm,
    order_confirm_delivery,
    order_mark_deposit_paid,
    order_mark_paid,
    order_rate,
    order_ship,
)
from tests import factories as f

from .factories import listing_with, make_rfq, place, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, ConflictError, ValidationError, ApplicationError)

# The statuses an order passes through under each payment term: the marketplace's payment rules
# (prepaid and deposit pay before shipping; net terms after delivery; L/C on the shipping documents).
FLOW = {
    "prepaid": ["confirmed", "paid", "shipped", "delivered", "completed"],
    "deposit": ["confirmed", "deposit_paid", "paid", "shipped", "delivered", "completed"],
    "net30": ["confirmed", "shipped", "delivered", "paid", "completed"],
    "net60": ["confirmed", "shipped", "delivered", "paid", "completed"],
    "lc": ["confirmed", "shipped", "paid", "delivered", "completed"],
}
# Who takes the order into each status after confirmation, by which step.
INTO = {
    "deposit_paid": ("mark_deposit_paid", "supplier"),
    "paid": ("mark_paid", "supplier"),
    "shipped": ("ship", "supplier"),
    "delivered": ("confirm_delivery", "buyer"),
    "completed": ("complete", "buyer"),
}


def allowed(terms: str, status: str, action: str) -> dict[str, str]:
    """{party: status it leads to} for `action` on an order of `terms` in `status`, written from
    the rules above (not read from the code's table). "confirm" is handled apart (it may propose)."""
    flow = FLOW[terms]
    out: dict[str, str] = {}
    if status in flow[:-1]:
        following = flow[flow.index(status) + 1]
        step, party = INTO[following]
        if step == action:
            out[party] = following
    if action == "cancel":
        if status in ("placed", "proposed", "confirmed"):
            out = {"buyer": "cancelled", "supplier": "cancelled"}
        elif status in flow and flow.index(status) < flow.index("shipped"):
            out = {"supplier": "cancelled"}  # money received, not shipped: only the supplier may undo it
    if action == "accept_terms" and status == "proposed":
        out = {"buyer": "confirmed"}
    return out


STEPS = {
    "mark_deposit_paid": lambda order, actor, seen: order_mark_deposit_paid(
        order=order, actor=actor, expected_status=seen
    ),
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
    "accept_terms": lambda order, actor, seen: order_accept_terms(order=order, actor=actor, expected_status=seen),
}
STATUSES = [
    "placed", "proposed", "confirmed", "deposit_paid", "paid", "shipped", "delivered", "completed", "cancelled",
]  # fmt: skip
PARTIES = ["buyer", "supplier", "outsider"]
REACHED: dict[str, set[str]] = {"order": set(), "rfq": set()}  # statuses the sequences reached
MACHINE_SETTINGS = settings(
    max_examples=60,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same sequences on every run, so the statuses they reach are checked
)
charges = st.one_of(st.none(), st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("860.50")]))


class OrderMachine(RuleBasedStateMachine):
    @initialize(terms=st.sampled_from(sorted(FLOW)), incoterm=st.sampled_from(["FOB", "CIF", "DAP"]))
    def place_an_order(self, terms, incoterm):
        supplier, self.supplier_user = supplier_with_member()
        self.buyer_user = f.BuyerMemberFactory(company__net_terms_approved=True).user
        self.outsider = f.BuyerMemberFactory().user
        listing = listing_with(supplier, f.CategoryFactory())
        purchase, _created = place(
            self.buyer_user,
            [(listing, None, 10)],
            incoterm=incoterm,
            payment_terms=terms,
            deposit_percent=30 if terms == "deposit" else None,
        )
        self.order = purchase.orders.get()
        self.terms, self.incoterm = terms, incoterm
        self.placed_total = self.order.total
        self.status = "placed"
        self.rated = False

    def _actor(self, who):
        return {"buyer": self.buyer_user, "supplier": self.supplier_user, "outsider": self.outsider}[who]

    def _snapshot(self):
        order = Order.objects.get(pk=self.order.pk)
        return order.status, order.updated_at, order.total, OrderEvent.objects.filter(order=order).count()

    @rule(
        action=st.sampled_from(sorted(STEPS)),
        who=st.sampled_from(PARTIES),
        stale=st.one_of(st.none(), st.sampled_from(STATUSES)),
    )
    def step(self, action, who, stale):
        seen = self.status if stale is None else stale
        before = self._snapshot()
        leads_to = allowed(self.terms, self.status, action).get(who) if seen == self.status else None
        try:
            STEPS[action](Order.objects.get(pk=self.order.pk), self._actor(who), seen)
        except REFUSED:
            assert leads_to is None, f"{who} could not {action} a {self.status} {self.terms} order"
            assert self._snapshot() == before
            return
        assert leads_to is not None, f"{who} could {action} a {self.status} {self.terms} order (seen as {seen})"
        self.status = leads_to
        status, _updated, _total, events = self._snapshot()
        assert status == self.status and events == before[3] + 1

    @rule(
        who=st.sampled_from(PARTIES),
        freight=charges,
        insurance=charges,
        days=st.one_of(st.none(), st.integers(min_value=1, max_value=90)),
    )
    def confirm(self, who, freight, insurance, days):
        """The supplier confirms a placed order or proposes (revises) terms: the charges its
        Incoterm has the seller pay must be given, others refused; a changed total or lead time
        goes to the buyer for acceptance."""
        before = self._snapshot()
        order = Order.objects.get(pk=self.order.pk)
        needed = {"FOB": set(), "CIF": {"freight", "insurance"}, "DAP": {"freight"}}[self.incoterm]
        given = {name for name, amount in (("freight", freight), ("insurance", insurance)) if amount is not None}
        ok = who == "supplier" and self.status in ("placed", "proposed") and given == needed
        try:
            order_confirm(
                order=order, actor=self._actor(who), freight=freight, insurance=insurance, lead_time_days=days
            )
        except REFUSED:
            assert not ok, f"{who} could not confirm a {self.status} order with {given} (needs {needed})"
            assert self._snapshot() == before
            return
        assert ok, f"{who} confirmed a {self.status} order with {given} (needs {needed})"
        new_total = self.placed_total + (freight or 0) + (insurance or 0)
        changed = new_total != self.placed_total or (days is not None and days != order.lead_time_days)
        self.status = "proposed" if changed or self.status == "proposed" else "confirmed"
        status, _updated, total, _events = self._snapshot()
        assert (status, total) == (self.status, new_total)

    @rule()
    def proceed(self):
        """The next step forward by the party whose turn it is, so that sequences reach every status."""
        if self.status == "placed":
            needed = {"FOB": {}, "CIF": {"freight": Decimal("120"), "insurance": Decimal("8")}}
            self.confirm(
                who="supplier",
                days=None,
                **{"freight": None, "insurance": None, **needed.get(self.incoterm, {"freight": Decimal("0")})},
            )
        elif self.status == "proposed":
            self.step(action="accept_terms", who="buyer", stale=None)
        elif self.status in FLOW[self.terms][:-1]:
            action, who = INTO[FLOW[self.terms][FLOW[self.terms].index(self.status) + 1]]
            self.step(action=action, who=who, stale=None)

    @rule(who=st.sampled_from(["buyer", "supplier"]))
    def cancel(self, who):
        """Either side calls the order off as it stands (refused once the goods are on their way)."""
        self.step(action="cancel", who=who, stale=None)

    @rule(who=st.sampled_from(PARTIES), stars=st.integers(min_value=1, max_value=5))
    def rate(self, who, stars):
        allowed_now = who == "buyer" and self.status == "completed" and not self.rated
        before = self._snapshot()
        try:
            order_rate(order=Order.objects.get(pk=self.order.pk), actor=self._actor(who), stars=stars)
        except REFUSED:
            assert not allowed_now
            assert self._snapshot() == before
            return
        assert allowed_now
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
        event(f"order {self.status} ({self.terms})")
        REACHED["order"].add(self.status)

    @invariant()
    def terms_bind_only_as_accepted_and_money_comes_when_the_terms_say(self):
        """A total other than the one placed binds only once the buyer accepted exactly it; a bound
        order under a seller-paid Incoterm has its charges set; under prepaid and deposit terms
        nothing ships before full payment (and the deposit comes first)."""
        if not hasattr(self, "order"):
            return
        order = Order.objects.get(pk=self.order.pk)
        assert order.total == order.subtotal - order.sample_credit + (order.freight or 0) + (order.insurance or 0)
        bound = order.status not in ("placed", "proposed") and order.confirmed_at is not None
        if bound and order.total != self.placed_total:
            accepted = OrderEvent.objects.filter(order=order, from_status="proposed", to_status="confirmed").last()
            assert accepted is not None and accepted.party == "buyer"
            assert accepted.data["total"] == str(order.total)
        if bound and self.incoterm != "FOB":
            assert order.freight is not None
            assert (order.insurance is not None) == (self.incoterm == "CIF")
        if order.shipped_at is not None and self.terms in ("prepaid", "deposit"):
            assert order.paid_at is not None and order.paid_at <= order.shipped_at
        if order.paid_at is not None and self.terms == "deposit":
            assert order.deposit_paid_at is not None and order.deposit_paid_at <= order.paid_at


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
