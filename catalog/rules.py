"""The wholesale quantity rules of a listing, as pure functions (no queries, no models saved).

One place for the rules every door uses: the listing form, the CSV/XLSX import, the API, the
listing page's quantity grid, the cart and checkout. A rule that differs between two doors is a
bug buyers and suppliers meet.

- Price tiers: quantities strictly rising, unit prices never rising, the first tier at or
  below the MOQ's reach (the MOQ may not be below the first tier's quantity: a buyer who
  orders the MOQ must have a price).
- MOQ: across all variants of the listing (a mixed batch) or per variant.
- Order multiples (carton packs): every quantity a multiple of it.
- No line above MAX_LINE_QUANTITY.

An order these rules refuse is answered with the nearest orders they accept (`quantity_verdict`).
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Protocol

from django.contrib.humanize.templatetags.humanize import intcomma
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


class HasMinQuantity(Protocol):
    """A price tier as `tier_for_quantity` reads it: a `Tier` or a saved `PriceTier`."""

    @property
    def min_quantity(self) -> int: ...


def tier_for_quantity[T: HasMinQuantity](tiers: Iterable[T], quantity: int) -> T | None:
    """The tier that applies to `quantity`: the one with the largest quantity at or below it."""
    applicable = [t for t in tiers if t.min_quantity <= quantity]
    return max(applicable, key=lambda t: t.min_quantity) if applicable else None


# The most one line of an order holds (the forms, the API, the cart and OrderLine agree on it).
MAX_LINE_QUANTITY = 999_999_999


def quantity_with_unit(quantity: int, unit: str) -> str:
    """ "1 set", "5 sets", "1,000 pieces": a quantity with its unit (a Listing.Unit value), plural
    by the reader's language; digits grouped as the pages group them."""
    n = intcomma(quantity)
    forms = {
        "piece": ngettext("%(n)s piece", "%(n)s pieces", quantity),
        "set": ngettext("%(n)s set", "%(n)s sets", quantity),
        "pair": ngettext("%(n)s pair", "%(n)s pairs", quantity),
        "metre": ngettext("%(n)s metre", "%(n)s metres", quantity),
        "kg": ngettext("%(n)s kg", "%(n)s kg", quantity),
        "tonne": ngettext("%(n)s tonne", "%(n)s tonnes", quantity),
        "carton": ngettext("%(n)s carton", "%(n)s cartons", quantity),
        "unit": ngettext("%(n)s unit", "%(n)s units", quantity),
    }
    return forms[unit] % {"n": n} if unit in forms else f"{n} {unit}".rstrip()


@dataclass(frozen=True)
class QuantityRules:
    """A listing's quantity rules as `quantity_verdict` reads them. Orders are given as
    {variant label: quantity}, the label "" alone for a listing without variants."""

    moq: int
    order_multiple: int = 1
    per_variant: bool = False  # each variant ordered meets its own minimum (else: a mixed batch)
    variant_moqs: Mapping[str, int | None] = field(default_factory=dict)  # a variant's own MOQ
    unit: str = ""  # Listing.Unit value, to count in messages ("5 sets")

    def line_minimum(self, label: str, *, alone: bool) -> int:
        """The least a line may hold: its own minimum when each line counts alone, else one pack."""
        if alone:
            return self.variant_moqs.get(label) or self.moq
        return self.order_multiple


@dataclass(frozen=True)
class QuantityVerdict:
    """What the rules say of an order: every rule it breaks (`errors`, empty if it may be placed)
    and, when it breaks one, the nearest orders they accept: `below` the largest with no line
    above what was asked, `above` the smallest with no line under it (None where there is none).
    An accepted order is its own nearest: `below` and `above` are the order itself."""

    errors: tuple[str, ...]
    below: dict[str, int] | None
    above: dict[str, int] | None
    # The nearest orders in words, `below` first ("5 sets", "Navy 6 + Black 6 (12 sets in all)").
    options: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def nearest(self) -> str:
        """The sentence offering the nearest orders ("" when accepted or when there is none)."""
        if self.ok or not self.options:
            return ""
        options = self.options[0] if len(self.options) == 1 else _("%(a)s or %(b)s") % {
            "a": self.options[0], "b": self.options[1]
        }  # fmt: skip
        return _("Nearest you can order: %(options)s.") % {"options": options}

    @property
    def messages(self) -> list[str]:
        """Every message a refusal shows: the broken rules, then the nearest orders."""
        return [*self.errors, *([self.nearest] if self.nearest else [])]


def quantity_errors(rules: QuantityRules, quantities: Mapping[str, int]) -> list[str]:
    """Messages for an order of `quantities` that breaks `rules`; empty if it may be placed."""
    ordered = {label: q for label, q in quantities.items() if q}
    if any(q < 0 for q in ordered.values()):
        return [_("Quantities cannot be negative.")]
    total = sum(ordered.values())
    if total == 0:
        return [_("Enter a quantity.")]
    errors: list[str] = []
    if set(quantities) == {""} and total < rules.moq:
        errors.append(
            _("The minimum order is %(moq)s (you entered %(q)s).")
            % {"moq": quantity_with_unit(rules.moq, rules.unit), "q": intcomma(total)}
        )
    elif set(quantities) != {""} and not rules.per_variant and total < rules.moq:
        errors.append(
            _("The minimum order is %(moq)s in total, mixed across the variants (you entered %(total)s).")
            % {"moq": quantity_with_unit(rules.moq, rules.unit), "total": intcomma(total)}
        )
    for label in ordered:
        errors.extend(line_errors(rules, quantities, label))
    return errors


def line_errors(rules: QuantityRules, quantities: Mapping[str, int], label: str) -> list[str]:
    """The rules the line `label` of an order breaks by itself, whatever the other lines hold:
    its size, its own minimum (per variant), its pack multiple. `quantity_errors` adds the MOQ of
    the whole order."""
    q = quantities[label]
    alone = set(quantities) == {""}
    errors: list[str] = []
    if q > MAX_LINE_QUANTITY:
        max_line = intcomma(MAX_LINE_QUANTITY)
        errors.append(
            _("More than one order can take (at most %(max)s).") % {"max": max_line}
            if alone
            else _("%(variant)s: more than one order can take (at most %(max)s).") % {"variant": label, "max": max_line}
        )
    minimum = rules.line_minimum(label, alone=True)
    if rules.per_variant and not alone and 0 < q < minimum:
        errors.append(
            _("%(variant)s: the minimum is %(min)s of this variant (you entered %(q)s).")
            % {"variant": label, "min": quantity_with_unit(minimum, rules.unit), "q": intcomma(q)}
        )
    if rules.order_multiple > 1 and q % rules.order_multiple:
        multiple = quantity_with_unit(rules.order_multiple, rules.unit)
        errors.append(
            _("Sold in multiples of %(m)s: %(q)s is not one.") % {"m": multiple, "q": intcomma(q)}
            if alone
            else _("%(variant)s: sold in multiples of %(m)s, %(q)s is not one.")
            % {"variant": label, "m": multiple, "q": intcomma(q)}
        )
    return errors


def quantity_verdict(
    rules: QuantityRules, quantities: Mapping[str, int], *, free: Collection[str] | None = None
) -> QuantityVerdict:
    """`quantities` judged by `rules`, with the nearest orders they accept that change only the
    lines in `free` (default: every line ordered); a line not ordered stays out of them. One
    function for every door (the listing's quantity grid, the cart, checkout, the API), so each
    refuses alike and offers the same way out."""
    errors = quantity_errors(rules, quantities)
    if not errors:
        return QuantityVerdict((), dict(quantities), dict(quantities))
    changing = [label for label, q in quantities.items() if q > 0 and (free is None or label in free)]
    if not changing or any(q < 0 for q in quantities.values()):
        return QuantityVerdict(tuple(errors), None, None)
    below, above = (_nearest(rules, quantities, changing, up=up) for up in (False, True))
    # A line that may not change can break a rule no change elsewhere mends: offer only what passes.
    below = below if below is not None and not quantity_errors(rules, below) else None
    above = above if above is not None and not quantity_errors(rules, above) else None
    options = tuple(order_in_words(rules, order, shown=changing) for order in (below, above) if order is not None)
    return QuantityVerdict(tuple(errors), below, above, options)


def _nearest(
    rules: QuantityRules, quantities: Mapping[str, int], changing: list[str], *, up: bool
) -> dict[str, int] | None:
    """The nearest order the rules accept at or above (`up`) or at or below what was asked,
    changing only the lines `changing` (all ordered, none dropped); None where there is none."""
    step = rules.order_multiple
    single = set(quantities) == {""}  # a listing without variants: its one line holds the MOQ
    alone = single or rules.per_variant
    order = dict(quantities)
    for label in changing:
        asked = min(quantities[label], MAX_LINE_QUANTITY)
        least = rules.moq if single else rules.line_minimum(label, alone=alone)
        if up and quantities[label] > MAX_LINE_QUANTITY:
            return None  # nothing above what one line holds
        if up:
            order[label] = max(-(-asked // step) * step, -(-least // step) * step)
        else:
            order[label] = asked // step * step
            if order[label] < max(least, 1):
                return None
    if not alone:
        short = rules.moq - sum(order.values())
        if short > 0:
            if not up:
                return None
            # The whole shortfall, in packs, goes to the line the buyer asked most of.
            order[max(changing, key=lambda label: quantities[label])] += -(-short // step) * step
    if any(q > MAX_LINE_QUANTITY for q in order.values()):
        return None
    return order


def order_in_words(rules: QuantityRules, order: Mapping[str, int], *, shown: Collection[str] | None = None) -> str:
    """An order in words: "5 sets"; "6 sets of Navy"; "Navy 6 + Black 6 (12 sets in all)", naming
    the lines in `shown` (default: every line ordered) and the whole order's total."""
    total = sum(order.values())
    if set(order) == {""}:
        return quantity_with_unit(total, rules.unit)
    shown = [label for label, q in order.items() if q and (shown is None or label in shown)]
    if len(shown) == 1 and order[shown[0]] == total:
        return _("%(count)s of %(variant)s") % {"count": quantity_with_unit(total, rules.unit), "variant": shown[0]}
    lines = " + ".join(f"{label} {intcomma(order[label])}" for label in shown)
    return _("%(lines)s (%(count)s in all)") % {"lines": lines, "count": quantity_with_unit(total, rules.unit)}


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
