"""Renewal and re-verification: a certified, lowered, suspended or expired supplier hands in renewed
documents from its dashboard and asks to be verified again; the checks re-run in the worker and the
request waits in the staff's renewal queue. A decision (`supplier_certify`) restores the level with a
new evidence chain, the old certifications staying on record. Certifications older than a year are
re-verified on schedule."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.exceptions import ApplicationError

from ..badges import badges_refresh
from ..models import Supplier, SupplierDocument, SupplierEvent, VerificationRun
from .application import document_delete, document_store, documents_pending
from .verification import verification_run_enqueue

# Statuses from which a supplier may renew: every one after a first certification.
RENEWABLE = (Supplier.Status.CERTIFIED, Supplier.Status.SUSPENDED, Supplier.Status.EXPIRED)
REVERIFY_AFTER = datetime.timedelta(days=365)


def _lock_renewable(supplier: Supplier) -> Supplier:
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status not in RENEWABLE:
        raise ApplicationError(_("Only a company that was certified can hand in renewed documents."))
    return supplier


@transaction.atomic
def renewal_document_add(
    *, supplier: Supplier, actor: User, kind: str, upload: object, **certificate: object
) -> SupplierDocument:
    """A renewed business licence or certificate, checked by content in the worker like the
    application's. The badges are recomputed once it is clean (a renewed certificate of the same
    standard stands in for a lapsed one: `document_checked`), at once here when it was checked
    in-process; a suspension or expiry is lifted only by a staff decision."""
    if kind not in (SupplierDocument.Kind.LICENCE, SupplierDocument.Kind.CERTIFICATE):
        raise ApplicationError(_("Hand in a business licence or a certificate."))
    supplier = _lock_renewable(supplier)
    document = document_store(supplier=supplier, kind=kind, upload=upload, **certificate)  # type: ignore[arg-type]
    SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.DOCUMENT_RENEWED, actor=actor, reason=str(document),
        data={"document": document.pk, "valid_until": str(document.valid_until or "")},
    )  # fmt: skip
    if document.file_is_clean:
        badges_refresh([supplier.pk])
    return document


@transaction.atomic
def renewal_document_remove(*, supplier: Supplier, document_id: int) -> None:
    """Remove a renewed document whose file was refused by its check (the company hands in another).
    Documents that passed are part of the record and stay."""
    supplier = _lock_renewable(supplier)
    document = SupplierDocument.objects.filter(supplier=supplier, pk=document_id).first()
    if document is None:
        return
    if not document.file_is_refused:
        raise ApplicationError(_("Only a document whose file was refused can be removed here."))
    document_delete(document)


@transaction.atomic
def renewal_request(*, supplier: Supplier, actor: User) -> VerificationRun:
    """Ask for re-verification: the checks run again in the worker and staff see the company in the
    renewal queue until they decide. Asking twice while a request waits changes nothing."""
    supplier = _lock_renewable(supplier)
    if supplier.renewal_requested_at is not None:
        raise ApplicationError(_("Your request for re-verification is already with our staff."))
    if documents_pending(supplier.pk):
        raise ApplicationError(
            _("Some of your documents are still being checked. Refresh the page in a moment, then ask again.")
        )
    supplier.renewal_requested_at = timezone.now()
    supplier.save(update_fields=["renewal_requested_at"])
    SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.RENEWAL_REQUESTED, actor=actor)
    return verification_run_enqueue(supplier=supplier, trigger=VerificationRun.Trigger.RENEWAL)


def reverification_sweep(*, now: datetime.datetime | None = None) -> int:
    """Daily: every certified supplier whose certification was decided more than a year ago and that
    had no verification run since is verified again (and joins the renewal queue). Idempotent."""
    now = now or timezone.now()
    due = Supplier.objects.filter(
        status=Supplier.Status.CERTIFIED,
        renewal_requested_at__isnull=True,
        current_certification__decided_at__lt=now - REVERIFY_AFTER,
    ).exclude(verification_runs__created_at__gte=now - REVERIFY_AFTER)
    count = 0
    for supplier_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
            if supplier.renewal_requested_at is not None:
                continue
            supplier.renewal_requested_at = now
            supplier.save(update_fields=["renewal_requested_at"])
            SupplierEvent.objects.create(
                supplier=supplier, kind=SupplierEvent.Kind.RENEWAL_REQUESTED, reason="Yearly re-verification"
            )
            verification_run_enqueue(supplier=supplier, trigger=VerificationRun.Trigger.SCHEDULED)
            count += 1
    return count
