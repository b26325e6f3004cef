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
from marketplace.filecheck.models import FileCheck
from marketplace.filecheck.services import file_check_later, file_receive
from marketplace.jobs import enqueue_on_commit
from marketplace.uploads import CleanFile

from ..badges import badges_refresh
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


def _unique_slug(name: str, *, exclude: int | None = None) -> str:
    base = slugify(name)[:80] or "supplier"
    slug, n = base, 1
    taken = Supplier.objects.exclude(pk=exclude) if exclude is not None else Supplier.objects.all()
    while taken.filter(slug=slug).exists():
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
    fields = list(data)
    # The public address follows the company's legal name until the supplier is first certified
    # (before that no page or link shows it); from then on it stays, so links keep working.
    if data.get("name_en") and data["name_en"] != supplier.name_en and supplier.certified_at is None:
        supplier.slug = _unique_slug(data["name_en"], exclude=supplier.pk)
        fields.append("slug")
    for field, value in data.items():
        setattr(supplier, field, value)
    supplier.save(update_fields=fields)
    if categories is not None:
        supplier.main_categories.set(categories)
    return supplier


@transaction.atomic
def supplier_document_add(
    *, supplier: Supplier, kind: str, upload: "UploadedFile[bytes]", **certificate: object
) -> SupplierDocument:
    """Keep an uploaded document, unchecked, for the worker to check (`document_store`)."""
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
    """Keep an upload as `supplier`'s document, pending its check in the worker (the caller holds the
    supplier's lock). Only the size and magic bytes are looked at here: a wrong type or a file too
    large raises ValidationError and nothing is stored. The content is checked by the job, and
    `document_checked` fills the file and its type, size and hash from the checked copy."""
    document = SupplierDocument(supplier=supplier, kind=kind, **certificate)
    document.full_clean(exclude=["file", "file_quarantine"])  # before the upload is kept: no orphan files
    file_receive(document, upload)
    document.save()
    file_check_later(document)
    document.refresh_from_db()  # checked already when the check runs in-process (FILE_CHECK_EAGER)
    return document


# Statuses whose badges rest on documents (those after a first certification).
BADGE_STATUSES = (Supplier.Status.CERTIFIED, Supplier.Status.SUSPENDED, Supplier.Status.EXPIRED)


def document_checked(document: SupplierDocument, clean: CleanFile | None, content_type: str) -> None:
    """The outcome of a document's check (marketplace.filecheck `on_checked`), before the row is
    saved: a clean copy gives the document its type, size and hash; the badges and any verification
    run that waited for the supplier's documents follow after commit."""
    if clean is not None:
        digest = hashlib.sha256()
        for chunk in clean.chunks():
            digest.update(chunk)
        document.content_type, document.size, document.sha256 = content_type, clean.size, digest.hexdigest()
    supplier_id = document.supplier_id
    transaction.on_commit(lambda: documents_checked_follow_up(supplier_id))


def documents_checked_follow_up(supplier_id: int) -> None:
    """After a document's check: recompute the supplier's badges (a renewed certificate counts once
    it is clean), and once none of its documents waits for a check, queue the verification runs
    that were held back for them (`verification_run_execute`)."""
    from ..tasks import verification_run_execute_task

    if Supplier.objects.filter(pk=supplier_id, status__in=BADGE_STATUSES).exists():
        badges_refresh([supplier_id])
    if documents_pending(supplier_id):
        return
    held = VerificationRun.objects.filter(supplier_id=supplier_id, status=VerificationRun.Status.PENDING)
    for run_id in held.values_list("pk", flat=True):
        enqueue_on_commit(verification_run_execute_task, run_id)


def documents_pending(supplier_id: int) -> bool:
    """Whether any of the supplier's documents still waits for its check."""
    return SupplierDocument.objects.filter(supplier_id=supplier_id, file_check=FileCheck.PENDING).exists()


@transaction.atomic
def supplier_document_remove(*, supplier: Supplier, document_id: int) -> None:
    supplier = _lock_editable(supplier)
    document = SupplierDocument.objects.filter(supplier=supplier, pk=document_id).first()
    if document is not None:
        document_delete(document)


def document_delete(document: SupplierDocument) -> None:
    """Delete a document row and, after commit, its files (checked copy and unchecked upload)."""
    files = [(f.name, f.storage) for f in (document.file, document.file_quarantine) if f.name]
    document.delete()
    for name, storage in files:
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))  # type: ignore[misc]


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
    documents = list(supplier.documents.values_list("kind", "file_check"))
    if not any(kind == SupplierDocument.Kind.LICENCE and check == FileCheck.CLEAN for kind, check in documents):
        if any(kind == SupplierDocument.Kind.LICENCE and check == FileCheck.PENDING for kind, check in documents):
            missing.append(str(_("business licence (being checked: wait a moment)")))
        else:
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
    if documents_pending(supplier.pk):
        raise ApplicationError(
            _("Some of your documents are still being checked. Refresh the page in a moment, then submit.")
        )
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
    if documents_pending(supplier.pk):
        raise ApplicationError(_("Some of the supplier's documents are still being checked: try again in a moment."))
    SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.RERUN_REQUESTED, actor=actor)
    return verification_run_enqueue(supplier=supplier, trigger=VerificationRun.Trigger.RERUN)
