"""Writes to suppliers. Every certification change goes through `supplier_certify`."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.exceptions import ApplicationError

from .models import CertificationLevel, Supplier, SupplierEvent

# How long a certification runs when the decision names no expiry date.
CERTIFICATION_VALIDITY = datetime.timedelta(days=365)


@transaction.atomic
def supplier_certify(
    *,
    supplier: Supplier,
    level: str,
    actor: User | None,
    valid_until: datetime.date | None = None,
    reason: str = "",
) -> Supplier:
    """Certify `supplier` at `level` until `valid_until` (default: a year from today), on record.

    Locks the supplier row first, so two admins deciding at once are applied one after the other.
    The audit event says what changed: first certification, level change, or renewal. The same
    decision twice changes nothing and records nothing.
    """
    if level not in CertificationLevel.values or level == CertificationLevel.NONE:
        raise ApplicationError(_("Unknown certification level."))
    valid_until = valid_until or timezone.localdate() + CERTIFICATION_VALIDITY
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    was_certified = supplier.status == Supplier.Status.CERTIFIED
    from_level = supplier.certification_level
    if was_certified and from_level == level and supplier.certified_until == valid_until:
        return supplier
    if not was_certified:
        kind = SupplierEvent.Kind.CERTIFIED
        supplier.certified_at = timezone.now()
    elif from_level != level:
        kind = SupplierEvent.Kind.LEVEL_CHANGED
    else:
        kind = SupplierEvent.Kind.RENEWED
    supplier.status = Supplier.Status.CERTIFIED
    supplier.certification_level = level
    supplier.certified_until = valid_until
    supplier.save(update_fields=["status", "certification_level", "certified_until", "certified_at"])
    SupplierEvent.objects.create(
        supplier=supplier, kind=kind, actor=actor, from_level=from_level, to_level=level, reason=reason
    )
    return supplier
