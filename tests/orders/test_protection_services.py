"""Payment protection and disputes (orders.services.protection, orders.services.disputes): every
step, who may take it, the ledger it writes, the mails it sends, and the immutability of the record.

The cast: `buyer` buys for the order's company, `supplier_member` acts for its supplier, `staff`
works for the platform, `outsider` for nobody.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from marketplace.mail.models import OutboundMail
from orders.models import (
    DISPUTE_STEPS,
    PROTECTION_STEPS,
    Dispute,
    DisputeEvidence,
    LedgerEntry,
    Order,
    OrderEvent,
    Protection,
    ProtectionEvent,
)
from orders.services.disputes import dispute_answer, dispute_decide, dispute_open
from orders.services.protection import (
    ProtectionStateConflict,
    guard,
    ledger_balances,
    protection_open,
    protection_payment_record,
    protection_release_due,
)
from orders.services.transitions import (
    actions_for,
    order_cancel,
    order_confirm_delivery,
    order_mark_paid,
)
from tests import factories as f

from .factories import order_at
from .protection_helpers import assert_ledger_balances, protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(buyer, supplier, supplier_member, staff):
    return {"buyer": buyer, "supplier": supplier, "supplier_member": supplier_member, "staff": staff}


def test_the_buyer_chooses_protection_once_and_the_supplier_can_no_longer_mark_it_paid(cast):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    protection = protection_open(order=order, actor=cast["buyer"])
    assert protection_open(order=order, actor=cast["buyer"]).pk == protection.pk
    assert (protection.status, protection.amount, protection.currency) == ("awaiting_payment", order.total, "CNY")
    order = Order.objects.select_related("protection").get(pk=order.pk)
    order.status = "confirmed"
    assert "mark_paid" not in actions_for(order, "supplier")
    order.save(update_fields=["status"])
    with pytest.raises(ProtectionStateConflict, match="platform records the payment"):
        order_mark_paid(order=order, actor=cast["supplier_member"])


def test_only_the_buyer_chooses_protection_and_only_before_payment(cast, outsider):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    for someone in (cast["supplier_member"], outsider):
        with pytest.raises(PermissionDenied):
            protection_open(order=order, actor=someone)
    paid = order_at("paid", buyer=cast["buyer"], supplier=cast["supplier"])
    with pytest.raises(ProtectionStateConflict):
        protection_open(order=paid, actor=cast["buyer"])
    assert not Protection.objects.exists()


def test_a_deposit_then_the_rest_holds_the_funds_and_makes_the_order_paid(cast):
    order = protected(**cast, stage="awaiting")
    protection_payment_record(order=order, actor=cast["staff"], amount="300", reference="DEP")
    order.refresh_from_db()
    assert (order.status, order.protection.status) == ("confirmed", "awaiting_payment")
    with pytest.raises(ValidationError):
        protection_payment_record(order=order, actor=cast["staff"], amount="700.01")
    protection_payment_record(order=order, actor=None, amount=Decimal("700.00"), reference="PSP-9")
    order.refresh_from_db()
    assert (order.status, order.protection.status) == ("paid", "held")
    assert order.events.filter(kind="paid", party="staff").count() == 0  # the adapter (system) completed it
    assert order.events.get(kind="paid").party == "system"
    assert ledger_balances(order=order).held == Decimal("1000.00")
    assert_ledger_balances(order)


def test_only_staff_or_the_system_record_payments(cast, outsider):
    order = protected(**cast, stage="awaiting")
    for someone in (cast["buyer"], cast["supplier_member"], outsider):
        with pytest.raises(PermissionDenied):
            protection_payment_record(order=order, actor=someone, amount="1000")
    assert not LedgerEntry.objects.exists()


def test_a_payment_waits_for_the_suppliers_confirmation(cast):
    order = order_at("placed", buyer=cast["buyer"], supplier=cast["supplier"])
    protection_open(order=order, actor=cast["buyer"])
    with pytest.raises(ProtectionStateConflict, match="confirmed"):
        protection_payment_record(order=order, actor=cast["staff"], amount="1000")


def test_confirming_delivery_releases_the_funds_to_the_supplier_and_mails_both_sides(cast):
    order = protected(**cast, stage="shipped")
    assert order.protection.release_due_at is not None
    OutboundMail.objects.all().delete()
    order_confirm_delivery(order=order, actor=cast["buyer"])
    order.refresh_from_db()
    assert (order.status, order.protection.status) == ("delivered", "released")
    balances = ledger_balances(order=order)
    assert (balances.held, balances.released, balances.refunded) == (0, Decimal("1000.00"), 0)
    assert_ledger_balances(order)
    released = OutboundMail.objects.filter(kind="protection_released")
    assert {m.to[0] for m in released} == {cast["buyer"].email, cast["supplier_member"].email}


def test_the_supplier_cancelling_a_paid_protected_order_refunds_the_buyer(cast):
    order = protected(**cast)
    order_cancel(order=order, actor=cast["supplier_member"], reason="Out of stock")
    order.refresh_from_db()
    assert (order.status, order.protection.status) == ("cancelled", "refunded")
    assert ledger_balances(order=order).refunded == Decimal("1000.00")
    assert_ledger_balances(order)


def test_cancelling_before_full_payment_returns_the_deposit(cast):
    order = protected(**cast, stage="awaiting")
    protection_payment_record(order=order, actor=cast["staff"], amount="250")
    order_cancel(order=order, actor=cast["buyer"], reason="Changed plans")
    order.refresh_from_db()
    assert order.protection.status == "cancelled"
    balances = ledger_balances(order=order)
    assert (balances.paid, balances.held, balances.refunded) == (Decimal("250.00"), 0, Decimal("250.00"))
    assert_ledger_balances(order)


def test_auto_release_pays_the_supplier_after_the_days_set_unless_disputed(cast, settings):
    settings.PROTECTION_AUTO_RELEASE_DAYS = 10
    quiet = protected(**cast, stage="shipped")
    disputed = protected(**cast, stage="shipped")
    dispute_open(order=disputed, actor=cast["buyer"], reason="quality", description="Cracked housings")
    later = timezone.now() + timedelta(days=10, minutes=1)
    assert protection_release_due(now=timezone.now()) == 0
    assert protection_release_due(now=later) == 1
    assert protection_release_due(now=later) == 0  # idempotent
    quiet.refresh_from_db()
    disputed.refresh_from_db()
    assert (quiet.protection.status, disputed.protection.status) == ("released", "held")
    assert quiet.protection.events.get(kind="released").party == "system"


def test_a_dispute_is_opened_answered_and_decided_with_a_partial_refund(cast):
    order = protected(**cast, stage="shipped")
    photo = f.image_upload(name="crack.png", fmt="PNG", size=(40, 30))
    dispute = dispute_open(
        order=order, actor=cast["buyer"], reason="quality", description="3 of 10 cracked", files=[photo]
    )
    evidence = DisputeEvidence.objects.get(dispute=dispute)
    assert evidence.file_check == "clean" and evidence.is_available() and evidence.party == "buyer"
    with pytest.raises(ProtectionStateConflict):
        dispute_open(order=order, actor=cast["buyer"], reason="other", description="again")
    with pytest.raises(PermissionDenied):
        dispute_answer(dispute=dispute, actor=cast["buyer"], answer="me too")
    dispute_answer(dispute=dispute, actor=cast["supplier_member"], answer="Packed well; 1 may be ours.")
    with pytest.raises(PermissionDenied):
        dispute_decide(dispute=dispute, actor=cast["supplier_member"], decision="release", reason="x")
    with pytest.raises(ValidationError):
        dispute_decide(dispute=dispute, actor=cast["staff"], decision="partial_refund", reason="")
    with pytest.raises(ValidationError):
        dispute_decide(
            dispute=dispute, actor=cast["staff"], decision="partial_refund", reason="x", refund_amount="1000"
        )
    dispute_decide(
        dispute=dispute,
        actor=cast["staff"],
        decision="partial_refund",
        reason="Photos show 3 cracked",
        refund_amount="300",
    )
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert (dispute.status, dispute.refund_amount, dispute.decided_by) == ("decided", Decimal("300.00"), cast["staff"])
    assert order.protection.status == "partially_refunded"
    balances = ledger_balances(order=order)
    assert (balances.held, balances.refunded, balances.released) == (0, Decimal("300.00"), Decimal("700.00"))
    assert_ledger_balances(order)
    kinds = set(OutboundMail.objects.values_list("kind", flat=True))
    assert {"protection_dispute_opened", "protection_dispute_answered", "protection_dispute_decided"} <= kinds
    decided = OutboundMail.objects.filter(kind="protection_dispute_decided")
    assert {m.to[0] for m in decided} == {cast["buyer"].email, cast["supplier_member"].email}
    with pytest.raises(ProtectionStateConflict):
        dispute_decide(dispute=dispute, actor=cast["staff"], decision="refund", reason="again")


def test_a_full_refund_cancels_the_order(cast):
    order = protected(**cast)
    dispute = dispute_open(order=order, actor=cast["buyer"], reason="not_received", description="Nothing came")
    dispute_decide(dispute=dispute, actor=cast["staff"], decision="refund", reason="Never shipped")
    order.refresh_from_db()
    assert (order.status, order.cancelled_by_party, order.protection.status) == ("cancelled", "staff", "refunded")
    assert_ledger_balances(order)


def test_an_open_dispute_holds_delivery_confirmation_and_cancellation(cast):
    order = protected(**cast, stage="shipped")
    dispute_open(order=order, actor=cast["buyer"], reason="damaged", description="Crushed pallet")
    with pytest.raises(ProtectionStateConflict):
        order_confirm_delivery(order=order, actor=cast["buyer"])
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_disputes_need_held_funds_and_the_buyer(cast, outsider):
    awaiting = protected(**cast, stage="awaiting")
    with pytest.raises(ProtectionStateConflict):
        dispute_open(order=awaiting, actor=cast["buyer"], reason="other", description="x")
    order = protected(**cast)
    for someone in (cast["supplier_member"], outsider):
        with pytest.raises(PermissionDenied):
            dispute_open(order=order, actor=someone, reason="other", description="x")
    assert not Dispute.objects.exists()


def test_evidence_that_is_not_a_document_refuses_the_dispute(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = protected(**cast)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/png")
    with pytest.raises(ValidationError):
        dispute_open(order=order, actor=cast["buyer"], reason="quality", description="x", files=[fake])
    assert not Dispute.objects.exists()


def test_ledger_lines_and_protection_events_cannot_be_changed_or_deleted(cast):
    order = protected(**cast)
    entry = LedgerEntry.objects.filter(order=order).first()
    event = ProtectionEvent.objects.filter(order=order).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(debit=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ProtectionEvent.objects.filter(pk=event.pk).update(note="edited")
    assert LedgerEntry.objects.get(pk=entry.pk).debit == entry.debit


def test_unprotected_orders_keep_their_old_steps(cast):
    order = order_at("confirmed", buyer=cast["buyer"], supplier=cast["supplier"])
    order_mark_paid(order=order, actor=cast["supplier_member"])
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert not OrderEvent.objects.filter(order=order, party="staff").exists()


# --- the step tables, walked ------------------------------------------------------------------

PROTECTION_ACTIONS = sorted({a for _s, a, _p in PROTECTION_STEPS})
PARTIES = ("buyer", "supplier", "staff", "system")


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("action", PROTECTION_ACTIONS)
@pytest.mark.parametrize("status", Protection.Status.values)
def test_every_protection_step_from_every_status_by_every_party_follows_the_table(status, action, party):
    """The guard every protection step passes refuses exactly what the table does not list: 409
    when nobody may, 403 when another party may."""
    parties = {p for s, a, p in PROTECTION_STEPS if s == status and a == action}
    protection = Protection(status=status)
    if party in parties:
        guard(protection, action, party)
    else:
        with pytest.raises(ProtectionStateConflict if not parties else PermissionDenied):
            guard(protection, action, party)


@pytest.mark.parametrize("party", ("buyer", "supplier", "staff"))
@pytest.mark.parametrize("action", ("answer", "decide"))
@pytest.mark.parametrize("status", Dispute.Status.values)
def test_every_dispute_step_from_every_status_by_every_party_follows_the_table(status, action, party, cast):
    """Each dispute step, run for real by each party from each status: it succeeds exactly when
    DISPUTE_STEPS lists it, and a refused step changes nothing."""
    order = protected(**cast)
    dispute = dispute_open(order=order, actor=cast["buyer"], reason="quality", description="Cracked")
    if status != "open":
        dispute_answer(dispute=dispute, actor=cast["supplier_member"], answer="No")
    if status == "decided":
        dispute_decide(dispute=dispute, actor=cast["staff"], decision="release", reason="Fine")
    actor = {"buyer": cast["buyer"], "supplier": cast["supplier_member"], "staff": cast["staff"]}[party]
    allowed = (status, action, party) in DISPUTE_STEPS
    events = ProtectionEvent.objects.filter(order=order).count()
    call = {
        "answer": lambda: dispute_answer(dispute=dispute, actor=actor, answer="Our side"),
        "decide": lambda: dispute_decide(dispute=dispute, actor=actor, decision="refund", reason="Broken"),
    }[action]
    if allowed:
        call()
        assert Dispute.objects.get(pk=dispute.pk).status == {"answer": "answered", "decide": "decided"}[action]
    else:
        with pytest.raises((ProtectionStateConflict, PermissionDenied)):
            call()
        assert Dispute.objects.get(pk=dispute.pk).status == status
        assert ProtectionEvent.objects.filter(order=order).count() == events
    assert_ledger_balances(order)
