"""What the order page shows around the order's terms: its progress through the statuses of its
payment terms, the supplier's proposal awaiting the buyer, and what to pay now and how.

Everything here reads the order with its events (prefetched by `order_get_for_user`) and the
protection view already loaded: no query of its own.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..models import NET_DAYS, PAID_BEFORE_SHIPPING, Order, OrderEvent, PaymentTerms
from ..selectors.protection import ProtectionView
from ..tracking import tracking_url

Status = Order.Status
# The statuses at and after which the order counts as paid in full.
_PAID_OR_LATER = {Status.PAID, Status.COMPLETED}


@dataclass(frozen=True)
class Step:
    """One status of the order's progress: "done", "current", "upcoming", "skipped" or "cancelled"."""

    status: str
    label: str
    state: str


def progress_steps(order: Order, events: Sequence[OrderEvent]) -> list[Step]:
    """The statuses of the order's flow (orders.models.FLOWS, "proposed" included where its
    Incoterm has the supplier set charges or a proposal was made), each marked done, current or
    upcoming; an optional proposal not made is "skipped". A cancelled order keeps the steps it
    reached and shows "cancelled" after them, the rest struck out."""
    flow = list(order.flow)
    reached = {event.to_status for event in events}
    if Status.PROPOSED in reached and Status.PROPOSED not in flow:
        flow.insert(1, Status.PROPOSED.value)
    labels = {value: str(label) for value, label in Status.choices}
    if order.status == Status.CANCELLED:
        cancelled_from = next((e.from_status for e in reversed(events) if e.to_status == Status.CANCELLED), "")
        last = flow.index(cancelled_from) if cancelled_from in flow else 0
        steps = [
            Step(status, labels[status], _reached(status, reached) if index <= last else "upcoming")
            for index, status in enumerate(flow)
            if index <= last or status != Status.PROPOSED
        ]
        steps.insert(last + 1, Step(Status.CANCELLED.value, labels[Status.CANCELLED], "cancelled"))
        return steps
    current = flow.index(order.status) if order.status in flow else -1
    return [
        Step(status, labels[status], _reached(status, reached))
        if index < current
        else Step(status, labels[status], "current" if index == current else "upcoming")
        for index, status in enumerate(flow)
    ]


def _reached(status: str, reached: set[str]) -> str:
    """A step behind the order: done, or skipped for a proposal that was never needed."""
    return "skipped" if status == Status.PROPOSED and status not in reached else "done"


@dataclass(frozen=True)
class Proposal:
    """The supplier's proposed terms beside what the buyer placed the order with."""

    placed_total: Decimal
    total: Decimal
    freight: Decimal | None
    insurance: Decimal | None
    placed_lead_time_days: int | None
    lead_time_days: int | None

    @property
    def total_changed(self) -> bool:
        return self.total != self.placed_total

    @property
    def lead_time_changed(self) -> bool:
        return self.lead_time_days != self.placed_lead_time_days

    @property
    def difference(self) -> Decimal:
        return self.total - self.placed_total


def proposal_of(order: Order, events: Sequence[OrderEvent]) -> Proposal | None:
    """The proposal of a proposed order (None otherwise): the total placed (goods less the sample
    credit) against the total proposed, the charges, and the lead time placed against proposed."""
    if order.status != Status.PROPOSED:
        return None
    placed = next((e for e in events if e.kind == OrderEvent.Kind.PLACED), None)
    placed_days = placed.data.get("lead_time_days") if placed is not None else None
    return Proposal(
        placed_total=order.subtotal - order.sample_credit,
        total=order.total,
        freight=order.freight,
        insurance=order.insurance,
        placed_lead_time_days=placed_days if isinstance(placed_days, int) else None,
        lead_time_days=order.lead_time_days,
    )


@dataclass(frozen=True)
class Payment:
    """What the payment panel says.

    `stage`: "after_confirmation" (placed or proposed: payable once confirmed), "deposit", "full",
    "balance" (payable now, `amount`), "net" (due `net_days` after shipping, or on `due_at`), "lc",
    or "paid". `account` is the platform's protection account when the order is paid into
    protection (the buyer quotes `reference`)."""

    stage: str
    amount: Decimal | None = None
    deposit_amount: Decimal | None = None
    due_at: datetime.datetime | None = None
    net_days: int | None = None
    overdue: bool = False
    paid_at: datetime.datetime | None = None
    protected: bool = False
    account: dict[str, str] | None = None
    reference: str = ""

    @property
    def payable_now(self) -> bool:
        return self.stage in ("deposit", "full", "balance")


def payment_of(order: Order, protection_view: ProtectionView | None) -> Payment | None:
    """What the buyer pays now and how, under the order's payment terms (None when cancelled)."""
    if order.status == Status.CANCELLED:
        return None
    terms = order.payment_terms
    protected = protection_view is not None
    paid_in = protection_view.balances.paid if protection_view is not None else Decimal("0")
    account: dict[str, Any] = {}
    if protected and protection_view is not None and protection_view.protection.status == "awaiting_payment":
        account = {"account": settings.PAYMENT_PROTECTION_ACCOUNT, "reference": order.number}
    if order.status in _PAID_OR_LATER or order.paid_at is not None:
        return Payment(stage="paid", paid_at=order.paid_at, protected=protected)
    if terms in PAID_BEFORE_SHIPPING:
        deposit = order.deposit_amount
        if order.status in (Status.PLACED, Status.PROPOSED):
            return Payment(
                stage="after_confirmation",
                amount=order.total,
                deposit_amount=deposit,
                protected=protected,
                **account,
            )
        if order.status == Status.CONFIRMED and deposit is not None:
            return Payment(
                stage="deposit", amount=max(deposit - paid_in, Decimal("0")), deposit_amount=deposit,
                protected=protected, **account,
            )  # fmt: skip
        if order.status == Status.DEPOSIT_PAID:
            already = paid_in if protected else (deposit or Decimal("0"))
            return Payment(
                stage="balance", amount=order.total - already, deposit_amount=deposit, protected=protected, **account
            )
        return Payment(stage="full", amount=order.total - paid_in, protected=protected, **account)
    if terms in NET_DAYS:
        due = order.payment_due_at
        return Payment(
            stage="net",
            amount=order.total,
            due_at=due,
            net_days=NET_DAYS[terms],
            overdue=due is not None and due < timezone.now(),
        )
    if terms == PaymentTerms.LC:
        return Payment(stage="lc", amount=order.total)
    return None


def tracking_link(order: Order) -> str | None:
    """The carrier's public tracking page of the order's shipment, when the carrier is known."""
    return tracking_url(order.carrier, order.tracking_number) if order.tracking_number else None
