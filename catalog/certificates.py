"""A listing's certificates for export: added with their document, which is kept unchecked until its
check job (marketplace.filecheck, kind "listing_certificate") stores the checked copy; removed with
their files. Nothing shows a certificate before its document is clean, and one whose date has
passed shows as expired (`ListingCertificate.is_valid`, read when shown)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.filecheck.services import checked_name, file_check_later, file_receive, shown_name
from marketplace.uploads import CleanFile

from .models import Listing, ListingCertificate, ListingEvent
from .tradedata import MAX_CERTIFICATES, CertificateKind


def _lock(listing: Listing) -> Listing:
    return Listing.objects.select_for_update(of=("self",)).get(pk=listing.pk)


def _text(value: object, *, field: str, limit: int, errors: dict[str, list[str]]) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(_("At most %(max)s characters.") % {"max": limit})
    return text


@transaction.atomic
def listing_certificate_add(
    *,
    listing: Listing,
    actor: Any,
    kind: str,
    number: str,
    issuer: str,
    valid_until: datetime.date,
    upload: "UploadedFile[bytes]",
) -> ListingCertificate:
    """Add a certificate for export with its document (a PDF or a scan), checked in the worker.

    The listing row is locked, so two uploads take turns and the cap holds. An archived listing,
    an unknown kind, empty number or issuer, or a date already past is refused (ValidationError
    keyed by field); the document's type and size are judged here from its first bytes."""
    listing = _lock(listing)
    errors: dict[str, list[str]] = {}
    if listing.status == Listing.Status.ARCHIVED:
        raise ValidationError(_("This listing is archived. Restore it to a draft before editing it."))
    if kind not in CertificateKind.values:
        errors["kind"] = [_("Choose a certificate from the list.")]
    number = _text(number, field="number", limit=80, errors=errors)
    issuer = _text(issuer, field="issuer", limit=160, errors=errors)
    if not isinstance(valid_until, datetime.date):
        errors["valid_until"] = [_("Give the last day the certificate is valid.")]
    elif valid_until < timezone.localdate():
        errors["valid_until"] = [_("This certificate has expired already; add a current one.")]
    if listing.certificates.count() >= MAX_CERTIFICATES:
        errors.setdefault("document", []).append(
            _("At most %(max)s certificates per listing.") % {"max": MAX_CERTIFICATES}
        )
    certificate = ListingCertificate(listing=listing, kind=kind, number=number, issuer=issuer, valid_until=valid_until)
    if not errors:
        try:
            file_receive(certificate, upload)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    certificate.document_name = shown_name(upload.name or "", fallback="certificate")
    certificate.save()
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now())
    ListingEvent.objects.create(
        listing=listing, actor=actor, kind=ListingEvent.Kind.UPDATED, note=f"certificate added: {kind} {number}"[:300]
    )
    file_check_later(certificate)
    return certificate


def listing_certificate_checked(certificate: ListingCertificate, clean: CleanFile | None, content_type: str) -> None:
    """After the check of a certificate's document (inside its transaction): name the checked copy
    with its own extension. A refused document keeps its name and the refusal, never the file."""
    if clean is not None:
        certificate.document_name = checked_name(certificate.document_name, clean.name, fallback="certificate")


@transaction.atomic
def listing_certificate_remove(*, certificate: ListingCertificate, actor: Any) -> None:
    """Remove a certificate; its files are deleted once the removal is committed."""
    listing = _lock(certificate.listing)
    stored = ListingCertificate.objects.filter(pk=certificate.pk, listing=listing).first()
    if stored is None:
        return
    files = [(f.name, f.storage) for f in (stored.document, stored.file_quarantine) if f.name]
    stored.delete()
    Listing.objects.filter(pk=listing.pk).update(updated_at=timezone.now())
    ListingEvent.objects.create(
        listing=listing,
        actor=actor,
        kind=ListingEvent.Kind.UPDATED,
        note=f"certificate removed: {stored.kind} {stored.number}"[:300],
    )

    def delete_files() -> None:
        for name, storage in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
