"""Writes to lots: create, update, close, add a certificate, and draw the quantities a shipment
takes. One function per change, each atomic, locking the lot row first and writing a LotEvent.

They raise django ValidationError keyed by field, so the form shows each message beside its field
and the API answers 400 with the same keys. Who may call them (a member of the lot's supplier) is
checked by the caller, through `catalog.lots.selectors`, which answers 404 for anyone else's lot.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.bounds import INTEGER_MAX
from marketplace.filecheck.services import file_check_later, file_receive
from marketplace.uploads import CleanFile
from suppliers.models import Supplier

from ..models import Listing
from .models import Lot, LotCertificate, LotEvent

# What a supplier writes on a lot, and nothing else (no status, token, remaining…).
WRITABLE_FIELDS = (
    "code", "site_name", "site_address", "site_region", "latitude", "longitude", "produced_on", "packed_on",
    "best_before", "quantity", "unit", "grade", "inspection_results",
)  # fmt: skip
MAX_LISTINGS = 20
MAX_CERTIFICATES = 20


@dataclass(frozen=True)
class LotDraw:
    """A quantity of one listing's order line shipped from one lot."""

    listing_id: int
    lot_id: int
    quantity: int


def _lock(lot: Lot) -> Lot:
    """The lot row, locked until the transaction ends: every change of a lot starts here."""
    return Lot.objects.select_for_update().get(pk=lot.pk)


def _event(lot: Lot, actor: User | None, kind: str, **data: Any) -> LotEvent:
    return LotEvent.objects.create(lot=lot, actor=actor, kind=kind, data=data)


def _check_listings(supplier: Supplier, listings: Sequence[Listing], unit: str) -> list[Listing]:
    """The listings a lot supplies: one to MAX_LISTINGS of the supplier's own, sold in the lot's unit."""
    listings = list({listing.pk: listing for listing in listings}.values())
    if not listings:
        raise ValidationError({"listings": _("Choose the listing or listings this lot supplies.")})
    if len(listings) > MAX_LISTINGS:
        raise ValidationError({"listings": _("A lot supplies at most %(n)d listings.") % {"n": MAX_LISTINGS}})
    if any(listing.supplier_id != supplier.pk for listing in listings):
        raise ValidationError({"listings": _("Choose among your own listings.")})
    other_units = [listing for listing in listings if listing.unit != unit]
    if other_units:
        raise ValidationError(
            {
                "listings": _("“%(title)s” is sold by the %(unit)s: a lot must be counted in the unit of its listings.")
                % {"title": other_units[0].title, "unit": other_units[0].unit_label}
            }
        )
    return listings


def _apply(lot: Lot, data: Mapping[str, Any]) -> None:
    """Set the writable fields given in `data` on `lot` and check them (field rules, then the
    rules between fields); the code's uniqueness is checked by the caller."""
    unknown = set(data) - set(WRITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be written.") for name in sorted(unknown)})
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(lot, name, value)
    lot.full_clean(exclude=["supplier", "remaining", "created_by"], validate_unique=False, validate_constraints=False)
    errors: dict[str, str] = {}
    if not 1 <= lot.quantity <= INTEGER_MAX:
        errors["quantity"] = _("Enter a quantity from 1 to %(max)s.") % {"max": INTEGER_MAX}
    produced: datetime.date = lot.produced_on
    if lot.packed_on and lot.packed_on < produced:
        errors["packed_on"] = _("A lot is packed on or after its harvest or production date.")
    if lot.best_before and lot.best_before < produced:
        errors["best_before"] = _("The best-before date comes after the harvest or production date.")
    for name, limit in (("latitude", Decimal(90)), ("longitude", Decimal(180))):
        value = getattr(lot, name)
        if value is not None and not -limit <= value <= limit:
            errors[name] = _("Enter a value from %(low)s to %(high)s.") % {"low": -limit, "high": limit}
    if errors:
        raise ValidationError(errors)


def _check_code_free(lot: Lot) -> None:
    taken = Lot.objects.filter(supplier_id=lot.supplier_id, code=lot.code).exclude(pk=lot.pk).exists()
    if taken:
        raise ValidationError({"code": _("You already have a lot with this code.")})


def _save_new(lot: Lot) -> None:
    """Insert `lot`; a code taken by a racing request meanwhile is refused like a taken one."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the conflict
            lot.save()
    except IntegrityError as exc:
        if "lot_unique_supplier_code" in str(exc):
            raise ValidationError({"code": _("You already have a lot with this code.")}) from exc
        raise


@transaction.atomic
def lot_create(*, supplier: Supplier, actor: User, listings: Sequence[Listing], data: Mapping[str, Any]) -> Lot:
    """A supplier records a lot of `listings` with its site, dates, quantity and grade; the whole
    quantity remains. The code is unique among the supplier's lots."""
    lot = Lot(supplier=supplier, created_by=actor, quantity=1, remaining=1)
    _apply(lot, data)
    lot.remaining = lot.quantity
    chosen = _check_listings(supplier, listings, lot.unit)
    _check_code_free(lot)
    _save_new(lot)
    lot.listings.set(chosen)
    _event(lot, actor, LotEvent.Kind.CREATED, quantity=lot.quantity, listings=sorted(x.pk for x in chosen))
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, actor: User, data: Mapping[str, Any], listings: Sequence[Listing] | None = None) -> Lot:
    """Edit a lot. A new quantity keeps what has shipped: the remaining quantity moves by the same
    amount, and a quantity below what has shipped is refused. A closed lot is not edited."""
    lot = _lock(lot)
    if not lot.is_open:
        raise ValidationError({"status": _("This lot is closed; it can no longer be edited.")})
    shipped = lot.shipped
    before = {name: getattr(lot, name) for name in WRITABLE_FIELDS}
    _apply(lot, data)
    if lot.quantity < shipped:
        raise ValidationError(
            {"quantity": _("%(n)s have shipped from this lot already: the quantity cannot be lower.") % {"n": shipped}}
        )
    lot.remaining = lot.quantity - shipped
    current = list(lot.listings.all()) if listings is None else listings
    chosen = _check_listings(lot.supplier, current, lot.unit)
    _check_code_free(lot)
    try:
        with transaction.atomic():
            lot.save()
    except IntegrityError as exc:
        if "lot_unique_supplier_code" in str(exc):
            raise ValidationError({"code": _("You already have a lot with this code.")}) from exc
        raise
    if listings is not None:
        lot.listings.set(chosen)
    changed = sorted(name for name in WRITABLE_FIELDS if getattr(lot, name) != before[name])
    _event(lot, actor, LotEvent.Kind.UPDATED, fields=changed)
    return lot


@transaction.atomic
def lot_close(*, lot: Lot, actor: User) -> Lot:
    """Close a lot: it no longer counts in stock and ships nothing more. Closing twice is a no-op."""
    lot = _lock(lot)
    if not lot.is_open:
        return lot
    lot.status, lot.closed_at = Lot.Status.CLOSED, timezone.now()
    lot.save(update_fields=["status", "closed_at", "updated_at"])
    _event(lot, actor, LotEvent.Kind.CLOSED, remaining=lot.remaining)
    return lot


@transaction.atomic
def lot_certificate_add(
    *,
    lot: Lot,
    actor: User,
    upload: "UploadedFile[bytes]",
    kind: str,
    number: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
) -> LotCertificate:
    """Attach a certificate to a lot: stored unchecked and checked in the worker
    (marketplace.filecheck); nothing shows or serves it before it is clean."""
    lot = _lock(lot)  # two uploads at once take turns, so the cap holds
    if lot.certificates.count() >= MAX_CERTIFICATES:
        raise ValidationError({"file": _("At most %(n)d certificates per lot.") % {"n": MAX_CERTIFICATES}})
    certificate = LotCertificate(
        lot=lot, kind=kind, number=(number or "").strip(), issuer=(issuer or "").strip(), issued_on=issued_on
    )
    certificate.uploaded_by = actor
    certificate.full_clean(exclude=["lot", "file", "uploaded_by"], validate_constraints=False)
    try:
        file_receive(certificate, upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    certificate.save()
    file_check_later(certificate)
    _event(lot, actor, LotEvent.Kind.CERTIFICATE_ADDED, certificate=certificate.pk, certificate_kind=kind)
    return certificate


def lot_certificate_checked(certificate: LotCertificate, clean: CleanFile | None, content_type: str) -> None:
    """The outcome of a certificate's check (marketplace.filecheck `on_checked`), before the row is
    saved: a clean copy gives the certificate its type and size."""
    if clean is not None:
        certificate.content_type, certificate.size = content_type, clean.size


@transaction.atomic
def lots_draw(*, supplier: Supplier, draws: Sequence[LotDraw], actor: User | None, reference: str) -> list[Lot]:
    """Take the quantities of a shipment (`reference`, the order number) from their lots.

    Every lot must be the supplier's, open, supplying the listing it is drawn for, with enough
    remaining for all the draws on it together. The lots are locked in id order (two shipments
    drawing from the same lots cannot deadlock) and the remaining quantity is read under the lock,
    so two shipments can never overdraw a lot: the second one waits and sees what the first left.
    Raises ValidationError under "lots".
    """
    if not draws:
        return []
    if any(draw.quantity <= 0 for draw in draws):
        raise ValidationError({"lots": _("Ship a quantity of at least 1 from each lot.")})
    lot_ids = sorted({draw.lot_id for draw in draws})
    locked = {
        lot.pk: lot for lot in Lot.objects.select_for_update().filter(pk__in=lot_ids, supplier=supplier).order_by("pk")
    }
    if len(locked) != len(lot_ids):
        raise ValidationError({"lots": _("Choose among your own lots.")})
    supplies = set(Lot.objects.filter(pk__in=lot_ids).values_list("pk", "listings__id"))
    taken: dict[int, int] = defaultdict(int)
    for draw in draws:
        lot = locked[draw.lot_id]
        if not lot.is_open:
            raise ValidationError({"lots": _("Lot %(code)s is closed.") % {"code": lot.code}})
        if (lot.pk, draw.listing_id) not in supplies:
            raise ValidationError({"lots": _("Lot %(code)s does not supply this item.") % {"code": lot.code}})
        taken[lot.pk] += draw.quantity
    for lot_id, quantity in taken.items():
        lot = locked[lot_id]
        if quantity > lot.remaining:
            raise ValidationError(
                {
                    "lots": _("Lot %(code)s has %(remaining)s left, not %(quantity)s.")
                    % {"code": lot.code, "remaining": lot.remaining, "quantity": quantity}
                }
            )
    for lot_id, quantity in sorted(taken.items()):
        Lot.objects.filter(pk=lot_id).update(remaining=F("remaining") - quantity, updated_at=timezone.now())
        _event(locked[lot_id], actor, LotEvent.Kind.SHIPPED, order=reference, quantity=quantity)
        locked[lot_id].remaining -= quantity
    return [locked[lot_id] for lot_id in lot_ids]
