"""Payment protection: the buyer pays the platform, the funds are held, then released to the
supplier or refunded to the buyer.

Every step follows the order steps' template (orders.services.transitions): lock (the order row,
then its protection: always in that order, so no two steps deadlock) → guard against
`PROTECTION_STEPS` → mutate with `update_fields` → an immutable ProtectionEvent, with two ledger
lines when money moves → mail both sides through the outbox in the same transaction.

Invariants kept (tests/orders/test_protection_ledger.py checks them over random sequences):
- per order, the ledger's debits equal its credits (each movement is one debit and one credit);
- the held balance (escrow) is never negative, and released + refunded never exceed what was paid;
- the funds are held exactly when the payments reach the amount protected; a closed protection
  holds nothing.
Because each step reads the protection's status under its row lock, a release racing a refund
gives one outcome: the second sees the first's status and is refused.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketplace.exceptions import ConflictError
from marketplace.mail.services import mail_enqueue
from suppliers.services.notifications import supplier_recipients

from ..models import (
    PAID_BEFORE_SHIPPING,
    PROTECTION_STEPS,
    Account,
    Dispute,
    LedgerEntry,
    Order,
    OrderEvent,
    Party,
    Protection,
    ProtectionEvent,
)
from .events import order_event_record
from .notify import buyer_recipients
from .parties import order_party_of
from .webhooks import webhook_emit_protection_event

Status = Protection.Status
Kind = ProtectionEvent.Kind
BUYER, SUPPLIER, STAFF, SYSTEM = Party.BUYER.value, Party.SUPPLIER.value, Party.STAFF.value, Party.SYSTEM.value
CENT = Decimal("0.01")

# Why a step is refused in the protection's status (ProtectionStateConflict).
STATE_MESSAGES = {
    "pay": gettext_lazy("A payment can be recorded only while the payment is awaited; it is now “%(status)s”."),
    "release": gettext_lazy("Only held funds can be released; the payment protection is now “%(status)s”."),
    "refund": gettext_lazy("Only held funds can be refunded; the payment protection is now “%(status)s”."),
    "cancel": gettext_lazy("The payment protection is now “%(status)s” and can no longer be cancelled."),
}
PARTY_MESSAGES = {
    "pay": gettext_lazy("Only the platform records payments into payment protection."),
    "release": gettext_lazy("Only the buyer, or the platform, releases the held funds."),
    "refund": gettext_lazy("Only the platform refunds held funds, unless the supplier cancels the order."),
    "cancel": gettext_lazy("Only the buyer or the supplier can cancel the order."),
}
# Events both sides are mailed about (a dispute's decision mails its own summary instead).
MAILED = {Kind.HELD, Kind.RELEASED, Kind.REFUNDED, Kind.DISPUTE_OPENED, Kind.DISPUTE_ANSWERED, Kind.DISPUTE_DECIDED}


class ProtectionStateConflict(ConflictError):
    """The protection's status does not allow this step now (409)."""


@dataclass(frozen=True)
class Balances:
    """What the ledger of one order says: paid in, held now, released and refunded."""

    paid: Decimal
    held: Decimal
    released: Decimal
    refunded: Decimal


def money(value: Any, field: str = "amount") -> Decimal:
    """`value` as a positive amount of the currency's two places, rounded half up."""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount such as 1250.00.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    return amount


# --- reading -----------------------------------------------------------------------------------


def ledger_balances(*, order: Order) -> Balances:
    """The order's balances read from its ledger in one query (exact, in the order's currency)."""

    def total(account: str, side: str) -> Sum:
        return Sum(side, filter=Q(account=account), default=Decimal("0.00"))

    sums = LedgerEntry.objects.filter(order=order).aggregate(
        paid=total(Account.BUYER, "credit"),
        refunded=total(Account.BUYER, "debit"),
        released=total(Account.SUPPLIER, "debit"),
        escrow_in=total(Account.ESCROW, "debit"),
        escrow_out=total(Account.ESCROW, "credit"),
    )
    return Balances(
        paid=sums["paid"],
        held=sums["escrow_in"] - sums["escrow_out"],
        released=sums["released"],
        refunded=sums["refunded"],
    )


def balances_from(entries: list[LedgerEntry]) -> Balances:
    """The same balances from ledger lines already loaded (the order page prefetches them)."""
    zero = Decimal("0")
    paid = sum((e.credit for e in entries if e.account == Account.BUYER), zero)
    refunded = sum((e.debit for e in entries if e.account == Account.BUYER), zero)
    released = sum((e.debit for e in entries if e.account == Account.SUPPLIER), zero)
    held = sum((e.debit - e.credit for e in entries if e.account == Account.ESCROW), zero)
    return Balances(paid=paid, held=held, released=released, refunded=refunded)


def protection_of(order: Order) -> Protection | None:
    """The order's protection if it has one (reads `order.protection`; select it with the order)."""
    try:
        return order.protection
    except Protection.DoesNotExist:
        return None


# --- the steps' common parts -------------------------------------------------------------------


def lock_order(order: Order) -> Order:
    """The order row, locked until the transaction ends (always locked before its protection)."""
    return Order.objects.select_for_update(of=("self",)).select_related("buyer", "supplier").get(pk=order.pk)


def lock_protection(order: Order) -> Protection:
    protection = Protection.objects.select_for_update().filter(order=order).first()
    if protection is None:
        raise ProtectionStateConflict(_("This order is not paid through payment protection."))
    protection.order = order
    return protection


def guard(protection: Protection, action: str, party: str) -> None:
    """Refuse `action` by `party` unless PROTECTION_STEPS has it for the protection's status."""
    parties = {p for s, a, p in PROTECTION_STEPS if s == protection.status and a == action}
    if not parties:
        raise ProtectionStateConflict(str(STATE_MESSAGES[action]) % {"status": protection.status_label})
    if party not in parties:
        raise PermissionDenied(str(PARTY_MESSAGES[action]))


def staff_party(actor: User | None) -> str:
    """STAFF for a staff member acting in the admin, SYSTEM for no one (a job, an adapter)."""
    if actor is None:
        return SYSTEM
    if not (actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only platform staff can do this."))
    return STAFF


def record_event(
    *,
    protection: Protection,
    kind: str,
    party: str,
    actor: User | None,
    from_status: str = "",
    dispute: Dispute | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    mail: bool = True,
) -> ProtectionEvent:
    """Write one immutable event; mail both sides about it through the outbox when it is mailed."""
    event = ProtectionEvent.objects.create(
        protection=protection,
        order=protection.order,
        dispute=dispute,
        actor=actor,
        party=party,
        kind=kind,
        from_status=from_status,
        to_status=protection.status,
        note=note,
        data=data or {},
    )
    webhook_emit_protection_event(event)  # dispute steps reach both parties' webhooks
    if mail and kind in MAILED:
        protection_notify(protection=protection, event=event, dispute=dispute)
    return event


def move(*, event: ProtectionEvent, source: str, target: str, amount: Decimal) -> None:
    """Two ledger lines of `event`: `amount` leaves `source` (credit) and reaches `target` (debit)."""
    order = event.order
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(event=event, order=order, account=source, currency=order.currency, credit=amount),
            LedgerEntry(event=event, order=order, account=target, currency=order.currency, debit=amount),
        ]
    )


def _set_status(protection: Protection, status: str, *fields: str) -> str:
    from_status = protection.status
    protection.status = status
    protection.save(update_fields=["status", "updated_at", *fields])
    return from_status


def _order_event(order: Order, *, kind: str, party: str, actor: User | None, to_status: str, note: str = "") -> None:
    order_event_record(
        order=order, actor=actor, party=party, kind=kind, from_status=order.status, to_status=to_status, note=note
    )


def protection_notify(*, protection: Protection, event: ProtectionEvent, dispute: Dispute | None) -> None:
    """One mail per person of both sides, rendered now from `orders/email/protection_<kind>.txt`
    (subject on line 1), written to the outbox in the caller's transaction; once per event and person."""
    order = protection.order
    balances = ledger_balances(order=order)
    for to_party, recipients in (
        (BUYER, buyer_recipients(order)),
        (SUPPLIER, supplier_recipients(order.supplier)),
    ):
        for email, language in recipients:
            mail_enqueue(
                to=email,
                template=f"orders/email/protection_{event.kind}.txt",
                context={
                    "order": order,
                    "protection": protection,
                    "event": event,
                    "dispute": dispute,
                    "balances": balances,
                    "to_party": to_party,
                },
                language=language,
                kind=f"protection_{event.kind}",
                dedupe_key=f"protection-event:{event.pk}:{email}",
            )


# --- movements (inside a step's lock) ----------------------------------------------------------


def release_held(
    *, protection: Protection, party: str, actor: User | None, dispute: Dispute | None = None, note: str = ""
) -> ProtectionEvent:
    """Release everything held to the supplier (the caller holds the locks and has guarded)."""
    held = ledger_balances(order=protection.order).held
    protection.closed_at = timezone.now()
    from_status = _set_status(protection, Status.RELEASED, "closed_at")
    event = record_event(
        protection=protection,
        kind=Kind.RELEASED,
        party=party,
        actor=actor,
        from_status=from_status,
        dispute=dispute,
        note=note,
        data={"amount": str(held)},
        mail=dispute is None,
    )
    if held:
        move(event=event, source=Account.ESCROW, target=Account.SUPPLIER, amount=held)
    return event


def refund_held(
    *,
    protection: Protection,
    party: str,
    actor: User | None,
    amount: Decimal | None = None,
    dispute: Dispute | None = None,
    note: str = "",
) -> list[ProtectionEvent]:
    """Refund `amount` (None: everything held) to the buyer and release the rest to the supplier:
    refunded in full, or partly refunded. The caller holds the locks and has guarded."""
    held = ledger_balances(order=protection.order).held
    refund = held if amount is None else amount
    if refund <= 0 or refund > held:
        raise ValidationError(
            {"refund_amount": _("Refund more than zero and at most the %(held)s held.") % {"held": held}}
        )
    rest = held - refund
    protection.closed_at = timezone.now()
    from_status = _set_status(protection, Status.REFUNDED if rest == 0 else Status.PARTIALLY_REFUNDED, "closed_at")
    refunded = record_event(
        protection=protection,
        kind=Kind.REFUNDED,
        party=party,
        actor=actor,
        from_status=from_status,
        dispute=dispute,
        note=note,
        data={"amount": str(refund), "released": str(rest)},
        mail=dispute is None,
    )
    move(event=refunded, source=Account.ESCROW, target=Account.BUYER, amount=refund)
    events = [refunded]
    if rest:
        released = record_event(
            protection=protection,
            kind=Kind.RELEASED,
            party=party,
            actor=actor,
            from_status=protection.status,
            dispute=dispute,
            note=note,
            data={"amount": str(rest)},
            mail=False,
        )
        move(event=released, source=Account.ESCROW, target=Account.SUPPLIER, amount=rest)
        events.append(released)
    return events


# --- the steps ---------------------------------------------------------------------------------


@transaction.atomic
def protection_open(*, order: Order, actor: User) -> Protection:
    """The buyer chooses to pay a placed or confirmed order through payment protection (once):
    the platform will record the payment, the supplier no longer marks it paid."""
    order = lock_order(order)
    party = order_party_of(order=order, user=actor)
    if party != BUYER:
        raise PermissionDenied(_("Only the buyer chooses payment protection."))
    existing = Protection.objects.filter(order=order).first()
    if existing is not None:
        return existing  # idempotent: a second click finds the first one's protection
    if order.payment_terms not in PAID_BEFORE_SHIPPING:
        raise ProtectionStateConflict(
            _("Payment protection holds payments made before shipping; under “%(terms)s” the supplier is paid later.")
            % {"terms": order.payment_terms_label}
        )
    if order.status not in (Order.Status.PLACED, Order.Status.PROPOSED, Order.Status.CONFIRMED):
        raise ProtectionStateConflict(
            _("Payment protection can be chosen only before the order is paid; it is now “%(status)s”.")
            % {"status": order.status_label}
        )
    if order.total <= 0:
        raise ProtectionStateConflict(_("This order has nothing to pay."))
    protection = Protection.objects.create(order=order, currency=order.currency, amount=order.total, opened_by=actor)
    protection.order = order
    record_event(protection=protection, kind=Kind.OPENED, party=BUYER, actor=actor, data={"amount": str(order.total)})
    return protection


@transaction.atomic
def protection_payment_record(
    *, order: Order, actor: User | None, amount: Any, reference: str = "", note: str = ""
) -> Protection:
    """Staff (in the admin) or a payment provider's adapter (no actor) record a payment the buyer
    made to the platform. A payment may be partial; under deposit terms, once the payments reach
    the deposit the order's deposit is paid. When they reach the amount protected the funds are
    held and the order, confirmed by its supplier, becomes paid."""
    party = staff_party(actor)
    value = money(amount)
    reference = (reference or "").strip()[:100]
    order = lock_order(order)
    protection = lock_protection(order)
    guard(protection, "pay", party)
    if order.status not in (Order.Status.CONFIRMED, Order.Status.DEPOSIT_PAID):
        raise ProtectionStateConflict(
            _("Record the payment once the supplier has confirmed the order; it is now “%(status)s”.")
            % {"status": order.status_label}
        )
    paid = ledger_balances(order=order).paid
    if paid + value > protection.amount:
        raise ValidationError(
            {"amount": _("At most %(due)s %(currency)s is still due.")
             % {"due": protection.amount - paid, "currency": protection.currency}}
        )  # fmt: skip
    event = record_event(
        protection=protection,
        kind=Kind.PAID,
        party=party,
        actor=actor,
        from_status=protection.status,
        note=note,
        data={"amount": str(value), "reference": reference},
    )
    move(event=event, source=Account.BUYER, target=Account.ESCROW, amount=value)
    deposit = order.deposit_amount
    if order.status == Order.Status.CONFIRMED and deposit is not None and paid + value >= deposit:
        _order_event(
            order, kind=OrderEvent.Kind.DEPOSIT_PAID, party=party, actor=actor, to_status=Order.Status.DEPOSIT_PAID
        )
        order.status, order.deposit_paid_at = Order.Status.DEPOSIT_PAID, timezone.now()
        order.save(update_fields=["status", "deposit_paid_at", "updated_at"])
    if paid + value == protection.amount:
        protection.held_at = timezone.now()
        from_status = _set_status(protection, Status.HELD, "held_at")
        record_event(protection=protection, kind=Kind.HELD, party=party, actor=actor, from_status=from_status)
        _order_event(order, kind=OrderEvent.Kind.PAID, party=party, actor=actor, to_status=Order.Status.PAID)
        order.status, order.paid_at = Order.Status.PAID, timezone.now()
        order.save(update_fields=["status", "paid_at", "updated_at"])
    return protection


def _undecided_dispute(order: Order) -> Dispute | None:
    return Dispute.objects.filter(order=order).exclude(status=Dispute.Status.DECIDED).first()


def protection_release_one(*, protection_id: int, now: datetime | None = None) -> bool:
    """Release one protection's funds if their release date has passed with no dispute open (the
    system's step; safe to run twice or at once with a buyer's or staff's step). True if released."""
    now = now or timezone.now()
    with transaction.atomic():
        protection = Protection.objects.filter(pk=protection_id).select_related("order").first()
        if protection is None:
            return False
        order = lock_order(protection.order)
        protection = lock_protection(order)
        if protection.status != Status.HELD or protection.release_due_at is None or protection.release_due_at > now:
            return False
        if _undecided_dispute(order) is not None:
            return False
        guard(protection, "release", SYSTEM)
        release_held(protection=protection, party=SYSTEM, actor=None)
        return True


def protection_release_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Release every held protection whose release date has passed undisputed, each in its own
    transaction; returns how many were released (the hourly beat task)."""
    now = now or timezone.now()
    ids = list(
        Protection.objects.filter(status=Status.HELD, release_due_at__lte=now)
        .exclude(disputes__status__in=(Dispute.Status.OPEN, Dispute.Status.ANSWERED))
        .order_by("release_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(protection_release_one(protection_id=pk, now=now) for pk in ids)


# --- following the order's own steps (called by orders.services.transitions inside its lock) ---


def protection_follow_order(*, order: Order, action: str, party: str, actor: User) -> None:
    """What an order step means for its protection, in the same transaction (the order is locked):
    a protected order is marked paid by the platform only; shipping starts the release clock;
    the buyer's delivery confirmation releases the funds; cancelling refunds what was paid. A step
    that would settle funds under dispute waits for the dispute's decision."""
    protection = Protection.objects.select_for_update().filter(order=order).first()
    if protection is None:
        return
    protection.order = order
    if action in ("mark_paid", "mark_deposit_paid"):
        raise ProtectionStateConflict(
            _("This order is paid through payment protection: the platform records the payment.")
        )
    if action in ("confirm", "accept_terms") and protection.status == Status.AWAITING_PAYMENT:
        _protection_amount_follow(protection=protection, party=party, actor=actor)
        return
    if action in ("confirm_delivery", "cancel") and _undecided_dispute(order) is not None:
        raise ProtectionStateConflict(_("A dispute about this order is open: it is decided by the platform first."))
    if action == "ship" and protection.status == Status.HELD:
        protection.release_due_at = timezone.now() + timedelta(days=settings.PROTECTION_AUTO_RELEASE_DAYS)
        protection.save(update_fields=["release_due_at", "updated_at"])
        record_event(
            protection=protection,
            kind=Kind.RELEASE_DUE_SET,
            party=party,
            actor=actor,
            from_status=protection.status,
            data={"release_due_at": protection.release_due_at.isoformat()},
        )
    elif action == "confirm_delivery" and protection.status == Status.HELD:
        guard(protection, "release", party)
        release_held(protection=protection, party=party, actor=actor)
    elif action == "cancel" and protection.status == Status.HELD:
        guard(protection, "refund", party)
        refund_held(protection=protection, party=party, actor=actor, note=_("Order cancelled"))
    elif action == "cancel" and protection.status == Status.AWAITING_PAYMENT:
        guard(protection, "cancel", party)
        paid = ledger_balances(order=order).paid  # a deposit already paid goes back
        protection.closed_at = timezone.now()
        from_status = _set_status(protection, Status.CANCELLED, "closed_at")
        event = record_event(
            protection=protection, kind=Kind.CANCELLED, party=party, actor=actor, from_status=from_status
        )
        if paid:
            move(event=event, source=Account.ESCROW, target=Account.BUYER, amount=paid)


def _protection_amount_follow(*, protection: Protection, party: str, actor: User) -> None:
    """The amount to pay in follows the order's total while nothing is paid (the supplier set
    freight or insurance, the buyer accepted them), in the same transaction as the change."""
    order = protection.order
    if protection.amount == order.total or ledger_balances(order=order).paid:
        return
    before = protection.amount
    protection.amount = order.total
    protection.save(update_fields=["amount", "updated_at"])
    record_event(
        protection=protection,
        kind=Kind.AMOUNT_SET,
        party=party,
        actor=actor,
        from_status=protection.status,
        data={"amount": str(order.total), "before": str(before)},
    )


def protection_blocks(order: Order, action: str) -> bool:
    """Whether an order step's button is hidden because the protection takes its place (reads
    `order.protection`, selected with the order): the supplier's "deposit" and "payment received"."""
    return action in ("mark_paid", "mark_deposit_paid") and protection_of(order) is not None
