"""Disputes about a protected order: the buyer opens one while the funds are held, the supplier
answers, staff decide in the admin (release, partial refund, refund) with reasons on record.

Each step follows the house template (lock the order, then its protection, then the dispute →
guard against `DISPUTE_STEPS` → mutate → an immutable ProtectionEvent → mails to both sides through
the outbox). Evidence files are received unchecked and checked in the worker like every upload
(marketplace.filecheck); the request checks only their size and magic bytes.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketplace.filecheck.services import checked_name, file_check_later, file_receive, shown_name
from marketplace.uploads import CleanFile

from ..models import DISPUTE_STEPS, Dispute, DisputeEvidence, Order, OrderEvent, Party, Protection, ProtectionEvent
from .events import order_event_record
from .parties import order_party_of
from .placing import order_stock_release
from .protection import (
    ProtectionStateConflict,
    guard,
    ledger_balances,
    lock_order,
    lock_protection,
    money,
    record_event,
    refund_held,
    release_held,
    staff_party,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

BUYER, SUPPLIER = Party.BUYER.value, Party.SUPPLIER.value
Kind = ProtectionEvent.Kind
MAX_FILES = 5
MAX_TEXT = 4000

STATE_MESSAGES = {
    "answer": gettext_lazy("Only an open dispute can be answered; this dispute is now “%(status)s”."),
    "decide": gettext_lazy("This dispute is already decided."),
}
PARTY_MESSAGES = {
    "open": gettext_lazy("Only the buyer can open a dispute."),
    "answer": gettext_lazy("Only the supplier answers a dispute."),
    "decide": gettext_lazy("Only platform staff decide disputes."),
}


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Use at most %(n)d characters.") % {"n": MAX_TEXT}})
    return value


def _guard(dispute_status: str, action: str, party: str) -> None:
    parties = {p for s, a, p in DISPUTE_STEPS if s == dispute_status and a == action}
    if not parties:
        raise ProtectionStateConflict(
            str(STATE_MESSAGES.get(action, STATE_MESSAGES["decide"])) % {"status": dispute_status}
        )
    if party not in parties:
        raise PermissionDenied(str(PARTY_MESSAGES[action]))


def _lock_dispute(dispute: Dispute) -> tuple[Order, Protection, Dispute]:
    """The dispute's order, protection and the dispute itself, locked in that order."""
    order = lock_order(dispute.order)
    protection = lock_protection(order)
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    locked.order, locked.protection = order, protection
    return order, protection, locked


def _add_files(
    *, dispute: Dispute, actor: User, party: str, files: "list[UploadedFile[bytes]]"
) -> list[DisputeEvidence]:
    """Keep each file unchecked and queue its check; a file refused outright refuses the step."""
    if len(files) > MAX_FILES:
        raise ValidationError({"evidence": _("Send at most %(n)d files.") % {"n": MAX_FILES}})
    rows = []
    for upload in files:
        row = DisputeEvidence(
            dispute=dispute, party=party, uploaded_by=actor, name=shown_name(upload.name or "", fallback="file")
        )
        try:
            file_receive(row, upload)
        except ValidationError as exc:
            raise ValidationError({"evidence": [f"{row.name}: {m}" for m in exc.messages]}) from exc
        row.size = upload.size
        row.save()
        rows.append(row)
    for row in rows:
        file_check_later(row)
    return rows


def evidence_checked(row: DisputeEvidence, clean: CleanFile | None, content_type: str) -> None:
    """`on_checked` of the "dispute_evidence" kind: name the checked copy with its own extension."""
    if clean is not None:
        row.name = checked_name(row.name, clean.name, fallback="file")
        row.size = clean.size
        row.content_type = content_type
    else:
        row.content_type = ""


def dispute_window_open(protection: Protection, order: Order, now: Any = None) -> bool:
    """The buyer may open a dispute: the funds are held, the order is paid or shipped (not yet
    confirmed delivered), and its release date, if set, has not passed."""
    now = now or timezone.now()
    return (
        protection.status == Protection.Status.HELD
        and order.status in (Order.Status.PAID, Order.Status.SHIPPED)
        and (protection.release_due_at is None or protection.release_due_at > now)
    )


@transaction.atomic
def dispute_open(
    *,
    order: Order,
    actor: User,
    reason: str,
    description: str,
    refund_requested: Any = None,
    files: "list[UploadedFile[bytes]] | None" = None,
) -> Dispute:
    """The buyer disputes a protected order while its funds are held: the funds stay held (no
    auto-release) until staff decide. One undecided dispute per order."""
    if reason not in Dispute.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    description = _text(description, "description", _("Say what went wrong."))
    requested = money(refund_requested, "refund_requested") if refund_requested not in (None, "") else None
    order = lock_order(order)
    party = order_party_of(order=order, user=actor)
    protection = lock_protection(order)
    if Dispute.objects.filter(order=order).exclude(status=Dispute.Status.DECIDED).exists():
        raise ProtectionStateConflict(_("A dispute about this order is already open."))
    _guard("", "open", party)
    if not dispute_window_open(protection, order):
        raise ProtectionStateConflict(
            _("A dispute can be opened only while the funds are held and before they are released.")
        )
    held = ledger_balances(order=order).held
    if requested is not None and requested > held:
        raise ValidationError({"refund_requested": _("Ask for at most the %(held)s held.") % {"held": held}})
    dispute = Dispute.objects.create(
        order=order,
        protection=protection,
        reason=reason,
        description=description,
        refund_requested=requested,
        opened_by=actor,
    )
    dispute.order, dispute.protection = order, protection
    evidence = _add_files(dispute=dispute, actor=actor, party=party, files=files or [])
    record_event(
        protection=protection,
        kind=Kind.DISPUTE_OPENED,
        party=party,
        actor=actor,
        from_status=protection.status,
        dispute=dispute,
        note=description,
        data={"reason": reason, "refund_requested": str(requested) if requested else None, "files": len(evidence)},
    )
    return dispute


@transaction.atomic
def dispute_answer(
    *, dispute: Dispute, actor: User, answer: str, files: "list[UploadedFile[bytes]] | None" = None
) -> Dispute:
    """The supplier answers an open dispute once, with its side and evidence."""
    answer = _text(answer, "answer", _("Give your answer."))
    order, protection, dispute = _lock_dispute(dispute)
    party = order_party_of(order=order, user=actor)
    _guard(dispute.status, "answer", party)
    dispute.status, dispute.answer, dispute.answered_by, dispute.answered_at = (
        Dispute.Status.ANSWERED,
        answer,
        actor,
        timezone.now(),
    )
    dispute.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    evidence = _add_files(dispute=dispute, actor=actor, party=party, files=files or [])
    record_event(
        protection=protection,
        kind=Kind.DISPUTE_ANSWERED,
        party=party,
        actor=actor,
        from_status=protection.status,
        dispute=dispute,
        note=answer,
        data={"files": len(evidence)},
    )
    return dispute


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor: User, decision: str, reason: str, refund_amount: Any = None) -> Dispute:
    """Staff decide an open or answered dispute with reasons: release everything held to the
    supplier, refund part (the rest released) or refund everything. A full refund cancels an order
    not yet delivered. The protection is closed either way."""
    party = staff_party(actor)
    if actor is None:
        raise PermissionDenied(str(PARTY_MESSAGES["decide"]))
    if decision not in Dispute.Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    reason = _text(reason, "decision_reason", _("Give the reasons for the decision."))
    amount: Decimal | None = None
    if decision == Dispute.Decision.PARTIAL_REFUND:
        amount = money(refund_amount, "refund_amount")
    order, protection, dispute = _lock_dispute(dispute)
    _guard(dispute.status, "decide", party)
    held = ledger_balances(order=order).held
    if decision == Dispute.Decision.PARTIAL_REFUND and amount is not None and amount >= held:
        raise ValidationError(
            {"refund_amount": _("A partial refund is less than the %(held)s held; refund in full instead.")
             % {"held": held}}
        )  # fmt: skip
    if decision == Dispute.Decision.RELEASE:
        guard(protection, "release", party)
        release_held(protection=protection, party=party, actor=actor, dispute=dispute, note=reason)
        refunded = Decimal("0")
    else:
        guard(protection, "refund", party)
        refund_held(protection=protection, party=party, actor=actor, amount=amount, dispute=dispute, note=reason)
        refunded = held if amount is None else amount
    dispute.status, dispute.decision, dispute.decision_reason = Dispute.Status.DECIDED, decision, reason
    dispute.refund_amount, dispute.decided_by, dispute.decided_at = refunded, actor, timezone.now()
    dispute.save(
        update_fields=[
            "status", "decision", "decision_reason", "refund_amount", "decided_by", "decided_at", "updated_at",
        ]
    )  # fmt: skip
    if decision == Dispute.Decision.REFUND and order.status in (Order.Status.PAID, Order.Status.SHIPPED):
        order_event_record(
            order=order,
            actor=actor,
            party=party,
            kind=OrderEvent.Kind.CANCELLED,
            from_status=order.status,
            to_status=Order.Status.CANCELLED,
            note=reason,
        )
        if order.status == Order.Status.PAID:  # not shipped: reserved spot stock goes back
            order_stock_release(order=order)
        order.status, order.cancelled_at = Order.Status.CANCELLED, timezone.now()
        order.cancel_reason, order.cancelled_by_party = reason, party
        order.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by_party", "updated_at"])
    record_event(
        protection=protection,
        kind=Kind.DISPUTE_DECIDED,
        party=party,
        actor=actor,
        from_status=protection.status,
        dispute=dispute,
        note=reason,
        data={"decision": decision, "refunded": str(refunded), "released": str(held - refunded)},
    )
    return dispute


def dispute_actions(*, dispute: Dispute | None, party: str | None) -> list[str]:
    """What `party` may do with the order's current dispute now (for buttons and the API)."""
    if dispute is None or party is None:
        return []
    return list(dispute.allowed_actions(party))
