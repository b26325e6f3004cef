"""A company's application: started (perhaps from an invitation), saved step by step, submitted."""

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.decorators import BUYER, company_for
from accounts.models import User
from belts.models import Category
from marketplace.exceptions import ApplicationError
from marketplace.uploads import clean_document_upload

from ..models import (
    Invitation,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    SupplierMember,
    VerificationRun,
)
from ..selectors import supplier_for_member
from ..validators import uscc_clean
from .verification import verification_run_enqueue

# What the application form may write; status, level and dates are never among them.
APPLICATION_FIELDS = frozenset({
    "name_en", "name_zh", "uscc", "legal_representative", "business_type", "year_founded", "staff_count",
    "factory_area_m2", "registered_address", "province", "city_en", "city_zh", "description_en", "description_zh",
    "phone", "website", "belt", "contact_name", "contact_email", "contact_phone",
})  # fmt: skip


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "supplier"
    slug, n = base, 1
    while Supplier.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def supplier_application_start(*, user: User, invitation: Invitation | None = None) -> Supplier:
    """Start a draft application for `user`'s company (pre-filled from an invitation), or return theirs."""
    # Lock the person: two starts at once (double click) make one company, not an error.
    user = User.objects.select_for_update().get(pk=user.pk)
    existing = supplier_for_member(user=user)
    if existing is not None:
        return existing
    if user.is_staff or user.role == User.Role.OPERATOR:
        raise PermissionDenied("Platform staff and belt operators cannot act for a supplier")
    if company_for(BUYER, user) is not None:
        raise PermissionDenied("People of a buying company cannot act for a supplier with the same account")
    name = invitation.company_name if invitation else user.get_full_name()
    supplier = Supplier.objects.create(
        slug=_unique_slug(name), name_en=name, name_zh="", status=Supplier.Status.DRAFT,
        belt=invitation.belt if invitation else None,
        contact_name=invitation.contact_name if invitation else user.full_name,
        contact_email=invitation.email if invitation else user.email,
    )  # fmt: skip
    SupplierMember.objects.create(supplier=supplier, user=user, role=SupplierMember.Role.OWNER)
    if user.role != User.Role.SUPPLIER:
        user.role = User.Role.SUPPLIER
        user.save(update_fields=["role"])
    if invitation is not None and invitation.supplier_id is None:
        Invitation.objects.filter(pk=invitation.pk, supplier__isnull=True).update(supplier=supplier)
    return supplier


def _lock_editable(supplier: Supplier) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if not supplier.is_editable_by_applicant():
        raise ApplicationError(_("The application is being verified and cannot be changed now."))
    return supplier


@transaction.atomic
def supplier_application_update(
    *, supplier: Supplier, data: dict[str, Any], categories: list[Category] | None = None
) -> Supplier:
    """Save one step of the application as a draft. Only application fields are written."""
    unknown = set(data) - APPLICATION_FIELDS
    if unknown:
        raise ApplicationError(f"Not application fields: {sorted(unknown)}")
    supplier = _lock_editable(supplier)
    if "uscc" in data:  # the form checked it already; the API and imports come through here too
        data = {**data, "uscc": uscc_clean(data["uscc"] or "", supplier=supplier)}
    for field, value in data.items():
        setattr(supplier, field, value)
    supplier.save(update_fields=list(data))
    if categories is not None:
        supplier.main_categories.set(categories)
    return supplier


@transaction.atomic
def supplier_document_add(
    *, supplier: Supplier, kind: str, upload: "UploadedFile[bytes]", **certificate: object
) -> SupplierDocument:
    """Check an uploaded document by content and store it under a server-made name."""
    if kind not in (
        SupplierDocument.Kind.LICENCE,
        SupplierDocument.Kind.CERTIFICATE,
        SupplierDocument.Kind.FACTORY_PHOTO,
    ):
        raise ValueError(f"Applicants do not upload documents of kind {kind!r}")
    supplier = _lock_editable(supplier)
    return document_store(supplier=supplier, kind=kind, upload=upload, **certificate)


def document_store(
    *, supplier: Supplier, kind: str, upload: "UploadedFile[bytes]", **certificate: object
) -> SupplierDocument:
    """Check an upload by content and store it as `supplier`'s document (the caller holds its lock)."""
    clean, content_type = clean_document_upload(upload)
    data = clean.read()
    clean.seek(0)
    document = SupplierDocument(
        supplier=supplier, kind=kind, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), **certificate,
    )  # fmt: skip
    document.full_clean(exclude=["file"])  # before the file is written: no orphan files on bad data
    document.file.save(clean.name, clean, save=False)
    document.save()
    return document


@transaction.atomic
def supplier_document_remove(*, supplier: Supplier, document_id: int) -> None:
    supplier = _lock_editable(supplier)
    document = SupplierDocument.objects.filter(supplier=supplier, pk=document_id).first()
    if document is not None:
        name, storage = document.file.name, document.file.storage
        document.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def production_site_add(*, supplier: Supplier, **fields: str) -> ProductionSite:
    supplier = _lock_editable(supplier)
    site = ProductionSite(supplier=supplier, **fields)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def production_site_remove(*, supplier: Supplier, site_id: int) -> None:
    supplier = _lock_editable(supplier)
    ProductionSite.objects.filter(supplier=supplier, pk=site_id).delete()


def application_missing(supplier: Supplier) -> list[str]:
    """What still stops the application from being submitted, in the reader's language."""
    missing = []
    for field, label in (
        ("name_en", _("legal name in English")), ("name_zh", _("legal name in Chinese")), ("uscc", _("USCC")),
        ("legal_representative", _("legal representative")), ("province", _("province")),
        ("registered_address", _("registered address")), ("belt", _("belt to join")),
        ("contact_name", _("contact person")), ("contact_email", _("contact email")),
    ):  # fmt: skip
        if not getattr(supplier, field):
            missing.append(str(label))
    kinds = set(supplier.documents.values_list("kind", flat=True))
    if SupplierDocument.Kind.LICENCE not in kinds:
        missing.append(str(_("business licence")))
    if not supplier.sites.exists():
        missing.append(str(_("a production site")))
    return missing


@transaction.atomic
def supplier_application_submit(*, supplier: Supplier, actor: User) -> Supplier:
    """Send the application for verification: status "under verification", checks queued after commit."""
    supplier = _lock_editable(supplier)
    missing = application_missing(supplier)
    if missing:
        raise ApplicationError(_("Before you submit, add: %(missing)s.") % {"missing": ", ".join(missing)})
    if Supplier.objects.exclude(pk=supplier.pk).filter(uscc__iexact=supplier.uscc).exists():
        raise ApplicationError(_("A company with this USCC is already on the platform. Contact us if it is yours."))
    resubmitted = supplier.status == Supplier.Status.INFO_REQUESTED
    supplier.status, supplier.submitted_at = Supplier.Status.UNDER_VERIFICATION, timezone.now()
    supplier.save(update_fields=["status", "submitted_at"])
    SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.SUBMITTED, actor=actor)
    trigger = VerificationRun.Trigger.RESUBMITTED if resubmitted else VerificationRun.Trigger.SUBMITTED
    verification_run_enqueue(supplier=supplier, trigger=trigger)
    return supplier


@transaction.atomic
def verification_rerun(*, supplier: Supplier, actor: User | None) -> VerificationRun:
    """An admin runs every check again (after the supplier fixed something, or a check was down)."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status == Supplier.Status.DRAFT:
        raise ApplicationError(_("The application has not been submitted yet."))
    SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.RERUN_REQUESTED, actor=actor)
    return verification_run_enqueue(supplier=supplier, trigger=VerificationRun.Trigger.RERUN)
