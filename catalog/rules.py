"""The wholesale quantity rules of a listing, as pure functions (no queries, no models saved).

One place for the rules every door uses: the listing form, the CSV/XLSX import, the API and,
later, the cart. A rule that differs between two doors is a bug buyers and suppliers meet.

- Price tiers: quantities strictly rising, unit prices never rising, the first tier at or
  below the MOQ's reach (the MOQ may not be below the first tier's quantity: a buyer who
  orders the MOQ must have a price).
- MOQ: across all variants of the listing (a mixed batch) or per variant.
- Order multiples (carton packs): every quantity a multiple of it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suppliers.levels import PUBLIC_LEVELS


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    unit_price: Decimal


def validate_tiers(tiers: Sequence[Tier], *, moq: int) -> list[str]:
    """Messages for everything wrong with `tiers` (in the order given) against `moq`; empty if fine."""
    errors: list[str] = []
    if not tiers:
        return [_("Give at least one price tier.")]
    for number, tier in enumerate(tiers, start=1):
        if tier.min_quantity < 1:
            errors.append(_("Tier %(n)s: the quantity must be at least 1.") % {"n": number})
        if tier.unit_price <= 0:
            errors.append(_("Tier %(n)s: the unit price must be more than zero.") % {"n": number})
    for number, (before, after) in enumerate(pairwise(tiers), start=2):
        if after.min_quantity <= before.min_quantity:
            errors.append(
                _("Tier %(n)s: quantities must rise from tier to tier (%(q)s is not above %(prev)s).")
                % {"n": number, "q": after.min_quantity, "prev": before.min_quantity}
            )
        if after.unit_price > before.unit_price:
            errors.append(
                _("Tier %(n)s: a larger quantity may not cost more per unit (%(p)s is above %(prev)s).")
                % {"n": number, "p": after.unit_price, "prev": before.unit_price}
            )
    first = tiers[0].min_quantity
    if moq < first:
        errors.append(
            _("The MOQ (%(moq)s) is below the first tier (%(first)s): a buyer ordering the MOQ would have no price.")
            % {"moq": moq, "first": first}
        )
    return errors


def tier_for_quantity(tiers: Iterable[Tier], quantity: int) -> Tier | None:
    """The tier that applies to `quantity`: the one with the largest quantity at or below it."""
    applicable = [t for t in tiers if t.min_quantity <= quantity]
    return max(applicable, key=lambda t: t.min_quantity) if applicable else None


def quantity_errors(
    *,
    moq: int,
    order_multiple: int = 1,
    per_variant: bool = False,
    quantities: Mapping[str, int],
    variant_moqs: Mapping[str, int | None] | None = None,
) -> list[str]:
    """Messages for an order of `quantities` (variant label → quantity; "" for a listing without
    variants) that breaks the listing's MOQ or multiples; empty if the order may be placed."""
    errors: list[str] = []
    ordered = {label: q for label, q in quantities.items() if q}
    if any(q < 0 for q in ordered.values()):
        return [_("Quantities cannot be negative.")]
    total = sum(ordered.values())
    if total == 0:
        return [_("Enter a quantity.")]
    if per_variant:
        for label, q in ordered.items():
            minimum = (variant_moqs or {}).get(label) or moq
            if q < minimum:
                errors.append(
                    _("%(variant)s: at least %(min)s per variant (you entered %(q)s).")
                    % {"variant": label or _("This item"), "min": minimum, "q": q}
                )
    elif total < moq:
        errors.append(
            ngettext(
                "The minimum order is %(moq)s unit across all variants (you entered %(total)s).",
                "The minimum order is %(moq)s units across all variants (you entered %(total)s).",
                moq,
            )
            % {"moq": moq, "total": total}
        )
    if order_multiple > 1:
        for label, q in ordered.items():
            if q % order_multiple:
                errors.append(
                    _("%(variant)s: sold in multiples of %(m)s (%(q)s is not one).")
                    % {"variant": label or _("This item"), "m": order_multiple, "q": q}
                )
    return errors


PUBLISHING_LEVELS = PUBLIC_LEVELS


def supplier_may_publish(supplier: object) -> bool:
    """Only a supplier whose certification is current and at least "verified" may publish."""
    from django.utils import timezone

    until = getattr(supplier, "certified_until", None)
    return (
        getattr(supplier, "status", None) == "certified"
        and getattr(supplier, "certification_level", None) in PUBLISHING_LEVELS
        and (until is None or until >= timezone.localdate())
    )
