"""The WHERE pieces every search query shares: the public condition, the filters, the matches source."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from suppliers.levels import LEVEL_RANK

from ..querysets import HS_PREFIX_SQL, hs_prefix_params
from .tables import BELT_TABLE, CATEGORY_TABLE, SUPPLIER_TABLE
from .text import TextQuery

PRICE_SENTINEL = "9999999999.99"  # listings without a price sort last (numeric(12,2) maximum)


@dataclass(frozen=True)
class ListingFilters:
    """What a buyer narrowed the list to. Slugs are matched in SQL: an unknown one matches nothing."""

    belt: str = ""
    category: str = ""  # includes its sub-categories
    level: str = ""  # at least this certification level
    province: str = ""
    moq_max: int | None = None
    quantity: int | None = None  # listings orderable at this quantity; prices at its tier
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = ""
    sample: bool = False
    origin: bool = False  # only listings that carry the certified-origin mark
    hs: str = ""  # effective HS code starts with these digits (chapter, heading, subheading…)
    origin_country: str = ""  # ISO 3166-1 alpha-2
    market: str = ""  # an export market (ISO 3166-1 alpha-2) the listing names
    certificate: str = ""  # holds a valid certificate for export of this kind (catalog.tradedata)


FACETS = ("belt", "category", "level", "province", "sample")


@dataclass(frozen=True)
class _Where:
    sql: str
    params: list[Any]
    # The planner cannot estimate this piece (an array computed when the query runs) and takes it for
    # common: a page read through the filters' indexes turns sequential scans off for it.
    bitmap: bool = False
    # The same condition as a page read through the filters' indexes writes it, when that differs:
    # ids as an array (one bitmap of the primary key) rather than `IN (subquery)` (a hashed check,
    # the right form for a walk that tests a few thousand rows one by one).
    bitmap_sql: str = ""


def _public(alias: str, *, matched: bool = False) -> _Where:
    # is_public is kept by triggers; a certification that lapsed since the last write changes no
    # row, so suppliers past their date are left out here (a small hashed list).
    lapsed = (
        f"{alias}.supplier_id NOT IN "  # nosec B608
        f"(SELECT id FROM {SUPPLIER_TABLE} WHERE status = 'certified' AND certified_until < %s)"
    )
    sql = lapsed if matched else f"{alias}.is_public AND {lapsed}"
    return _Where(sql, [timezone.localdate()])


def _facet_conditions(f: ListingFilters, alias: str) -> dict[str, _Where | None]:
    """Each facet's condition, or None when that facet is not narrowed."""
    return {
        "belt": _Where(f"{alias}.belt_id = (SELECT id FROM {BELT_TABLE} WHERE slug = %s)", [f.belt])  # nosec B608
        if f.belt
        else None,
        "category": _Where(
            f"{alias}.category_id IN (WITH RECURSIVE tree AS (SELECT id FROM {CATEGORY_TABLE} WHERE slug = %s "  # nosec B608
            f"UNION SELECT c.id FROM {CATEGORY_TABLE} c JOIN tree ON c.parent_id = tree.id) SELECT id FROM tree)",
            [f.category],
        )
        if f.category
        else None,
        "level": _Where(f"{alias}.level_rank >= %s", [LEVEL_RANK[f.level]]) if f.level else None,
        "province": _Where(f"{alias}.province = %s", [f.province]) if f.province else None,
        "sample": _Where(f"{alias}.sample_available", []) if f.sample else None,
    }


def _other_conditions(f: ListingFilters, alias: str) -> list[_Where]:
    """The filters that are not facets: MOQ, quantity, price, currency."""
    out: list[_Where] = []
    if f.moq_max is not None:
        out.append(_Where(f"{alias}.moq <= %s", [f.moq_max]))
    if f.quantity is not None:
        out.append(_Where(f"{alias}.moq <= %s", [f.quantity]))
    if f.origin:
        out.append(_Where(f"{alias}.origin_mark", []))
    out.extend(_trade_conditions(f, alias))
    if f.currency or f.price_min is not None or f.price_max is not None:
        out.append(_Where(f"{alias}.currency = %s", [f.currency or "CNY"]))
    if f.price_min is None and f.price_max is None:
        return out
    if f.quantity is None:
        price = f"{alias}.price_from"
        price_params: list[Any] = []
    else:
        # The unit price of the tier that applies at the quantity (rules.tier_for_quantity).
        price = (
            f"(SELECT t.unit_price FROM catalog_pricetier t WHERE t.listing_id = {alias}.id "  # nosec B608
            "AND t.min_quantity <= %s ORDER BY t.min_quantity DESC LIMIT 1)"
        )
        price_params = [f.quantity]
        if f.price_max is not None:  # tiers never rise, so the lowest price is a cheap first cut
            out.append(_Where(f"{alias}.price_from <= %s", [f.price_max]))
    if f.price_min is not None:
        out.append(_Where(f"{price} >= %s", [*price_params, f.price_min]))
    if f.price_max is not None:
        out.append(_Where(f"{price} <= %s", [*price_params, f.price_max]))
    return out


def _trade_conditions(f: ListingFilters, alias: str) -> list[_Where]:
    """The cross-border filters: each through an index of its own (catalog migration 0020) or, for
    an HS code a listing inherits, its category's index (the categories whose code matches are a
    few among hundreds, found by `belts_category_hs_code`)."""
    out: list[_Where] = []
    if f.hs:
        out.append(_Where(HS_PREFIX_SQL.format(a=alias), hs_prefix_params(f.hs), bitmap=True))
    if f.origin_country:
        out.append(_Where(f"{alias}.origin_country = %s", [f.origin_country]))
    if f.market:
        # `<> '{}'` names the partial index's predicate (listings that name no market are left out
        # of it, so it is never read just for `is_public`).
        out.append(
            _Where(
                f"{alias}.export_markets <> '{{}}' AND {alias}.export_markets @> ARRAY[%s]::varchar(2)[]", [f.market]
            )
        )
    if f.certificate:
        # Valid today: a checked document whose date has not passed (read now, as the page shows it).
        valid = (
            "SELECT c.listing_id FROM catalog_listingcertificate c "
            "WHERE c.kind = %s AND c.file_check = 'clean' AND c.valid_until >= %s"
        )
        out.append(
            _Where(
                f"{alias}.id IN ({valid})",  # nosec B608
                [f.certificate, timezone.localdate()],
                bitmap=True,
                bitmap_sql=f"{alias}.id = ANY(ARRAY({valid}))",  # nosec B608
            )
        )
    return out


def _and(parts: list[_Where]) -> _Where:
    if not parts:
        return _Where("TRUE", [])
    return _Where(" AND ".join(f"({p.sql})" for p in parts), [x for p in parts for x in p.params])


def _matches_source(text: TextQuery, cap: int, *, with_rank: bool = False) -> _Where:
    """The public listings matching `text` (at most `cap`), as a row source (SQL functions of
    migrations catalog 0015 and 0018: through the names' index for a query in titles or names)."""
    tsquery, params = text.sql()
    if text.in_names:
        bare, bare_params = text.sql(anywhere=True)
        return _Where(
            f"catalog_listing_matches_names({bare}, {tsquery}, %s, %s)", [*bare_params, *params, cap, with_rank]
        )
    return _Where(f"catalog_listing_matches({tsquery}, %s, %s)", [*params, cap, with_rank])
