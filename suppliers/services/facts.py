"""Staff changes to the facts behind a certified supplier's badges: its production sites, its
business type and its belt. Each is on record and recomputes the badges in its transaction."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from belts.models import Belt
from marketplace.exceptions import ApplicationError

from ..badges import badges_refresh
from ..hooks import certification_changed
from ..models import ProductionSite, Supplier, SupplierEvent

SITE_FIELDS = frozenset({"name", "address", "province", "city", "products", "is_verified"})


@transaction.atomic
def production_site_change(*, site: ProductionSite, actor: User | None, reason: str, **fields: Any) -> ProductionSite:
    """Change a production site (its address, its province, whether it is verified), on record.

    A site that moves is no longer verified unless the same change verifies it again."""
    unknown = set(fields) - SITE_FIELDS
    if unknown:
        raise ValueError(f"Not a production site field: {sorted(unknown)}")
    if not reason.strip():
        raise ApplicationError(_("Say why the production site changes."))
    Supplier.objects.select_for_update().filter(pk=site.supplier_id).get()
    site = ProductionSite.objects.select_for_update().get(pk=site.pk)
    before = {name: getattr(site, name) for name in fields}
    changed = {name: value for name, value in fields.items() if before[name] != value}
    if not changed:
        return site
    moved = any(name in changed for name in ("province", "address", "city"))
    if moved and "is_verified" not in changed:
        changed["is_verified"] = False
    for name, value in changed.items():
        setattr(site, name, value)
    if "is_verified" in changed:
        site.verified_at = timezone.now() if site.is_verified else None
    site.save(update_fields=[*changed, "verified_at"])
    SupplierEvent.objects.create(
        supplier_id=site.supplier_id, kind=SupplierEvent.Kind.SITE_CHANGED, actor=actor, reason=reason,
        data={"site": site.pk, "changed": {name: [str(before.get(name, "")), str(v)] for name, v in changed.items()}},
    )  # fmt: skip
    badges_refresh([site.supplier_id])
    return site


@transaction.atomic
def supplier_details_change(
    *,
    supplier: Supplier,
    actor: User | None,
    reason: str,
    business_type: str | None = None,
    belt: Belt | None = None,
) -> Supplier:
    """Change a supplier's business type or belt, on record. Both count for its badges: a trading
    company is at most "verified", and origin is judged against the belt's region."""
    if not reason.strip():
        raise ApplicationError(_("Say why the company's details change."))
    if business_type is not None and business_type not in Supplier.BusinessType.values:
        raise ApplicationError(_("Unknown business type."))
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    changed: dict[str, list[str]] = {}
    old_belt = supplier.belt_id
    if business_type is not None and business_type != supplier.business_type:
        changed["business_type"] = [supplier.business_type, business_type]
        supplier.business_type = business_type
    if belt is not None and belt.pk != supplier.belt_id:
        changed["belt"] = [str(supplier.belt_id), str(belt.pk)]
        supplier.belt = belt
    if not changed:
        return supplier
    supplier.save(update_fields=["business_type", "belt"])
    SupplierEvent.objects.create(
        supplier=supplier,
        kind=SupplierEvent.Kind.DETAILS_CHANGED,
        actor=actor,
        reason=reason,
        data={"changed": changed},
    )
    badges_refresh([supplier.pk])
    if old_belt is not None and old_belt != supplier.belt_id:
        certification_changed.run(supplier_ids=[supplier.pk], belt_ids=[old_belt])
    supplier.refresh_from_db()
    return supplier
