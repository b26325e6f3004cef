"""A lot: one harvest or production batch of a supplier, the listings it supplies, where and when
it was grown or made, how much of it is left, and the certificates that travel with it."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from belts.regions import PROVINCE_CHOICES, province_name
from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.i18n import ChoiceLabel
from marketplace.storage import private_storage
from suppliers.models import Supplier

from ..models import Listing


def lot_token() -> str:
    """The random part of a lot's public address (`/lots/<token>/`): not guessable from the code."""
    return secrets.token_urlsafe(16)


class LotQuerySet(models.QuerySet["Lot"]):
    def open(self) -> "LotQuerySet":
        return self.filter(status=Lot.Status.OPEN)

    def for_supplier(self, supplier: Supplier | int) -> "LotQuerySet":
        return self.filter(supplier=supplier)


class Lot(models.Model):
    """A harvest or production batch. `remaining` falls as shipments draw from it (never below
    zero: a check constraint, and the draw locks the row)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="lots", verbose_name=_("supplier"))
    listings = models.ManyToManyField(Listing, related_name="lots", verbose_name=_("listings it supplies"))
    code = models.CharField(_("lot code"), max_length=40, help_text=_("Your own code, unique among your lots."))
    token = models.CharField(_("public token"), max_length=32, unique=True, default=lot_token, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    site_name = models.CharField(_("orchard, farm or plant"), max_length=120)
    site_address = models.CharField(_("site address"), max_length=300)
    site_region = models.CharField(_("province"), max_length=6, choices=PROVINCE_CHOICES)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True, help_text=_("Optional, e.g. 41.16830.")
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True, help_text=_("Optional, e.g. 80.26080.")
    )
    produced_on = models.DateField(_("harvest or production date"))
    packed_on = models.DateField(_("packing date"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    remaining = models.PositiveIntegerField(_("remaining"))
    unit = models.CharField(_("unit"), max_length=12, choices=Listing.Unit.choices)
    grade = models.CharField(_("grade"), max_length=60, blank=True)
    inspection_results = models.TextField(_("inspection results"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    status_label = ChoiceLabel("status", Status)
    unit_label = ChoiceLabel("unit", Listing.Unit)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ("-produced_on", "-id")
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "code"], name="lot_unique_supplier_code"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="lot_quantity_positive"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("quantity")), name="lot_remaining_within_quantity"
            ),
            models.CheckConstraint(
                condition=Q(packed_on__isnull=True) | Q(packed_on__gte=F("produced_on")),
                name="lot_packed_after_produced",
            ),
            models.CheckConstraint(
                condition=Q(best_before__isnull=True) | Q(best_before__gte=F("produced_on")),
                name="lot_best_before_after_produced",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=Decimal(-90)) & Q(latitude__lte=Decimal(90))),
                name="lot_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | (Q(longitude__gte=Decimal(-180)) & Q(longitude__lte=Decimal(180))),
                name="lot_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "status", "-produced_on"], name="lot_supplier_status_idx")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("catalog:lot_public", args=[self.token])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def site_region_name(self) -> str:
        return province_name(self.site_region)

    @property
    def shipped(self) -> int:
        return self.quantity - self.remaining


def lot_certificate_path(instance: "LotCertificate", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"lots/{instance.lot_id}/certificates/{filename}"


class LotCertificate(CheckedFile):
    """An inspection, origin or other certificate of a lot. Checked in the worker
    (marketplace.filecheck); shown and downloadable, to anyone holding the lot's page, once clean."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection report")
        ORIGIN = "origin", _("Certificate of origin")
        QUALITY = "quality", _("Quality or grading certificate")
        ORGANIC = "organic", _("Organic certificate")
        OTHER = "other", _("Other certificate")

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("lot"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=lot_certificate_path, storage=private_storage, blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("uploaded_at", "id")
        verbose_name = _("lot certificate")
        verbose_name_plural = _("lot certificates")
        indexes = [pending_index("lotcertificate_pending_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file_check="clean") | (~Q(file="") & Q(size__isnull=False)),
                name="lotcertificate_clean_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def extension(self) -> str:
        return (self.file.name or "").rsplit(".", 1)[-1]


class LotEvent(models.Model):
    """Something that happened to a lot: who, when, what (immutable: a trigger refuses changes)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        CERTIFICATE_ADDED = "certificate", _("Certificate added")
        SHIPPED = "shipped", _("Shipped from")
        CLOSED = "closed", _("Closed")

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="events", verbose_name=_("lot"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("lot event")
        verbose_name_plural = _("lot events")

    def __str__(self) -> str:
        return f"{self.lot_id} {self.kind}"
