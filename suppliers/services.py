"""Writes to suppliers. Every certification change goes through `supplier_certify`."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace.exceptions import ApplicationError

from .models import CertificationLevel, Supplier, SupplierEvent


@transaction.atomic
def supplier_certify(
    *,
    supplier: Supplier,
    level: str,
    actor: User | None,
    valid_until: datetime.date | None = None,
    reason: str = "",
) -> Supplier:
    """Certify `supplier` at `level` (or change its level), writing an audit event.

    Locks the supplier row first so two admins deciding at once leave one outcome each in turn.
    Certifying again at the same level and expiry changes nothing and records nothing.
    """
    if level not in CertificationLevel.values or level == CertificationLevel.NONE:
        raise ApplicationError("Unknown certification level")
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if (
        supplier.status == Supplier.Status.CERTIFIED
        and supplier.certification_level == level
        and supplier.certified_until == valid_until
    ):
        return supplier
    was_certified = supplier.status == Supplier.Status.CERTIFIED
    from_level = supplier.certification_level
    supplier.status = Supplier.Status.CERTIFIED
    supplier.certification_level = level
    supplier.certified_until = valid_until
    if not was_certified:
        supplier.certified_at = timezone.now()
    supplier.save(update_fields=["status", "certification_level", "certified_until", "certified_at"])
    SupplierEvent.objects.create(
        supplier=supplier,
        kind=SupplierEvent.Kind.LEVEL_CHANGED if was_certified else SupplierEvent.Kind.CERTIFIED,
        actor=actor,
        from_level=from_level,
        to_level=level,
        reason=reason,
    )
    return supplier
