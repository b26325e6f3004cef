"""Payment protection of an order (escrow-like) and the disputes about it.

The buyer pays the platform; the money is held, then released to the supplier or refunded to the
buyer. Every movement is a pair of immutable ledger lines of one event (double entry): the account
money leaves is credited, the account it reaches is debited, so per order the debits and the
credits add up to the same sum. Balances are read from the ledger, never kept beside it.

Writes live in `orders.services.protection` and `orders.services.disputes`; the tables of steps
(`PROTECTION_STEPS`, `DISPUTE_STEPS`) are read by the services, the page's buttons and the API.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.i18n import ChoiceLabel
from marketplace.storage import private_storage

from .trade import MONEY_TOTAL, Order, Party


class Account(models.TextChoices):
    """The three accounts of a protected order, in its currency."""

    BUYER = "buyer", _("Buyer")
    ESCROW = "escrow", _("Held by the platform")
    SUPPLIER = "supplier", _("Supplier")


# (from status, action, party): every step a protection may take and who may take it. "pay" by
# staff (the admin) or the system (a payment provider's adapter); "release" by the buyer (delivery
# confirmed), the system (auto-release) or staff (a dispute decided); "refund" by staff (a dispute
# decided) or the supplier (it cancels a paid order); "cancel" follows the order's cancellation.
PROTECTION_STEPS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("awaiting_payment", "pay", Party.STAFF.value),
        ("awaiting_payment", "pay", Party.SYSTEM.value),
        ("awaiting_payment", "cancel", Party.BUYER.value),
        ("awaiting_payment", "cancel", Party.SUPPLIER.value),
        ("held", "release", Party.BUYER.value),
        ("held", "release", Party.SYSTEM.value),
        ("held", "release", Party.STAFF.value),
        ("held", "refund", Party.STAFF.value),
        ("held", "refund", Party.SUPPLIER.value),
    }
)

# (from status, action, party) of a dispute; "open" starts from no dispute ("").
DISPUTE_STEPS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("", "open", Party.BUYER.value),
        ("open", "answer", Party.SUPPLIER.value),
        ("open", "decide", Party.STAFF.value),
        ("answered", "decide", Party.STAFF.value),
    }
)


class Protection(models.Model):
    """The payment protection of one order: what is due, and where the money is in its life."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        HELD = "held", _("Funds held")
        RELEASED = "released", _("Released to the supplier")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
        REFUNDED = "refunded", _("Refunded to the buyer")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="protection", verbose_name=_("order"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    currency = models.CharField(_("currency"), max_length=3)
    # What the buyer pays in (the order's total when protection began). A payment may come in parts
    # (a deposit first): the funds are held once the payments reach it.
    amount = models.DecimalField(_("amount protected"), **MONEY_TOTAL)
    # When the funds go to the supplier unless the buyer disputes (set when the order ships).
    release_due_at = models.DateTimeField(_("release due"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    held_at = models.DateTimeField(_("funds held"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    status_label = ChoiceLabel("status", Status)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("payment protection")
        verbose_name_plural = _("payment protections")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="protection_amount_positive")]
        indexes = [
            models.Index(fields=["release_due_at"], condition=Q(status="held"), name="protection_release_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"

    def allowed_actions(self, party: str) -> tuple[str, ...]:
        return tuple(sorted(a for s, a, p in PROTECTION_STEPS if s == self.status and p == party))

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_closed(self) -> bool:
        return self.status in (
            self.Status.RELEASED,
            self.Status.PARTIALLY_REFUNDED,
            self.Status.REFUNDED,
            self.Status.CANCELLED,
        )


class Dispute(models.Model):
    """The buyer's complaint about a protected order while its funds are held: the supplier answers,
    staff decide (release, partial refund, refund) with a reason on record. At most one dispute of
    an order is undecided at a time."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered by the supplier")
        DECIDED = "decided", _("Decided")

    class Reason(models.TextChoices):
        NOT_RECEIVED = "not_received", _("Goods not received")
        NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
        QUALITY = "quality", _("Quality problem")
        QUANTITY = "quantity", _("Short or wrong quantity")
        DAMAGED = "damaged", _("Damaged in transit")
        OTHER = "other", _("Other")

    class Decision(models.TextChoices):
        RELEASE = "release", _("Release the funds to the supplier")
        PARTIAL_REFUND = "partial_refund", _("Refund part to the buyer, release the rest")
        REFUND = "refund", _("Refund the buyer in full")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("order"))
    protection = models.ForeignKey(
        Protection, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("payment protection")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    description = models.TextField(_("what went wrong"))
    # What the buyer asks back (None: everything held).
    refund_requested = models.DecimalField(_("refund asked for"), null=True, blank=True, **MONEY_TOTAL)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    answer = models.TextField(_("supplier's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    refund_amount = models.DecimalField(_("refunded"), null=True, blank=True, **MONEY_TOTAL)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    status_label = ChoiceLabel("status", Status)
    reason_label = ChoiceLabel("reason", Reason)
    decision_label = ChoiceLabel("decision", Decision)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=~Q(status="decided"), name="dispute_one_undecided_per_order"
            ),
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True) | Q(refund_amount__gte=0), name="dispute_refund_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="dispute_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.reason} ({self.status})"

    def allowed_actions(self, party: str) -> tuple[str, ...]:
        return tuple(sorted(a for s, a, p in DISPUTE_STEPS if s == self.status and p == party))

    @property
    def is_undecided(self) -> bool:
        return self.status != self.Status.DECIDED


def evidence_path(instance: "DisputeEvidence", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"disputes/{instance.dispute_id}/{filename}"


class DisputeEvidence(CheckedFile):
    """A file one side sent with a dispute (photo, inspection report, PDF), checked in the worker
    like every upload (marketplace.filecheck): `file` holds only the checked copy."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("dispute"))
    party = models.CharField(_("side"), max_length=10, choices=Party.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, storage=private_storage, blank=True)
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("dispute evidence")
        verbose_name_plural = _("dispute evidence")
        indexes = [pending_index("disputeevidence_filecheck_idx")]

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.name}"

    def is_available(self) -> bool:
        return self.file_is_clean and bool(self.file)


class ProtectionEvent(models.Model):
    """Immutable audit record of a protection and its disputes (a PostgreSQL trigger refuses UPDATE
    and DELETE). An event that moves money carries its ledger lines."""

    Party = Party

    class Kind(models.TextChoices):
        OPENED = "opened", _("Payment protection chosen")
        AMOUNT_SET = "amount_set", _("Amount to pay changed")
        PAID = "paid", _("Payment received")
        HELD = "held", _("Funds held")
        RELEASED = "released", _("Funds released to the supplier")
        REFUNDED = "refunded", _("Refunded to the buyer")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASE_DUE_SET = "release_due_set", _("Release date set")
        DISPUTE_OPENED = "dispute_opened", _("Dispute opened")
        DISPUTE_ANSWERED = "dispute_answered", _("Dispute answered")
        DISPUTE_DECIDED = "dispute_decided", _("Dispute decided")

    protection = models.ForeignKey(
        Protection, on_delete=models.PROTECT, related_name="events", verbose_name=_("payment protection")
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="protection_events")
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("dispute")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("payment protection event")
        verbose_name_plural = _("payment protection events")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind}"


class LedgerEntry(models.Model):
    """One line of the double-entry ledger: an amount debited or credited to one account of one
    order, in the order's currency. Each money-moving event writes two lines of equal amount (the
    account it leaves credited, the one it reaches debited). Immutable: a PostgreSQL trigger
    refuses UPDATE and DELETE; a mistake is corrected by a new event, never by an edit."""

    event = models.ForeignKey(ProtectionEvent, on_delete=models.PROTECT, related_name="entries")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger_entries")
    account = models.CharField(_("account"), max_length=10, choices=Account.choices)
    currency = models.CharField(_("currency"), max_length=3)
    debit = models.DecimalField(_("debit"), default=0, **MONEY_TOTAL)
    credit = models.DecimalField(_("credit"), default=0, **MONEY_TOTAL)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    account_label = ChoiceLabel("account", Account)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="ledgerentry_one_side_positive",
            ),
        ]
        indexes = [models.Index(fields=["order", "account"], name="ledgerentry_order_account_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.account} +{self.debit} -{self.credit} {self.currency}"
