"""Facet counts in one query: exact over a small text's matches, otherwise estimated from a sample."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter.
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections

from .filters import (
    FACETS,
    PRICE_SENTINEL,
    ListingFilters,
    _and,
    _facet_conditions,
    _matches_source,
    _other_conditions,
    _public,
    _Where,
)
from .text import TextQuery

FACET_LIMIT = 5000
FACET_SAMPLE_ROWS = 4_000
HEAD_VALUES = 64
# The share of the table's pages to read for about %s rows, computed in SQL from the planner's row
# count, and the fixed sample of pages it reads (the same pages each time: REPEATABLE).
SAMPLE_PERCENT = (
    "(SELECT least(100, greatest(0.01, 100.0 * %s / greatest(reltuples, 1)))::real "
    "FROM pg_class WHERE oid = 'catalog_listing'::regclass)"
)
SAMPLE_SOURCE = f"catalog_listing AS l TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) REPEATABLE (7)"


@dataclass
class Facets:
    """Counts per facet value under the other active filters; `exact` False when estimated."""

    total: int = 0
    exact: bool = True
    matched: int = 0  # text matches before filters (capped), to choose the strategy
    belt: dict[int, int] = field(default_factory=dict)
    category: dict[int, int] = field(default_factory=dict)
    level: dict[int, int] = field(default_factory=dict)  # rank → listings at exactly that rank
    province: dict[str, int] = field(default_factory=dict)
    sample: int = 0
    percent: float = 100.0  # of the table's pages counted
    # Estimated only: the smallest prices and MOQs (up to HEAD_VALUES) among the sampled listings
    # that pass every filter, and how many listings one sampled row stands for. A page sorted by
    # price or MOQ starts its first band where the sample says enough listings lie before.
    price_head: list[Decimal] = field(default_factory=list)
    moq_head: list[int] = field(default_factory=list)
    scale: float = 1.0


FACET_SQL = """
WITH base AS MATERIALIZED (
  SELECT l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available AS sample,
         coalesce(l.price_from, {sentinel}) AS price, l.moq,
         {fb} AS fb, {fc} AS fc, {fl} AS fl, {fp} AS fp, {fs} AS fs
    FROM {source}
   WHERE {where}
   {limit}
)
SELECT GROUPING(belt_id, category_id, level_rank, province, sample),
       belt_id, category_id, level_rank, province, sample,
       count(*) FILTER (WHERE fc AND fl AND fp AND fs),
       count(*) FILTER (WHERE fb AND fl AND fp AND fs),
       count(*) FILTER (WHERE fb AND fc AND fp AND fs),
       count(*) FILTER (WHERE fb AND fc AND fl AND fs),
       count(*) FILTER (WHERE fb AND fc AND fl AND fp),
       count(*) FILTER (WHERE fb AND fc AND fl AND fp AND fs),
       count(*),
       {percent},
       (array_agg(price ORDER BY price) FILTER (WHERE fb AND fc AND fl AND fp AND fs))[1:{head}],
       (array_agg(moq ORDER BY moq) FILTER (WHERE fb AND fc AND fl AND fp AND fs))[1:{head}]
  FROM base
 GROUP BY GROUPING SETS ((belt_id), (category_id), (level_rank), (province), (sample), ())
"""
_GROUPS = {15: "belt", 23: "category", 27: "level", 29: "province", 30: "sample", 31: "total"}


def facet_counts(text: TextQuery, filters: ListingFilters, *, using: str = "default") -> Facets:
    """Facet counts in one query: exact over the matches of a rare text, else estimated from a
    fixed sample of the table's pages (all of them in a table of up to FACET_SAMPLE_ROWS rows,
    where the "estimate" is exact)."""
    if text and (text.estimate is None or text.estimate <= FACET_LIMIT):
        matches = _matches_source(text, FACET_LIMIT + 1)
        facets = _facet_query(
            _Where(f"{matches.sql} AS l", matches.params), _public("l", matched=True), None, filters,
            limit=FACET_LIMIT + 1, using=using,
        )  # fmt: skip
        if facets.matched <= FACET_LIMIT:
            return facets
    percent = SAMPLE_PERCENT
    sampled = _Where(SAMPLE_SOURCE, [FACET_SAMPLE_ROWS])
    text_where = None
    if text:
        tsquery, params = text.sql()
        # Not the GIN index (a bitmap over a common word's postings costs more than the sample).
        text_where = _Where(f"coalesce(l.search_vector, '') @@ {tsquery}", params)
    estimate = _facet_query(
        sampled,
        _public("l"),
        text_where,
        filters,
        limit=None,
        using=using,
        percent=_Where(percent, [FACET_SAMPLE_ROWS]),
    )
    scale = 100.0 / estimate.percent
    exact = estimate.percent >= 100

    def scaled(counts: dict) -> dict:
        return {key: round(n * scale) for key, n in counts.items()}

    return Facets(
        price_head=estimate.price_head,
        moq_head=estimate.moq_head,
        scale=scale,
        total=round(estimate.total * scale),
        exact=exact,
        matched=round(estimate.matched * scale),
        belt=scaled(estimate.belt),
        category=scaled(estimate.category),
        level=scaled(estimate.level),
        province=scaled(estimate.province),
        sample=round(estimate.sample * scale),
    )


def _facet_query(
    source: _Where,
    public: _Where,
    text_where: _Where | None,
    filters: ListingFilters,
    *,
    limit: int | None,
    using: str,
    percent: _Where | None = None,
) -> Facets:
    flags = _facet_conditions(filters, "l")
    flag_sql = {name: (cond.sql if cond else "TRUE") for name, cond in flags.items()}
    flag_params = [x for name in FACETS if (cond := flags[name]) for x in cond.params]
    where = _and([public, *([text_where] if text_where else []), *_other_conditions(filters, "l")])
    sql = FACET_SQL.format(
        fb=flag_sql["belt"],
        fc=flag_sql["category"],
        fl=flag_sql["level"],
        fp=flag_sql["province"],
        fs=flag_sql["sample"],
        source=source.sql,
        where=where.sql,
        limit="LIMIT %s" if limit else "",
        percent=percent.sql if percent else "100",
        sentinel=PRICE_SENTINEL,
        head=HEAD_VALUES,
    )
    params = [
        *flag_params, *source.params, *where.params, *([limit] if limit else []), *(percent.params if percent else [])
    ]  # fmt: skip
    facets = Facets()
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, belt, category, level, province, sample, *counts, prices, moqs in cursor.fetchall():
            n_belt, n_category, n_level, n_province, n_sample, n_all, n_base, facets.percent = counts
            group = _GROUPS[grouping]
            if group == "total":
                facets.total, facets.matched = n_all, n_base
                facets.price_head, facets.moq_head = prices or [], moqs or []
            elif group == "belt" and belt is not None and n_belt:
                facets.belt[belt] = n_belt
            elif group == "category" and n_category:
                facets.category[category] = n_category
            elif group == "level" and n_level:
                facets.level[level] = n_level
            elif group == "province" and province and n_province:
                facets.province[province] = n_province
            elif group == "sample" and sample:
                facets.sample = n_sample
    return facets
