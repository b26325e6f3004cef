"""Requests for quotation: the RFQ, whom it was routed to, the suppliers' quotes, and its history.

Writes live in `orders.services.rfq` and `orders.services.award`, reads in `orders.selectors.rfq`.
"""

from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Listing
from marketplace.i18n import ChoiceLabel, country_name, validate_country_code
from suppliers.levels import PUBLIC_LEVEL_CHOICES, CertificationLevel

from .trade import MONEY_TOTAL, MONEY_UNIT, Incoterm, Party


class Rfq(models.Model):
    """A buying company's request for quotation: what, how many, where to, under which Incoterm, by
    when. A background job routes it to the matching certified suppliers (RfqRecipient)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AWARDED = "awarded", _("Awarded")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    buyer = models.ForeignKey(
        "buyers.BuyerCompany", on_delete=models.PROTECT, related_name="rfqs", verbose_name=_("buying company")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("posted by")
    )
    title = models.CharField(_("what is wanted"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    category = models.ForeignKey(
        "belts.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    belt = models.ForeignKey(
        "belts.Belt", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("belt")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=12, choices=Listing.Unit.choices, default=Listing.Unit.PIECE)
    target_price = models.DecimalField(_("target unit price"), null=True, blank=True, **MONEY_UNIT)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Listing.Currency.choices, default=Listing.Currency.USD
    )
    destination_country = models.CharField(_("destination country"), max_length=2, validators=[validate_country_code])
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    incoterm_place = models.CharField(_("named place or port"), max_length=120, blank=True)
    required_level = models.CharField(
        _("required certification level"),
        max_length=20,
        choices=PUBLIC_LEVEL_CHOICES,
        default=CertificationLevel.VERIFIED,
    )
    deadline = models.DateField(_("quotes due by"))
    # Group supply: the quantity may be split across several quotes, each its own order.
    allow_split = models.BooleanField(_("group supply (split across suppliers)"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    # The end of an RFQ that was never awarded: the buyer's cancel (orders.services.rfq.rfq_cancel)
    # or the closing job (rfq_close_expired).
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    status_label = ChoiceLabel("status", Status)
    unit_label = ChoiceLabel("unit", Listing.Unit)
    incoterm_label = ChoiceLabel("incoterm", Incoterm)
    required_level_label = ChoiceLabel("required_level", CertificationLevel)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_quantity_positive"),
            models.CheckConstraint(
                condition=Q(target_price__isnull=True) | Q(target_price__gte=0), name="rfq_target_price_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="rfq_cancelled_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "-created_at"], name="rfq_buyer_created_idx")]

    def __str__(self) -> str:
        return f"RFQ {self.pk}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("orders:rfq_detail", args=[self.pk])

    @property
    def destination_country_name(self) -> str:
        return country_name(self.destination_country)

    def is_open_for_quotes(self, today: date | None = None) -> bool:
        """Open, and the deadline day has not passed."""
        return self.status == self.Status.OPEN and (today or timezone.localdate()) <= self.deadline


class RfqRecipient(models.Model):
    """An RFQ routed to one supplier: when, when its people were emailed, when they first looked."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("RFQ"))
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="rfq_invitations", verbose_name=_("supplier")
    )
    routed_at = models.DateTimeField(_("routed"))
    # Claimed by the routing job before it emails, so a job run twice emails once.
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)

    class Meta:
        ordering = ("-routed_at", "-id")
        verbose_name = _("RFQ recipient")
        verbose_name_plural = _("RFQ recipients")
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="rfqrecipient_unique")]
        indexes = [models.Index(fields=["supplier", "-routed_at"], name="rfqrecipient_supplier_idx")]

    def __str__(self) -> str:
        return f"{self.rfq_id} → {self.supplier_id}"


class Quote(models.Model):
    """A supplier's one quote for an RFQ (revised in place until the buyer decides)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("RFQ"))
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="rfq_quotes", verbose_name=_("supplier")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("quoted by")
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY_UNIT)
    currency = models.CharField(_("currency"), max_length=3, choices=Listing.Currency.choices)
    moq = models.PositiveIntegerField(_("minimum order quantity"))
    quantity = models.PositiveIntegerField(_("quantity it can supply"))
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    incoterm_place = models.CharField(_("named place or port"), max_length=120, blank=True)
    # Freight to the RFQ's destination under the RFQ's Incoterm, when the quote uses another one:
    # lets the buyer compare quotes on the same terms.
    freight_total = models.DecimalField(_("freight to destination"), null=True, blank=True, **MONEY_TOTAL)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    accepted_quantity = models.PositiveIntegerField(_("accepted quantity"), null=True, blank=True)
    # Who accepted or declined it (the buyer's award), and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("quoted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    status_label = ChoiceLabel("status", Status)
    incoterm_label = ChoiceLabel("incoterm", Incoterm)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["rfq", "supplier"], name="quote_one_per_supplier"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_unit_price_not_negative"),
            models.CheckConstraint(
                condition=Q(freight_total__isnull=True) | Q(freight_total__gte=0), name="quote_freight_not_negative"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_quantity_positive"),
            models.CheckConstraint(condition=Q(moq__gt=0), name="quote_moq_positive"),
            models.CheckConstraint(
                condition=Q(accepted_quantity__isnull=True) | Q(accepted_quantity__lte=F("quantity")),
                name="quote_accepted_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"quote {self.pk} for RFQ {self.rfq_id}"


class RfqEvent(models.Model):
    """Immutable audit record of an RFQ and its quotes: one row per state change, written by the
    service that makes the change (orders.services.rfq), in its transaction. A PostgreSQL trigger
    refuses UPDATE and DELETE, as for order events."""

    Party = Party

    class Kind(models.TextChoices):
        POSTED = "posted", _("Posted")
        ROUTED = "routed", _("Sent to suppliers")
        QUOTED = "quoted", _("Quote sent")
        QUOTE_REVISED = "quote_revised", _("Quote revised")
        WITHDRAWN = "withdrawn", _("Quote withdrawn")
        AWARDED = "awarded", _("Quote accepted")
        DECLINED = "declined", _("Quote declined")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed")

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="events", verbose_name=_("RFQ"))
    # The quote the change is about (quoted, revised, withdrawn, accepted, declined), else None.
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, null=True, blank=True, related_name="events", verbose_name=_("quote")
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
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)
    party_label = ChoiceLabel("party", Party)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("RFQ event")
        verbose_name_plural = _("RFQ events")
        indexes = [models.Index(fields=["rfq", "created_at"], name="rfqevent_rfq_created_idx")]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Belt and braces for the trigger: the model itself refuses to change a written event.
        if self.pk is not None and not self._state.adding:
            raise ValueError("RFQ events are an audit record: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("RFQ events are an audit record: they cannot be deleted")
