"""The regional-brand mark a listing carries, decided from the current facts (like suppliers.badges).

A listing shows its belt's regional brand (or the geographical indication) exactly when:

- its supplier is certified today (its public badge: status certified, a public level, not past
  `certified_until`), and
- the supplier holds a licence that is granted (not revoked), valid today (`valid_from` ≤ today ≤
  `valid_until`), granted in the supplier's current belt, and whose scope holds the listing's
  category or that category's parent.

Nothing is stored: the rule is read in the same query as the listings (`brand_mark_subquery`, a
subquery per listing row, served by the licence's (supplier, status, valid_until) index), so a
grant, renewal, revocation, certification change or the day passing shows on the very next
request. `brand_mark` is the same rule in Python, over facts read separately: the property test
holds the two to each other on every page that shows the mark.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse

from marketplace.i18n import current_language_suffix

from .levels import PUBLIC_LEVELS


@dataclass(frozen=True)
class BrandMark:
    """What a page shows: the mark's name in both languages and the licence behind it."""

    number: str
    mark_en: str
    mark_zh: str

    @classmethod
    def from_row(cls, row: dict[str, Any] | None) -> "BrandMark | None":
        if not row:
            return None
        return cls(number=str(row["number"]), mark_en=str(row["en"]), mark_zh=str(row["zh"]))

    @property
    def name(self) -> str:
        """The mark in the active language (the other one when empty)."""
        chosen = self.mark_zh if current_language_suffix() == "zh" else self.mark_en
        return chosen or self.mark_en or self.mark_zh

    @property
    def verify_url(self) -> str:
        return reverse("suppliers:verify_licence", args=[self.number])


@dataclass(frozen=True)
class HolderFacts:
    status: str
    level: str
    certified_until: datetime.date | None
    belt_id: int | None


@dataclass(frozen=True)
class LicenceFacts:
    number: str
    status: str
    belt_id: int
    valid_from: datetime.date
    valid_until: datetime.date
    category_ids: frozenset[int]
    mark_en: str
    mark_zh: str


def holder_is_certified(holder: HolderFacts, today: datetime.date) -> bool:
    """The supplier's public badge holds today (as `SupplierQuerySet.certified`)."""
    return (
        holder.status == "certified"
        and holder.level in PUBLIC_LEVELS
        and (holder.certified_until is None or holder.certified_until >= today)
    )


def brand_mark(
    holder: HolderFacts,
    licences: Iterable[LicenceFacts],
    *,
    category_id: int,
    parent_id: int | None,
    today: datetime.date,
) -> BrandMark | None:
    """The mark a listing of `holder` in `category_id` (under `parent_id`) shows today, or None.
    With two licences covering it (a regional brand and a geographical indication), the one that
    runs longest (then the lower number), as `brand_mark_subquery` orders them."""
    if not holder_is_certified(holder, today):
        return None
    covering = [
        licence
        for licence in licences
        if licence.status == "active"
        and licence.belt_id == holder.belt_id
        and licence.valid_from <= today <= licence.valid_until
        and (category_id in licence.category_ids or (parent_id is not None and parent_id in licence.category_ids))
    ]
    if not covering:
        return None
    best = min(covering, key=lambda licence: (-licence.valid_until.toordinal(), licence.number))
    return BrandMark(number=best.number, mark_en=best.mark_en, mark_zh=best.mark_zh)


def brand_mark_subquery(
    *,
    today: datetime.date,
    supplier: str = "supplier_id",
    category: str = "category_id",
    parent: str = "category__parent_id",
) -> Subquery:
    """Over a listing row: the mark it shows today as {"number", "en", "zh"} (or NULL). The outer
    query names its supplier, category and category's parent columns. Read it back with
    `BrandMark.from_row`."""
    from .models import BrandLicence

    licences = (
        BrandLicence.objects.filter(
            supplier_id=OuterRef(supplier),
            status=BrandLicence.Status.ACTIVE,
            valid_from__lte=today,
            valid_until__gte=today,
            belt_id=F("supplier__belt_id"),
            supplier__status="certified",
            supplier__certification_level__in=PUBLIC_LEVELS,
        )
        .filter(Q(supplier__certified_until__isnull=True) | Q(supplier__certified_until__gte=today))
        .filter(Q(categories=OuterRef(category)) | Q(categories=OuterRef(parent)))
        .order_by("-valid_until", "number")
        .annotate(shown_mark=JSONObject(number=F("number"), en=F("mark_en"), zh=F("mark_zh")))
        .values("shown_mark")[:1]
    )
    return Subquery(licences, output_field=JSONField())


def licence_mark_shown(licence: Any, today: datetime.date | None = None) -> bool:
    """Whether the licence lets its holder's listings in scope carry the mark today: valid, granted
    in the holder's current belt, and the holder certified (the public check says so)."""
    from django.utils import timezone

    day = today or timezone.localdate()
    supplier = licence.supplier
    holder = HolderFacts(supplier.status, supplier.certification_level, supplier.certified_until, supplier.belt_id)
    return licence.standing(day) == "valid" and licence.belt_id == supplier.belt_id and holder_is_certified(holder, day)
