"""Buying companies, the people who buy for them, their inquiries and saved suppliers."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.i18n import country_name, validate_country_code
from marketplace.storage import private_storage


class BuyerCompany(models.Model):
    """A wholesale purchaser: a company, often abroad."""

    class BusinessType(models.TextChoices):
        IMPORTER = "importer", _("Importer / distributor")
        RETAILER = "retailer", _("Retailer")
        BRAND = "brand", _("Brand owner")
        MANUFACTURER = "manufacturer", _("Manufacturer buying parts")
        OTHER = "other", _("Other")

    name = models.CharField(_("company name"), max_length=200)
    # ISO 3166-1 alpha-2. No `choices`: the list belongs to pycountry, not to our migrations.
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    business_type = models.CharField(
        _("business type"), max_length=16, choices=BusinessType.choices, default=BusinessType.IMPORTER
    )
    # Staff approve a company for net payment terms (pay 30 or 60 days after shipping) after a
    # credit check; buyers.services.addresses.company_net_terms_set is the one place it changes.
    net_terms_approved = models.BooleanField(_("approved for net payment terms"), default=False)
    net_terms_decided_at = models.DateTimeField(_("net terms decided"), null=True, blank=True)
    net_terms_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("net terms decided by"),
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("buying company")
        verbose_name_plural = _("buying companies")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class CompanyAddress(models.Model):
    """An address the buying company ships to or is billed at, chosen at checkout. One address may
    be the default to ship to, one the billing address (partial unique indexes)."""

    company = models.ForeignKey(
        BuyerCompany, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("buying company")
    )
    label = models.CharField(_("name"), max_length=80, help_text=_("For example “Rotterdam warehouse”."))
    recipient = models.CharField(_("for the attention of"), max_length=120, blank=True)
    address = models.TextField(_("address"), max_length=1000)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default shipping address"), default=False)
    is_billing = models.BooleanField(_("billing address"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ("-is_default", "label", "id")
        verbose_name = _("company address")
        verbose_name_plural = _("company addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=models.Q(is_default=True), name="companyaddress_one_default"
            ),
            models.UniqueConstraint(
                fields=["company"], condition=models.Q(is_billing=True), name="companyaddress_one_billing"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def as_text(self) -> str:
        """The address as printed on a purchase order: recipient, lines, country, phone."""
        lines = [self.recipient, self.address.strip(), self.country_name, self.phone]
        return "\n".join(line for line in lines if line)

    @property
    def shipping_text(self) -> str:
        """The address as an order's shipping address, whose country is a field of its own (and is
        printed in the reader's language): recipient, lines, phone."""
        lines = [self.recipient, self.address.strip(), self.phone]
        return "\n".join(line for line in lines if line)


class CompanyEvent(models.Model):
    """Immutable audit record of a change to a buying company's trade set-up: its saved addresses
    and staff's decisions on net payment terms. Who, when, what (a copy of the address as it was
    left, or the decision and its reason).

    A database trigger (migration 0006) refuses UPDATE and DELETE on this table.
    """

    class Kind(models.TextChoices):
        ADDRESS_ADDED = "address_added", _("Address added")
        ADDRESS_CHANGED = "address_changed", _("Address changed")
        ADDRESS_REMOVED = "address_removed", _("Address removed")
        NET_TERMS_APPROVED = "net_terms_approved", _("Approved for net payment terms")
        NET_TERMS_WITHDRAWN = "net_terms_withdrawn", _("Net payment terms withdrawn")

    company = models.ForeignKey(
        BuyerCompany, on_delete=models.PROTECT, related_name="events", verbose_name=_("buying company")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("company event")
        verbose_name_plural = _("company events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.company}"


class BuyerMember(models.Model):
    """A person who buys for a buying company."""

    company = models.ForeignKey(BuyerCompany, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_membership")

    class Meta:
        verbose_name = _("buyer member")
        verbose_name_plural = _("buyer members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"


class Party(models.TextChoices):
    """The two sides of an inquiry."""

    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")


class Inquiry(models.Model):
    """A buying company's message thread with one supplier, optionally about one of its listings.

    Read state is kept per side (`buyer_read_at`, `supplier_read_at`): a side has unread messages
    when the thread moved after it last read it. A side's own message moves its read mark too,
    so "last_message_at > read_at" means "the other side wrote since" (one indexed comparison).
    """

    buyer = models.ForeignKey(
        BuyerCompany, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("buying company")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("supplier")
    )
    listing = models.ForeignKey(
        "catalog.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("listing"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    buyer_read_at = models.DateTimeField(_("read by the buyer"), null=True, blank=True)
    supplier_read_at = models.DateTimeField(_("read by the supplier"), null=True, blank=True)
    # When the supplier first answered: the base of its response figures (reply rate and time).
    first_supplier_reply_at = models.DateTimeField(_("first supplier reply"), null=True, blank=True)

    class Meta:
        ordering = ("-last_message_at", "-id")
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["supplier", "-last_message_at"], name="inquiry_supplier_latest_idx"),
            models.Index(fields=["buyer", "-last_message_at"], name="inquiry_buyer_latest_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("buyers:inquiry_detail", args=[self.pk])

    def read_at_of(self, party: str) -> datetime.datetime | None:
        return self.buyer_read_at if party == Party.BUYER else self.supplier_read_at

    def is_unread_by(self, party: str) -> bool:
        """The other side wrote since `party` last read the thread."""
        read_at = self.read_at_of(party)
        return read_at is None or self.last_message_at > read_at


def inquiry_attachment_path(instance: "InquiryMessage", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"inquiries/{instance.inquiry_id}/{filename}"


class InquiryMessage(CheckedFile):
    """One message of an inquiry, from one side, with at most one attachment.

    The body is part of the thread as soon as the message is written. An attachment is received
    unchecked (`file_quarantine`, "pending") and checked in the worker (marketplace.filecheck):
    `attachment` holds only the checked copy, so it is offered for download once the check is
    "clean"; a refused attachment keeps its name and the refusal, never the file. A message
    without attachment is "clean" from the start.
    """

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    party = models.CharField(_("side"), max_length=10, choices=Party.choices)
    body = models.TextField(_("message"))
    attachment = models.FileField(
        _("attachment"), upload_to=inquiry_attachment_path, storage=private_storage, blank=True
    )
    # What the recipient sees and downloads as: the sender's file name, with the extension of the
    # checked copy once the check passed.
    attachment_name = models.CharField(_("attachment name"), max_length=150, blank=True)
    attachment_size = models.PositiveIntegerField(_("attachment size in bytes"), null=True, blank=True)
    attachment_content_type = models.CharField(_("attachment content type"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    # Claimed by the notification job, so a job delivered twice emails once.
    notified_at = models.DateTimeField(_("other side notified"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        indexes = [
            models.Index(fields=["inquiry", "created_at"], name="inquirymessage_thread_idx"),
            pending_index("inquirymessage_filecheck_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} · {self.party} · {self.created_at:%Y-%m-%d %H:%M}"

    def has_attachment(self) -> bool:
        """A file was sent with the message (being checked, checked or refused)."""
        return bool(self.attachment_name or self.attachment or self.file_quarantine)

    def attachment_is_available(self) -> bool:
        """The checked copy may be offered and downloaded."""
        return self.file_is_clean and bool(self.attachment)


class SavedSupplier(models.Model):
    """A supplier a buying company keeps on its short list."""

    buyer = models.ForeignKey(BuyerCompany, on_delete=models.CASCADE, related_name="saved_suppliers")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("saved supplier")
        verbose_name_plural = _("saved suppliers")
        constraints = [models.UniqueConstraint(fields=["buyer", "supplier"], name="savedsupplier_unique")]

    def __str__(self) -> str:
        return f"{self.buyer} ♥ {self.supplier}"


# --- the company's team -----------------------------------------------------------------------------

# How long an invitation link works after it was sent (or sent again once expired).
INVITATION_VALID_DAYS = 14


def new_buyer_invitation_token() -> str:
    # 256 random bits in the URL: unguessable, and bound to one invitation row (never to a user id).
    return secrets.token_urlsafe(32)


class BuyerInvitation(models.Model):
    """A member's invitation of a colleague, by email, to join its buying company.

    The link carries `token`; opening it proves the address. An invitation is used once
    (`accepted_at`), works for INVITATION_VALID_DAYS after `created_at`, and a company has at most
    one open invitation per address (a second invite sends the same link again).
    """

    company = models.ForeignKey(
        BuyerCompany, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("buying company")
    )
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_buyer_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # The inviter's language when inviting: the email is written in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("buyer invitation")
        verbose_name_plural = _("buyer invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="buyerinvitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("buyers:team_join", args=[self.token])

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(days=INVITATION_VALID_DAYS)

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Not used yet and not expired: the link still works."""
        return self.accepted_at is None and not self.is_expired(now)
