"""A listing's quantities as a buyer orders them: the tier they reach, the amount, and what the
wholesale rules (`catalog.rules.quantity_verdict`) say of them, with the nearest orders they accept.

The listing page's quantity grid, the cart, checkout and the ordering API all ask here, so a rule
refuses alike, in the same words, everywhere.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext as _

from marketplace.numbers import QuantityField

from . import rules

if TYPE_CHECKING:
    from .models import Listing, ListingVariant, PriceTier

VariantKey = int | None  # a variant's id; None for a listing without variants


def quantity_field_name(key: VariantKey) -> str:
    """The grid's field for a variant (`q-<id>`) or for a listing without variants (`quantity`)."""
    return "quantity" if key is None else f"q-{key}"


@dataclass(frozen=True)
class NearestOrder:
    """An order the rules accept, offered instead of one they refuse: in words, and as the query
    string that fills the listing page's grid with it."""

    text: str
    query: str


@dataclass(frozen=True)
class QuantityCheck:
    """What a buyer's quantities come to: the tier reached, the amount, the broken rules and the
    nearest orders the rules accept (`below` and `above`, keyed like the quantities)."""

    lines: list[tuple["ListingVariant | None", int]]
    total: int
    tier: "PriceTier | None"
    errors: list[str] = field(default_factory=list)
    nearest: str = ""  # the sentence offering `options` ("Nearest you can order: 5 sets or 10 sets.")
    options: list[NearestOrder] = field(default_factory=list)
    below: dict[VariantKey, int] | None = None
    above: dict[VariantKey, int] | None = None
    in_words: str = ""  # the order in words ("Navy 6 + Black 6 (12 sets in all)")
    # The rules each ordered line breaks by itself (its pack multiple, its own minimum, its size).
    line_errors: dict[VariantKey, list[str]] = field(default_factory=dict)

    @property
    def amount(self) -> Decimal | None:
        return self.tier.unit_price * self.total if self.tier is not None else None

    @property
    def ok(self) -> bool:
        return not self.errors and self.tier is not None

    @property
    def messages(self) -> list[str]:
        """What a refusal says: every broken rule, then the nearest orders."""
        return [*self.errors, *([self.nearest] if self.nearest else [])]


def listing_quantity_check(
    listing: "Listing", quantities: Mapping[VariantKey, int], *, free: Collection[VariantKey] | None = None
) -> QuantityCheck:
    """`quantities` (variant id → quantity; None for a listing without variants) of `listing`,
    judged by its rules and priced by its tiers. The nearest orders change only the lines in `free`
    (default: every line ordered). Reads the prefetched tiers and variants; no query of its own."""
    variants = list(listing.variants.all())
    labelled: dict[str, int] = {}
    keys: dict[str, VariantKey] = {}
    variant_moqs: dict[str, int | None] = {}
    lines: list[tuple[ListingVariant | None, int]] = []
    if variants:
        for variant in variants:
            label = str(variant) or f"#{variant.position + 1}"
            while label in labelled:  # two variants that read alike still count apart
                label += "\u2032"
            quantity = quantities.get(variant.pk) or 0
            labelled[label], keys[label], variant_moqs[label] = quantity, variant.pk, variant.moq
            lines.append((variant, quantity))
    else:
        labelled[""], keys[""] = quantities.get(None) or 0, None
        lines.append((None, labelled[""]))
    total = sum(labelled.values())
    listing_rules = rules.QuantityRules(
        moq=listing.moq,
        order_multiple=listing.order_multiple,
        per_variant=listing.per_variant_moq and bool(variants),
        variant_moqs=variant_moqs,
        unit=listing.unit,
    )
    verdict = rules.quantity_verdict(
        listing_rules,
        labelled,
        free=None if free is None else [label for label, key in keys.items() if key in free],
    )
    changing = set(keys.values()) if free is None else set(free)

    def by_key(order: Mapping[str, int] | None) -> dict[VariantKey, int] | None:
        return None if order is None else {keys[label]: q for label, q in order.items()}

    below, above = by_key(verdict.below), by_key(verdict.above)
    offered = [order for order in (below, above) if order is not None] if verdict.errors else []
    options = [
        NearestOrder(
            text=text,
            query=urlencode({quantity_field_name(key): q for key, q in order.items() if q and key in changing}),
        )
        for text, order in zip(verdict.options, offered, strict=True)
    ]
    tier = rules.tier_for_quantity(listing.tiers.all(), total) if total > 0 else None
    return QuantityCheck(
        lines=lines,
        total=total,
        tier=tier,
        errors=list(verdict.errors),
        nearest=verdict.nearest,
        options=options,
        below=below,
        above=above,
        in_words=rules.order_in_words(listing_rules, labelled) if total > 0 else "",
        line_errors={
            keys[label]: errors
            for label, q in labelled.items()
            if q and (errors := rules.line_errors(listing_rules, labelled, label))
        },
    )


class QuantityGridForm(forms.Form):
    """The listing page's quantity grid, which is also its add-to-cart form: one field per variant
    (`q-<id>`), or `quantity` for a listing without variants, each read by
    `marketplace.numbers.parse_quantity` ("2,000", "２０００"). Shown back exactly as typed.

    A listing without variants starts at its MOQ when nothing was sent (`start_at_moq`)."""

    def __init__(
        self, listing: "Listing", data: Mapping[str, Any] | None = None, *, start_at_moq: bool = False
    ) -> None:
        self.listing = listing
        self.variants = list(listing.variants.all())
        keys: list[VariantKey] = [v.pk for v in self.variants] or [None]
        self.keys: dict[str, VariantKey] = {quantity_field_name(key): key for key in keys}
        sent = {name: str(data.get(name) or "") for name in self.keys if data and name in data}
        if start_at_moq and not self.variants and "quantity" not in sent:
            sent["quantity"] = str(listing.moq)
        super().__init__(data=sent)
        labels = {v.pk: str(v) for v in self.variants}
        for name, key in self.keys.items():
            self.fields[name] = QuantityField(
                max_value=rules.MAX_LINE_QUANTITY,
                required=False,
                label=labels[key] if key is not None else _("Quantity"),
            )

    @property
    def rows(self) -> list[tuple["ListingVariant | None", forms.BoundField]]:
        """(variant, its field) in the listing's order; (None, the field) without variants."""
        variants: list[ListingVariant | None] = list(self.variants) or [None]
        return [(variant, self[name]) for variant, name in zip(variants, self.keys, strict=True)]

    def typed(self) -> dict[VariantKey, int]:
        """The quantities typed and readable (0 included: "none of this one"); empty fields left out."""
        self.is_valid()
        return {
            key: self.cleaned_data[name]
            for name, key in self.keys.items()
            if name not in self.errors and self.cleaned_data.get(name) is not None
        }

    def typed_text(self) -> dict[str, str]:
        """What was typed in each field that is not empty, as typed (to send it back to the page)."""
        return {name: value for name, value in self.data.items() if value.strip()}

    def problems(self) -> list[str]:
        """Each field that could not be read, with why: "Navy: “abc” is not a number: …"."""
        self.is_valid()
        return [
            f"{self.fields[name].label}: {error}" if self.variants else str(error)
            for name in self.keys
            for error in self.errors.get(name, [])
        ]

    def check(self, *, free: Collection[VariantKey] | None = None) -> QuantityCheck:
        """The typed quantities (an unreadable field counts as empty) judged and priced."""
        return listing_quantity_check(self.listing, self.typed(), free=free)
