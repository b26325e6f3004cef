"""Certificates for export of a listing (catalog.tradedata has their vocabulary): a model of the
catalog app in its own module, imported by catalog.models."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.i18n import ChoiceLabel
from marketplace.storage import PrivateStorage

from .querysets import ListingCertificateQuerySet
from .tradedata import CertificateKind


def listing_certificate_path(instance: "ListingCertificate", filename: str) -> str:
    # The file name was made by the server (marketplace.uploads); never the uploader's.
    return f"certificates/{instance.listing_id}/{filename}"


class ListingCertificate(CheckedFile):
    """A certificate for export of a listing (phytosanitary, CE, halal…): its number, issuer and
    validity, and its document, checked in the worker (marketplace.filecheck) before anyone sees it.

    Valid is derived when read, never stored: a clean document and `valid_until` today or later
    (`is_valid_on`, `ListingCertificateQuerySet.valid_on`), so an expired certificate stops showing
    as valid on the day after it ends without a write."""

    listing = models.ForeignKey(
        "catalog.Listing", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("listing")
    )
    kind = models.CharField(_("certificate"), max_length=16, choices=CertificateKind.choices)
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issued by"), max_length=160)
    valid_until = models.DateField(_("valid until"))
    document = models.FileField(_("document"), upload_to=listing_certificate_path, storage=PrivateStorage(), blank=True)
    document_name = models.CharField(_("document name"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", CertificateKind)
    objects = ListingCertificateQuerySet.as_manager()

    class Meta:
        ordering = ("kind", "-valid_until", "id")
        verbose_name = _("certificate for export")
        verbose_name_plural = _("certificates for export")
        indexes = [
            pending_index("listingcertificate_pending_idx"),
            # The search's "has a valid certificate of this kind" filter (catalog.search.filters).
            models.Index(
                fields=["kind", "valid_until", "listing"],
                condition=Q(file_check="clean"),
                name="listingcertificate_valid_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.file_is_clean and self.valid_until >= day

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())
