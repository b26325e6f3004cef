"""What the generator decides about a supplier before making its listings: its state (a mix of
statuses and certification levels), its leaves, sites and SKU prefix; and the quantity helpers
both halves share."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

# Every generated supplier's slug starts with this, so a second run can tell its data is there.
GENERATED_SLUG_PREFIX = "gen-"

# What share of generated suppliers is in which state; listings of the last five are not public.
SUPPLIER_STATES = (
    ("verified", 0.38),
    ("certified_origin", 0.30),
    ("audited_factory", 0.15),
    ("expired", 0.03),  # certified, but the certification ran out
    ("suspended", 0.03),
    ("under_verification", 0.05),
    ("info_requested", 0.02),
    ("rejected", 0.02),
    ("draft", 0.02),
)
PUBLIC_STATES = ("verified", "certified_origin", "audited_factory")
LAPSED_STATES = ("expired", "suspended")  # had published listings, no longer shown


NICE = (1, 2, 3, 5)


def nice_at_least(q: float) -> int:
    """The smallest of 1, 2, 3, 5, 10, 20, 30, 50, 100… that is at least `q`."""
    if q <= 1:
        return 1
    power = 10 ** math.floor(math.log10(q))
    for step in (*NICE, 10):
        if step * power >= q:
            return step * power
    return 10 * power


def round_up(q: int, multiple: int) -> int:
    return -(-q // multiple) * multiple


@dataclass
class SupplierPlan:
    """What listing generation needs to know of one supplier."""

    id: int
    state: str
    leaves: dict[str, float]
    sites: list[tuple[int, str, str]]  # (id, city en, city zh)
    sku_prefix: str
    currency_usd: float

    def __post_init__(self) -> None:
        self.leaf_slugs = list(self.leaves)
        self.leaf_cum = list(itertools.accumulate(self.leaves.values()))
