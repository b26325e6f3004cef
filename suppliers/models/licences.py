"""Regional-brand licences: a belt operator's grant to a certified member to use the belt's regional
brand (or a geographical indication) on the products in its scope, for a period, with the paper."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile
from marketplace.filecheck.services import pending_index
from marketplace.i18n import ChoiceLabel, Localized
from marketplace.storage import private_storage

from ..codes import ALPHABET

NUMBER_PREFIX = "BL-"
NUMBER_RANDOM = 10  # 10 Crockford base32 characters: 50 random bits
_READ_AS = str.maketrans("ILO", "110")


def licence_number_new() -> str:
    """A licence number people read aloud and type: BL-XXXXX-XXXXX (Crockford base32, 50 random bits,
    so numbers cannot be guessed or listed by counting)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(NUMBER_RANDOM))
    return f"{NUMBER_PREFIX}{body[:5]}-{body[5:]}"


def licence_number_read(typed: str) -> str | None:
    """The canonical number `typed` stands for (any case, spaces or dashes anywhere, I/L as 1 and O
    as 0), or None when it cannot be a licence number."""
    text = "".join(typed.split()).replace("-", "").upper()
    if not text.startswith("BL"):
        return None
    body = text[2:].translate(_READ_AS)
    if len(body) != NUMBER_RANDOM or any(c not in ALPHABET for c in body):
        return None
    return f"{NUMBER_PREFIX}{body[:5]}-{body[5:]}"


def licence_document_path(instance: "BrandLicence", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"suppliers/{instance.supplier_id}/brand-licences/{filename}"


class BrandLicence(CheckedFile):
    """The right of one supplier to carry its belt's regional brand (or a geographical indication)
    on its listings in `categories` (a category or its subcategories), from `valid_from` to
    `valid_until` inclusive, unless revoked.

    Changed only by `suppliers.services.licences` (grant, renew, revoke), each writing a
    `BrandLicenceEvent`. Whether a listing shows the mark is decided from these facts and the
    supplier's certification at read time (`suppliers.brand`), never stored.
    """

    class Kind(models.TextChoices):
        REGIONAL_BRAND = "regional_brand", _("Regional brand")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Granted")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("licence number"), max_length=20, unique=True, default=licence_number_new)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="brand_licences", verbose_name=_("supplier")
    )
    belt = models.ForeignKey(
        "belts.Belt", on_delete=models.PROTECT, related_name="brand_licences", verbose_name=_("belt")
    )
    kind = models.CharField(_("what is licensed"), max_length=24, choices=Kind.choices, default=Kind.REGIONAL_BRAND)
    # The mark as shown to buyers: the belt's regional brand, or the geographical indication's name.
    mark_en = models.CharField(_("mark (English)"), max_length=120)
    mark_zh = models.CharField(_("mark (Chinese)"), max_length=120)
    categories = models.ManyToManyField("belts.Category", related_name="+", verbose_name=_("scope (categories)"))
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    document = models.FileField(
        _("licence document"), upload_to=licence_document_path, storage=private_storage, blank=True
    )
    document_name = models.CharField(_("document name"), max_length=120, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)

    mark = Localized("mark")
    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("-granted_at", "-id")
        verbose_name = _("brand licence")
        verbose_name_plural = _("brand licences")
        indexes = [
            pending_index("brandlicence_file_pending"),
            models.Index(fields=["supplier", "status", "valid_until"], name="brandlicence_supplier_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="brandlicence_validity_order"),
            models.CheckConstraint(
                condition=Q(status="active", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False) & ~Q(revoke_reason=""),
                name="brandlicence_revoked_has_reason",
            ),
            # One licence in force or waiting per supplier and kind: a new period is a renewal.
            models.UniqueConstraint(
                fields=["supplier", "kind"], condition=Q(status="active"), name="brandlicence_one_active_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def standing(self, today: datetime.date | None = None) -> str:
        """ "valid", "not_yet_valid", "expired" or "revoked" on `today` (the licence's own facts only;
        whether the mark shows also needs the holder's certification: suppliers.brand)."""
        day = today or timezone.localdate()
        if self.status == self.Status.REVOKED:
            return "revoked"
        if day < self.valid_from:
            return "not_yet_valid"
        if day > self.valid_until:
            return "expired"
        return "valid"


class BrandLicenceEvent(models.Model):
    """Immutable record of a licence's grant, renewals and revocation: who, when, what, why.

    A PostgreSQL trigger refuses UPDATE and DELETE (migration `brand_licences`)."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("Licence granted")
        RENEWED = "renewed", _("Licence renewed")
        REVOKED = "revoked", _("Brand licence revoked")

    licence = models.ForeignKey(BrandLicence, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    reason = models.TextField(_("reason"), blank=True)
    # The period and scope as they stood after the change.
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("brand licence event")
        verbose_name_plural = _("brand licence events")

    def __str__(self) -> str:
        return f"{self.licence}: {self.kind}"
