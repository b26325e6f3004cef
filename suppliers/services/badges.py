"""The nightly badge audit: every stored badge recomputed from scratch, repaired and recorded."""

import datetime
from itertools import batched

from django.db import transaction
from django.utils import timezone

from ..badges import Drift, badges_refresh
from ..hooks import badges_audited
from ..models import BadgeAudit, BadgeDrift, Supplier, SupplierEvent

BATCH = 500


def badges_audit(*, today: datetime.date | None = None) -> BadgeAudit:
    """Recompute every supplier's badges and every copy the apps above keep of them (`badges_audited`),
    repair whatever differs, and record each difference (a `BadgeDrift`; a `BADGE_REPAIRED` event
    on the supplier). The audit's `drift_count` is what admin shows; the target is 0."""
    today = today or timezone.localdate()
    audit = BadgeAudit.objects.create()
    drifts: list[Drift] = []
    ids = list(Supplier.objects.order_by("pk").values_list("pk", flat=True))
    for batch in batched(ids, BATCH):
        with transaction.atomic():
            found = badges_refresh(batch, today=today)
            for drift in found:
                kind, _space, pk = drift.subject.partition(" ")
                supplier_id = int(pk) if kind == "supplier" else None
                if supplier_id is not None:
                    SupplierEvent.objects.create(
                        supplier_id=supplier_id, kind=SupplierEvent.Kind.BADGE_REPAIRED, reason=str(drift),
                        data={"field": drift.field, "stored": drift.stored, "expected": drift.expected},
                    )  # fmt: skip
            drifts.extend(found)
    with transaction.atomic():
        badges_audited.run(record=drifts.append, today=today)
    BadgeDrift.objects.bulk_create(
        BadgeDrift(audit=audit, subject=d.subject, field=d.field, stored=d.stored[:80], expected=d.expected[:80])
        for d in drifts
    )
    audit.finished_at = timezone.now()
    audit.suppliers_checked = len(ids)
    audit.drift_count = len(drifts)
    audit.save(update_fields=["finished_at", "suppliers_checked", "drift_count"])
    return audit
