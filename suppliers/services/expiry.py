"""The daily expiry sweep: reminders before anything expires, and what happens once it has.

- Reminders 60, 30 and 7 days before a certified supplier's business licence, a certificate or the
  certification itself expires: one mail per thing, date and threshold (an event records it, so a
  second run sends nothing).
- An expired business licence suspends the supplier; an expired certificate lowers an origin level
  to "verified" (`supplier_downgrade`).
- A certification past its end date expires (`supplier_certification_expire`): an event, a mail,
  and the supplier shows as "certification expired" in its belt operator's funnel.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..badges import badges_refresh
from ..models import CertificationLevel, Supplier, SupplierDocument, SupplierEvent
from ..models.certification import Certification
from .certification import supplier_downgrade
from .notifications import supplier_notify

REMINDER_DAYS = (60, 30, 7)


def supplier_certification_expire(
    supplier_id: int, *, today: datetime.date | None = None, actor: User | None = None
) -> bool:
    """End a certification whose validity has passed, on record, with a mail. False when there is
    nothing to end (not certified, or still valid today)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        supplier = (
            Supplier.objects.select_for_update(of=("self",)).select_related("current_certification").get(pk=supplier_id)
        )
        current = supplier.current_certification
        if supplier.status != Supplier.Status.CERTIFIED or current is None or current.valid_until >= today:
            return False
        from_level = current.level
        Certification.objects.filter(pk=current.pk).update(status=Certification.Status.EXPIRED)
        supplier.status = Supplier.Status.EXPIRED
        supplier.save(update_fields=["status"])
        badges_refresh([supplier.pk], today=today)
        SupplierEvent.objects.create(
            supplier=supplier, kind=SupplierEvent.Kind.EXPIRED, actor=actor, from_level=from_level,
            to_level=CertificationLevel.NONE, reason=f"Certification {current.code} ended on {current.valid_until}",
            data={"certification": current.pk, "valid_until": current.valid_until.isoformat()},
        )  # fmt: skip
        supplier_notify(
            supplier=supplier, template="supplier_certification_expired", context={"certification": current}
        )
    return True


def _remind(supplier_id: int, key: dict[str, object], name: str, until: datetime.date) -> bool:
    """One reminder per thing, date and threshold; `name` is empty for the certification itself."""
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
        if SupplierEvent.objects.filter(supplier=supplier, kind=SupplierEvent.Kind.REMINDED, data=key).exists():
            return False
        SupplierEvent.objects.create(
            supplier=supplier, kind=SupplierEvent.Kind.REMINDED, data=key, reason=name or "Certification"
        )
        supplier_notify(
            supplier=supplier,
            template="supplier_expiry_reminder",
            context={"name": name, "until": until, "days": key["days"]},
        )
    return True


def _threshold(until: datetime.date, today: datetime.date) -> int | None:
    """The nearest reminder threshold `until` falls within (7 before 30 before 60), or None."""
    left = (until - today).days
    within = [days for days in REMINDER_DAYS if left <= days]
    return min(within) if within and left >= 0 else None


def certifications_expiry_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job (see the module's docstring). Idempotent: a second run the same day does nothing."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "suspended": 0, "downgraded": 0, "expired": 0}
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    documents = (
        SupplierDocument.objects.filter(
            supplier__status=Supplier.Status.CERTIFIED,
            kind__in=[SupplierDocument.Kind.LICENCE, SupplierDocument.Kind.CERTIFICATE],
            valid_until__isnull=False,
            valid_until__lte=horizon,
            file_check="clean",
        )
        .select_related("supplier")
        .order_by("supplier_id", "id")
    )
    for document in documents:
        until: datetime.date = document.valid_until  # type: ignore[assignment]
        name = f"{document.get_kind_display()} {document.get_standard_display()} {document.number}".strip()
        if until < today:
            replaced = SupplierDocument.objects.filter(
                supplier_id=document.supplier_id, kind=document.kind, standard=document.standard,
                valid_until__gte=today, uploaded_at__gt=document.uploaded_at, file_check="clean",
            ).exists()  # fmt: skip
            if replaced:
                continue
            if document.kind == SupplierDocument.Kind.LICENCE:
                counts["suspended"] += supplier_downgrade(
                    document.supplier_id, to_level=CertificationLevel.NONE, kind=SupplierEvent.Kind.SUSPENDED,
                    reason=f"Business licence expired on {until}", data={"document": document.pk},
                )  # fmt: skip
            else:
                counts["downgraded"] += supplier_downgrade(
                    document.supplier_id, to_level=CertificationLevel.VERIFIED, kind=SupplierEvent.Kind.DOWNGRADED,
                    reason=f"Certificate {name} expired on {until}", data={"document": document.pk},
                )  # fmt: skip
            continue
        days = _threshold(until, today)
        if days is not None:
            key = {"document": document.pk, "valid_until": until.isoformat(), "days": days}
            counts["reminded"] += _remind(document.supplier_id, key, name, until)
    certified = Supplier.objects.filter(status=Supplier.Status.CERTIFIED, current_certification__isnull=False)
    for supplier_id in certified.filter(current_certification__valid_until__lt=today).values_list("pk", flat=True):
        counts["expired"] += supplier_certification_expire(supplier_id, today=today)
    for supplier_id, certification_id, until in certified.filter(
        current_certification__valid_until__gte=today, current_certification__valid_until__lte=horizon
    ).values_list("pk", "current_certification_id", "current_certification__valid_until"):
        days = _threshold(until, today)
        if days is not None:
            key = {"certification": certification_id, "valid_until": until.isoformat(), "days": days}
            counts["reminded"] += _remind(supplier_id, key, "", until)
    return counts
