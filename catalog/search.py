"""Listing search, filters, facets and keyset pages that stay fast at a million listings.

Everything here reads the denormalised columns of `catalog_listing` that the triggers of
migration 0005 keep true (is_public, belt_id, province, level_rank, price_from, search_vector), so
every query is one table and one index before its LIMIT.

Text. English words go through `plainto_tsquery('english', …)`; Chinese runs become the same
overlapping bigrams the index holds (`cjk_tokens`, the twin of SQL `catalog_cjk_bigrams`), ANDed;
a one-character run matches the single characters indexed for titles and supplier names.
An English word that no public listing or supplier name contains is corrected against the
vocabulary table `catalog_searchword` with pg_trgm (`%`, GIN trigram index): the nearest words by
a typo distance (sound-alike letters cost half), and when several words are corrected, the best
combination that finds something. The page says "Showing results for …".

Bounded work (what a common word costs). At a million listings a GIN bitmap over a common word's
postings costs 90-180 ms before the first row (200k TIDs, then sorting the page table), so a common
word never goes through the GIN index:

- How common each term is comes from PostgreSQL's own statistics of the vector column
  (`pg_stats.most_common_elems`; migration 0005 raises its statistics target to 1000, so ANALYZE
  keeps every lexeme in more than ~0.1 % of listings). The rarest term bounds the matches
  (`TextQuery.estimate`), read in the same query as the spelling check. Without statistics (a
  small new table) the matches are counted through `catalog_listing_matches` instead.
- Small (estimate at most RANK_LIMIT): `catalog_listing_matches(q, cap)`, a SQL function that may
  only use the GIN index and stops at `cap` rows, feeds the facets (exact) and the page; relevance
  is `ts_rank` with the field weights (A title, B category/supplier/belt, C description,
  D specifications) times 1 + 5 % per certification level of the supplier, keyset-paged on
  (rank, id) over every match.
- Common (more): ranking every match would read every match's vector, so relevance falls back to
  a precomputed quality order (certification level, then newest; `listing_public_quality_idx`)
  and every sort walks its partial index checking the match row by row (`_walk_page`: the
  planner is told not to sort or bitmap, as it underestimates ANDs of correlated words). At a
  density of at least RANK_LIMIT / table size a page reads a few thousand rows.
- Facets are counted in one query (GROUPING SETS, one FILTER per facet: each facet counts under
  the other active filters): exact over the matches of a small text; otherwise estimated from a
  fixed sample of the table's pages (TABLESAMPLE SYSTEM … REPEATABLE, about FACET_SAMPLE_ROWS
  rows; the whole table while it has fewer, where the "estimate" is exact) and shown as "≈".
- Known risk: a sort whose order is correlated with a common word's absence (cheapest first,
  where the word is on expensive machines) walks far; the belt + price/MOQ partial indexes cover
  the usual case of a belt filter.

Pages are keyset (cursor) pages in every sort, so page 500 costs what page 1 costs; the cursor
is signed and opaque and remembers the strategy it was made with.
"""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608, S611
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import connections, transaction
from django.db.models import BooleanField, Case, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.expressions import OrderBy, RawSQL
from django.utils import timezone

from belts.models import Belt, Category
from suppliers.levels import LEVEL_RANK, PUBLIC_LEVELS, public_levels_sql
from suppliers.models import ProductionSite, Supplier

from .models import Listing

RANK_LIMIT = 5000
FACET_LIMIT = 5000
FACET_SAMPLE_ROWS = 4_000
MAX_WORDS = 8
MAX_CJK_TOKENS = 24
PRICE_SENTINEL = "9999999999.99"  # listings without a price sort last (numeric(12,2) maximum)
CURSOR_SALT = "catalog.search.cursor"

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+")

# Letters people swap by sound: substituting one for the other costs half an edit.
SOUND_ALIKE = {frozenset(p) for p in ("sz", "ck", "cs", "iy", "fv", "ae", "ou")}


# The lower apps' tables the search's SQL reads (the catalog sits above them; they never read it).
SUPPLIER_TABLE = Supplier._meta.db_table
SITE_TABLE = ProductionSite._meta.db_table
BELT_TABLE = Belt._meta.db_table
CATEGORY_TABLE = Category._meta.db_table


class InvalidCursor(ValueError):
    """The cursor was not made by us, or for another sort."""


# --- text --------------------------------------------------------------------------------------


def cjk_tokens(text: str) -> list[str]:
    """The bigrams of each CJK run (a one-character run as itself), as SQL catalog_cjk_bigrams."""
    tokens: list[str] = []
    for run in CJK_RUN.findall(text):
        tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return list(dict.fromkeys(tokens))


def latin_words(text: str) -> list[str]:
    """Lower-case ASCII words and numbers outside CJK runs, accents dropped, in order, once each."""
    plain = unicodedata.normalize("NFKD", CJK_RUN.sub(" ", text.lower()))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return list(dict.fromkeys(LATIN_WORD.findall(plain)))


def _cjk_tsquery(tokens: tuple[str, ...]) -> str:
    # Tokens are CJK characters only (no quotes or operators). A lone character matches the
    # single characters indexed for titles and names (catalog_cjk_chars).
    return " & ".join(f"'{t}'" for t in tokens)


@dataclass(frozen=True)
class TextQuery:
    """A parsed search: English words (after correction) and Chinese bigrams, all required."""

    typed: str = ""
    words: tuple[str, ...] = ()
    cjk: tuple[str, ...] = ()
    corrected: str = ""  # the query actually searched, when a word was corrected
    # At most how many listings match, from PostgreSQL's statistics of the vector column (the
    # rarest term's document count); None when there are no statistics (a small, new table).
    estimate: int | None = None

    def __bool__(self) -> bool:
        return bool(self.words or self.cjk)

    def sql(self) -> tuple[str, list[Any]]:
        """A tsquery expression and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.words:
            parts.append("plainto_tsquery('english', %s)")
            params.append(" ".join(self.words))
        if self.cjk:
            parts.append("%s::tsquery")
            params.append(_cjk_tsquery(self.cjk))
        return "(" + " && ".join(parts) + ")", params


def typo_distance(a: str, b: str) -> float:
    """Optimal-string-alignment distance; sound-alike substitutions (s/z, c/k…) cost 0.5."""
    rows = [[float(j) for j in range(len(b) + 1)]]
    for i in range(1, len(a) + 1):
        row = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                sub = 0.0
            elif frozenset((a[i - 1], b[j - 1])) in SOUND_ALIKE:
                sub = 0.5
            else:
                sub = 1.0
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _allowed_distance(word: str) -> float:
    return 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3


# One query per search: for each term its lexeme's document frequency from pg_stats (the most
# common elements ANALYZE keeps for the tsvector column: with statistics target 1000, every lexeme
# in more than about 0.1 % of listings), whether an English word is known (common, or a GIN
# lookup of a rare lexeme finds a listing or supplier) and, when it is not, spelling candidates.
WORD_INFO_SQL = """
WITH st AS MATERIALIZED (
  SELECT coalesce(s.most_common_elems::text::text[], '{}') AS elems,
         coalesce(s.most_common_elem_freqs, '{}') AS freqs
    FROM (SELECT 1) AS one
    LEFT JOIN pg_stats AS s
      ON s.schemaname = current_schema() AND s.tablename = 'catalog_listing' AND s.attname = 'search_vector'
), terms AS (
  SELECT t.token, t.kind, t.n,
         CASE WHEN t.kind = 'en' THEN plainto_tsquery('english', t.token) END AS q,
         CASE WHEN t.kind = 'en' THEN tsvector_to_array(to_tsvector('english', t.token))
              ELSE ARRAY[t.token] END AS lexemes
    FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(token, kind, n)
), rated AS (
  SELECT terms.*, (SELECT max(st.freqs[array_position(st.elems, e)]) FROM unnest(terms.lexemes) AS e) AS freq
    FROM terms, st
)
SELECT r.token, r.kind, cardinality(r.lexemes) = 0 AS stop, r.freq,
       CASE WHEN r.kind <> 'en' OR cardinality(r.lexemes) = 0 OR r.freq IS NOT NULL THEN true
            ELSE EXISTS (SELECT 1 FROM catalog_listing_matches(r.q, 1)) OR catalog_supplier_has_match(r.q)
                 OR EXISTS (SELECT 1 FROM {site} p WHERE catalog_products_vector(p.products) @@ r.q) END AS known,
       (SELECT st.freqs[cardinality(st.elems) + 1] FROM st) AS cutoff,
       (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'catalog_listing'::regclass) AS total
  FROM rated AS r
 ORDER BY r.n
"""

CANDIDATES_SQL = """
WITH st AS MATERIALIZED (
  SELECT coalesce(s.most_common_elems::text::text[], '{}') AS elems,
         coalesce(s.most_common_elem_freqs, '{}') AS freqs
    FROM (SELECT 1) AS one
    LEFT JOIN pg_stats AS s
      ON s.schemaname = current_schema() AND s.tablename = 'catalog_listing' AND s.attname = 'search_vector'
)
SELECT w.word, ARRAY(
         SELECT v.word || ':' || max(v.ndoc) || ':' || coalesce(
                  (SELECT max(st.freqs[array_position(st.elems, e)])
                     FROM unnest(tsvector_to_array(to_tsvector('english', v.word))) AS e), -1)
           FROM catalog_searchword v
          WHERE v.word %% w.word
          GROUP BY v.word ORDER BY similarity(v.word, w.word) DESC, max(v.ndoc) DESC LIMIT 10)
  FROM unnest(%s::text[]) AS w(word), st
"""


def parse_text(typed: str, *, using: str = "default") -> TextQuery:
    """Parse a typed query, estimate how common its terms are and spell-correct unknown English
    words: one query, plus one for spelling candidates and one to pick among several corrections."""
    typed = " ".join(typed.split())[:200]
    words = latin_words(typed)[:MAX_WORDS]
    cjk = tuple(cjk_tokens(typed)[:MAX_CJK_TOKENS])
    if not words and not cjk:
        return TextQuery(typed=typed)
    with connections[using].cursor() as cursor:
        sql = WORD_INFO_SQL.replace("{site}", SITE_TABLE)
        cursor.execute(sql, [[*words, *cjk], ["en"] * len(words) + ["zh"] * len(cjk)])
        info = cursor.fetchall()
    kept: list[str] = []
    unknown: list[str] = []
    documents: dict[str, float | None] = {}  # term → at most how many listings contain it (None: no statistics)
    for token, kind, stop, freq, known, cutoff, total in info:
        if stop:
            continue
        documents[token] = None if cutoff is None else (freq if freq is not None else cutoff) * total
        if kind == "en":
            kept.append(token)
            if not known and re.fullmatch(r"[a-z]{3,40}", token):
                unknown.append(token)
    statistics = (info[0][5], info[0][6]) if info and info[0][5] is not None else None

    def estimate(terms: list[str]) -> int | None:
        counts = [documents.get(t) for t in terms]
        return None if not counts or None in counts else round(min(c for c in counts if c is not None))

    text = TextQuery(typed=typed, words=tuple(kept), cjk=cjk, estimate=estimate([*kept, *cjk]))
    if not unknown:
        return text
    with connections[using].cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, [unknown])
        candidates = dict(cursor.fetchall())
    options: dict[int, list[tuple[str, float, int]]] = {}
    for position, word in enumerate(kept):
        ranked = _rank_corrections(word, candidates.get(word) or [])
        if ranked:
            options[position] = [(c, d, n) for c, d, n, _ in ranked]
            for candidate, _, _, freq in ranked:
                if statistics is not None:
                    cutoff, total = statistics
                    documents[candidate] = (freq if freq >= 0 else cutoff) * total
    if not options:
        return text
    combos = _combinations(kept, options)
    chosen = combos[0]
    if len(combos) > 1:
        # Words common enough to meet by chance (independence: total × Π frequency ≥ 20) surely
        # do; only combinations with a rare word are checked, through the GIN index (cheap for
        # a rare word, not for a common one).
        def likely(combo: tuple[str, ...]) -> bool:
            if statistics is None:
                return False
            share = 1.0
            for term in [*combo, *cjk]:
                count = documents.get(term)
                if count is None:
                    return False
                share *= count / max(statistics[1], 1)
            return share * statistics[1] >= 20

        first_likely = next((i for i, combo in enumerate(combos) if likely(combo)), len(combos))
        checked = combos[:first_likely]
        found = _first_with_matches(checked, cjk, using=using) if checked else None
        if found is not None:
            chosen = combos[found]
        elif first_likely < len(combos):
            chosen = combos[first_likely]
    corrected = typed
    for before, after in zip(kept, chosen, strict=True):
        if before != after:
            corrected = re.sub(rf"(?i)(?<![a-z0-9]){re.escape(before)}(?![a-z0-9])", after, corrected)
    return TextQuery(typed=typed, words=tuple(chosen), cjk=cjk, corrected=corrected, estimate=estimate([*chosen, *cjk]))


def _rank_corrections(word: str, candidates: list[str]) -> list[tuple[str, float, int, float]]:
    """Candidates within the allowed distance: (word, distance, documents, frequency), nearest first."""
    scored = []
    for order, entry in enumerate(candidates):
        candidate, ndoc, freq = entry.split(":")
        distance = typo_distance(word, candidate)
        if 0 < distance <= _allowed_distance(word):
            scored.append((distance, -int(ndoc), order, candidate, float(freq)))
    scored.sort()
    return [(candidate, distance, -negative, freq) for distance, negative, _, candidate, freq in scored[:3]]


def _combinations(words: list[str], options: dict[int, list[tuple[str, float, int]]]) -> list[tuple[str, ...]]:
    """Corrected word lists, best first: least total distance, then most common words (≤ 9)."""
    positions = sorted(options)
    choices = [options[p][:3] if n < 2 else options[p][:1] for n, p in enumerate(positions)]
    combos = []
    for picked in itertools.product(*choices):
        corrected = list(words)
        for position, (candidate, _, _) in zip(positions, picked, strict=True):
            corrected[position] = candidate
        distance = sum(d for _, d, _ in picked)
        commonness = sum(math.log1p(n) for _, _, n in picked)
        combos.append((distance, -commonness, tuple(corrected)))
    combos.sort()
    return [c for _, _, c in combos[:9]]


def _first_with_matches(combos: list[tuple[str, ...]], cjk: tuple[str, ...], *, using: str) -> int | None:
    """The index of the first word list that finds a public listing (None when none does)."""
    cjk_sql, cjk_params = ("", [])
    if cjk:
        cjk_sql, cjk_params = " && %s::tsquery", [_cjk_tsquery(cjk)]
    sql = (
        "SELECT c.n FROM unnest(%s::text[]) WITH ORDINALITY AS c(t, n) "
        f"WHERE EXISTS (SELECT 1 FROM catalog_listing_matches(plainto_tsquery('english', c.t){cjk_sql}, 1))"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [[" ".join(c) for c in combos], *cjk_params])
        found = [n for (n,) in cursor.fetchall()]
    return min(found) - 1 if found else None


# --- filters -----------------------------------------------------------------------------------


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


FACETS = ("belt", "category", "level", "province", "sample")


@dataclass(frozen=True)
class _Where:
    sql: str
    params: list[Any]


def _public(alias: str, *, matched: bool = False) -> _Where:
    # is_public is kept by triggers; a certification that lapsed since the last write changes no
    # row, so suppliers past their date are left out here (a small hashed list).
    lapsed = (
        f"{alias}.supplier_id NOT IN "
        f"(SELECT id FROM {SUPPLIER_TABLE} WHERE status = 'certified' AND certified_until < %s)"
    )
    sql = lapsed if matched else f"{alias}.is_public AND {lapsed}"
    return _Where(sql, [timezone.localdate()])


def _facet_conditions(f: ListingFilters, alias: str) -> dict[str, _Where | None]:
    """Each facet's condition, or None when that facet is not narrowed."""
    return {
        "belt": _Where(f"{alias}.belt_id = (SELECT id FROM {BELT_TABLE} WHERE slug = %s)", [f.belt])
        if f.belt
        else None,
        "category": _Where(
            f"{alias}.category_id IN (WITH RECURSIVE tree AS (SELECT id FROM {CATEGORY_TABLE} WHERE slug = %s "
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
            f"(SELECT t.unit_price FROM catalog_pricetier t WHERE t.listing_id = {alias}.id "
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


def _and(parts: list[_Where]) -> _Where:
    if not parts:
        return _Where("TRUE", [])
    return _Where(" AND ".join(f"({p.sql})" for p in parts), [x for p in parts for x in p.params])


def _matches_source(text: TextQuery, cap: int, *, with_rank: bool = False) -> _Where:
    tsquery, params = text.sql()
    return _Where(f"catalog_listing_matches({tsquery}, %s, %s)", [*params, cap, with_rank])


# --- probe -------------------------------------------------------------------------------------


def count_matches(text: TextQuery, *, cap: int = RANK_LIMIT + 1, using: str = "default") -> int:
    """Public listings matching `text`, counted up to `cap` through the GIN index only."""
    source = _matches_source(text, cap)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {source.sql} AS l", source.params)
        return cursor.fetchone()[0]


# --- facets ------------------------------------------------------------------------------------


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


FACET_SQL = """
WITH base AS MATERIALIZED (
  SELECT l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available AS sample,
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
       {percent}
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
    # The share of the table's pages to read, computed in SQL from the planner's row count.
    percent = (
        "(SELECT least(100, greatest(0.01, 100.0 * %s / greatest(reltuples, 1)))::real "
        "FROM pg_class WHERE oid = 'catalog_listing'::regclass)"
    )
    sampled = _Where(f"catalog_listing AS l TABLESAMPLE SYSTEM ({percent}) REPEATABLE (7)", [FACET_SAMPLE_ROWS])
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
    )
    params = [
        *flag_params, *source.params, *where.params, *([limit] if limit else []), *(percent.params if percent else [])
    ]  # fmt: skip
    facets = Facets()
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, belt, category, level, province, sample, *counts in cursor.fetchall():
            n_belt, n_category, n_level, n_province, n_sample, n_all, n_base, facets.percent = counts
            group = _GROUPS[grouping]
            if group == "total":
                facets.total, facets.matched = n_all, n_base
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


# --- pages -------------------------------------------------------------------------------------

SORTS = ("relevance", "price", "newest", "moq")

# strategy → ((SQL expression over alias `{a}`, descending), …); the last key is unique (id).
ORDERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "newest": (("{a}.created_at", True), ("{a}.id", True)),
    "quality": (("{a}.level_rank", True), ("{a}.created_at", True), ("{a}.id", True)),
    "price": ((f"coalesce({{a}}.price_from, {PRICE_SENTINEL})", False), ("{a}.id", False)),
    "moq": (("{a}.moq", False), ("{a}.id", False)),
    "rank": (("{a}.rank", True), ("{a}.id", False)),
}
KEY_TYPES: dict[str, tuple[type, ...]] = {
    "newest": (datetime, int),
    "quality": (int, datetime, int),
    "price": (Decimal, int),
    "moq": (int, int),
    "rank": (float, int),
}


@dataclass
class Page:
    """One keyset page: the listings in order, and cursors to the pages either side."""

    listings: list[Listing]
    next_cursor: str | None
    previous_cursor: str | None
    strategy: str


def _keys_of(strategy: str, row: Any) -> list[Any]:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if strategy == "newest":
        return [get("created_at"), get("id")]
    if strategy == "quality":
        return [get("level_rank"), get("created_at"), get("id")]
    if strategy == "price":
        price = get("price_from")
        return [price if price is not None else Decimal(PRICE_SENTINEL), get("id")]
    if strategy == "moq":
        return [get("moq"), get("id")]
    return [get("rank"), get("id")]


def encode_cursor(strategy: str, direction: str, keys: list[Any]) -> str:
    def dump(value: Any) -> str:
        if isinstance(value, datetime):
            return value.isoformat()
        return repr(value) if isinstance(value, float) else str(value)

    return signing.dumps({"s": strategy, "d": direction, "k": [dump(k) for k in keys]}, salt=CURSOR_SALT, compress=True)


def decode_cursor(cursor: str) -> tuple[str, str, list[Any]]:
    """(strategy, direction, keys) of a cursor we made; InvalidCursor otherwise."""
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        strategy, direction, raw = data["s"], data["d"], data["k"]
        types = KEY_TYPES[strategy]
        if direction not in ("next", "previous") or len(raw) != len(types):
            raise ValueError(direction)
        keys = [
            datetime.fromisoformat(v) if t is datetime else Decimal(v) if t is Decimal else t(v)
            for t, v in zip(types, raw, strict=True)
        ]
    except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise InvalidCursor(str(exc)) from exc
    return strategy, direction, keys


def _keyset(strategy: str, alias: str, keys: list[Any], *, forward: bool) -> _Where:
    """Rows after (forward) or before the keys in the strategy's order."""
    order = [(expr.format(a=alias), desc) for expr, desc in ORDERS[strategy]]
    if len({desc for _, desc in order}) == 1:  # one direction: a row comparison, which indexes serve
        smaller = order[0][1] == forward  # descending and forward: smaller keys come next
        exprs = ", ".join(e for e, _ in order)
        marks = ", ".join(["%s"] * len(keys))
        return _Where(f"({exprs}) {'<' if smaller else '>'} ({marks})", list(keys))
    (rank, _), (ident, _) = order  # rank DESC, id ASC
    if forward:
        return _Where(f"({rank} < %s OR ({rank} = %s AND {ident} > %s))", [keys[0], keys[0], keys[1]])
    return _Where(f"({rank} > %s OR ({rank} = %s AND {ident} < %s))", [keys[0], keys[0], keys[1]])


def _order(strategy: str, alias: str, *, forward: bool) -> list[tuple[str, bool]]:
    """(expression, descending) in the order rows are read (reversed when paging backwards)."""
    return [(expr.format(a=alias), desc == forward) for expr, desc in ORDERS[strategy]]


def choose_strategy(sort: str, text: TextQuery, matched: int | None) -> str:
    """The order a page is read in: the sort itself, or for relevance exact rank vs quality order."""
    if sort != "relevance":
        return sort
    if not text:
        return "newest"
    return "rank" if matched is not None and matched <= RANK_LIMIT else "quality"


def search_page(
    qs: QuerySet[Listing],
    text: TextQuery,
    filters: ListingFilters,
    *,
    sort: str,
    cursor: str | None = None,
    page_size: int = 24,
    matched: int | None = None,
) -> Page:
    """One page of `qs` (a queryset of listings with its card data prepared) for the search.

    `matched` is the capped count of text matches when the caller knows it (the facet query
    found it); otherwise it is probed when needed. A small text query reads its matches through
    the GIN index and fetches the page by id (two queries); anything else is one ORM query in
    the order of a partial index. Raises InvalidCursor."""
    using = qs.db
    direction, keys = "next", None
    if cursor:
        strategy, direction, keys = decode_cursor(cursor)
        allowed = {"rank", "quality"} if sort == "relevance" and text else {choose_strategy(sort, text, 0)}
        if strategy not in allowed:
            raise InvalidCursor(strategy)
    if text and matched is None:
        matched = text.estimate
    if text and matched is None and not (keys is not None and strategy in ("rank", "quality")):
        matched = count_matches(text, using=using)  # no statistics yet: a small table, count it
    if keys is None:
        strategy = choose_strategy(sort, text, matched)
    small = bool(text) and strategy != "quality" and (strategy == "rank" or (matched or 0) <= RANK_LIMIT)
    forward = direction == "next"
    narrowing = [c for c in _facet_conditions(filters, "{a}").values() if c] + _other_conditions(filters, "{a}")

    if small or text:
        page_rows = _small_page if small else _walk_page
        rows = page_rows(text, narrowing, strategy, keys, forward=forward, limit=page_size + 1, using=using)
        by_id = {listing.pk: listing for listing in qs.filter(pk__in=[r["id"] for r in rows[:page_size]])}
        for row in rows:
            if row["id"] in by_id:
                row["listing"] = by_id[row["id"]]
        rows = [r for r in rows[:page_size] if "listing" in r] + rows[page_size:]
    else:
        rows = _orm_page(qs, narrowing, strategy, keys, forward=forward, limit=page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if not forward:
        rows.reverse()
    has_next = more if forward else keys is not None
    has_previous = keys is not None if forward else more
    return Page(
        listings=[r["listing"] for r in rows],
        next_cursor=encode_cursor(strategy, "next", _keys_of(strategy, rows[-1])) if rows and has_next else None,
        previous_cursor=(
            encode_cursor(strategy, "previous", _keys_of(strategy, rows[0])) if rows and has_previous else None
        ),
        strategy=strategy,
    )


def _bind(parts: list[_Where], alias: str) -> list[_Where]:
    return [_Where(p.sql.replace("{a}", alias), p.params) for p in parts]


def _small_page(
    text: TextQuery,
    narrowing: list[_Where],
    strategy: str,
    keys: list[Any] | None,
    *,
    forward: bool,
    limit: int,
    using: str,
) -> list[dict[str, Any]]:
    source = _matches_source(text, RANK_LIMIT + 1, with_rank=strategy == "rank")
    parts = [_public("l", matched=True), *_bind(narrowing, "l")]
    if keys is not None:
        parts.append(_keyset(strategy, "l", keys, forward=forward))
    where = _and(parts)
    order = ", ".join(f"{expr} {'DESC' if desc else 'ASC'}" for expr, desc in _order(strategy, "l", forward=forward))
    sql = (
        "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, l.rank "
        f"FROM {source.sql} AS l WHERE {where.sql} ORDER BY {order} LIMIT %s"
    )
    with connections[using].cursor() as cursor:
        return _fetch(cursor, sql, [*source.params, *where.params, limit])


def _walk_page(
    text: TextQuery,
    narrowing: list[_Where],
    strategy: str,
    keys: list[Any] | None,
    *,
    forward: bool,
    limit: int,
    using: str,
) -> list[dict[str, Any]]:
    """A page of a common text: walk the sort's partial index, checking the match row by row.

    The planner is told to (no sequential scan, no bitmap, no sort) because it estimates an AND
    of correlated common words (激光 & 切割, laser & cutting) as rare and then prefers to sort
    every match; at a density of RANK_LIMIT / table size or more the walk reads a few thousand
    rows for any page.

    Sorted by price or MOQ the walk can be long: a common word may be rare among the cheapest
    listings ("cotton" among raisins: 20k rows walked, 230 ms at a million listings; 激光切割机, whose
    machines all cost thousands: 6.6 s). So the walk first looks at WALK_PEEK rows only; when they
    hold less than a page, the page is read band by band of the sort column (`_band_page`), and
    past the last band from every match through the GIN index, sorted."""
    tsquery, params = text.sql()
    parts = [_public("l"), *_bind(narrowing, "l")]
    if keys is not None:
        parts.append(_keyset(strategy, "l", keys, forward=forward))
    match = _Where(f"coalesce(l.search_vector, '') @@ {tsquery}", params)
    order = ", ".join(f"{expr} {'DESC' if desc else 'ASC'}" for expr, desc in _order(strategy, "l", forward=forward))
    banded = strategy in BAND_COLUMNS
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        if banded:
            # The first WALK_PEEK rows in order, then the match: exact when they hold a page.
            where = _and(parts)
            rows = _fetch(
                cursor,
                "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank FROM ("
                f"SELECT * FROM catalog_listing AS l WHERE {where.sql} ORDER BY {order} LIMIT %s) AS l "
                f"WHERE {match.sql} ORDER BY {order} LIMIT %s",
                [*where.params, WALK_PEEK, *match.params, limit],
            )
            if len(rows) >= limit:
                return rows
            # Bands: a bitmap of the GIN index's matches and the sort index's range, then a sort
            # (exact bitmaps: a lossy one rechecks whole pages).
            cursor.execute(
                "SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off; SET LOCAL enable_sort = on; "
                "SET LOCAL work_mem = '32MB'"
            )
            for bound in _band_bounds(cursor, strategy, keys, forward=forward):
                rows = _band_page(cursor, text, parts, strategy, bound, forward=forward, order=order, limit=limit)
                if len(rows) >= limit:
                    return rows
            # Sparse among the first quarter: every match, sorted (bounded by the matches, where
            # the walk would be bounded only by the table).
            return _band_page(cursor, text, parts, strategy, None, forward=forward, order=order, limit=limit)
        where = _and([*parts, match])
        return _fetch(
            cursor,
            "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank "
            f"FROM catalog_listing AS l WHERE {where.sql} ORDER BY {order} LIMIT %s",
            [*where.params, limit],
        )


# Sorts whose walk may be read in bands, by the column their order starts with.
BAND_COLUMNS = {"price": "price_from", "moq": "moq"}
BAND_SHARES = (0.05, 0.25)  # each band ends this share of the table further in the sort order
WALK_PEEK = 500


def _band_bounds(cursor: Any, strategy: str, keys: list[Any] | None, *, forward: bool) -> list[Any]:
    """Where each band ends: values of the sort column BAND_SHARES of the table further on from the
    cursor (or the start), from PostgreSQL's statistics of the column (its most common values and
    histogram). Empty without statistics."""
    cursor.execute(
        "SELECT most_common_vals::text, most_common_freqs, histogram_bounds::text FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'catalog_listing' AND attname = %s",
        [BAND_COLUMNS[strategy]],
    )
    row = cursor.fetchone()
    if not row:
        return []
    kind = int if strategy == "moq" else Decimal  # an integer bound keeps the MOQ index usable

    def values(text: str | None) -> list[Any]:
        return [kind(v) for v in (text or "").strip("{}").split(",") if v and v != "NULL"]

    common, freqs, histogram = values(row[0]), row[1] or [], values(row[2])
    weights: dict[Any, float] = dict(zip(common, freqs, strict=False))
    if len(histogram) > 1:  # the other rows, spread evenly over the histogram's buckets
        bucket = max(0.0, 1.0 - sum(freqs)) / (len(histogram) - 1)
        for value in histogram[1:]:
            weights[value] = weights.get(value, 0.0) + bucket
    points = sorted(weights.items(), reverse=not forward)
    if keys is not None:
        points = [(v, w) for v, w in points if (v > keys[0] if forward else v < keys[0])]
    bounds: list[Any] = []
    shares, covered = list(BAND_SHARES), 0.0
    for value, weight in points:
        covered += weight
        while shares and covered >= shares[0]:
            shares.pop(0)
            if not bounds or bounds[-1] != value:
                bounds.append(value)
        if not shares:
            break
    return bounds


def _band_page(
    cursor: Any,
    text: TextQuery,
    parts: list[_Where],
    strategy: str,
    bound: Any,
    *,
    forward: bool,
    order: str,
    limit: int,
) -> list[dict[str, Any]]:
    """The page among the matches whose sort value lies up to `bound` (from `bound` on when reading
    backwards; every match when None): the GIN index's matches ANDed with a range of the sort's
    index in one bitmap, then sorted. Every match before the bound is seen, so a full page from
    here is the exact page."""
    tsquery, params = text.sql()
    column = _order(strategy, "l", forward=True)[0][0]
    conditions = [*parts, _Where(f"l.search_vector @@ {tsquery}", params)]
    if bound is not None:
        conditions.append(_Where(f"{column} {'<=' if forward else '>='} %s", [bound]))
    where = _and(conditions)
    return _fetch(
        cursor,
        "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank "
        f"FROM catalog_listing AS l WHERE {where.sql} ORDER BY {order} LIMIT %s",
        [*where.params, limit],
    )


def _fetch(cursor: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _orm_page(
    qs: QuerySet[Listing],
    narrowing: list[_Where],
    strategy: str,
    keys: list[Any] | None,
    *,
    forward: bool,
    limit: int,
) -> list[dict[str, Any]]:
    alias = Listing._meta.db_table  # the ORM's name for the main table
    parts = [_public(alias), *_bind(narrowing, alias)]
    if keys is not None:
        parts.append(_keyset(strategy, alias, keys, forward=forward))
    where = _and(parts)
    order = [
        OrderBy(RawSQL(expr, [], output_field=FloatField()), descending=desc)
        for expr, desc in _order(strategy, alias, forward=forward)
    ]
    qs = qs.filter(RawSQL(where.sql, where.params, output_field=BooleanField())).order_by(*order)
    return [{"listing": listing, **_row(listing)} for listing in qs[:limit]]


def _row(listing: Listing) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "created_at": listing.created_at,
        "level_rank": listing.level_rank,
        "price_from": listing.price_from,
        "moq": listing.moq,
    }


# --- suppliers ---------------------------------------------------------------------------------


def supplier_match_sql(text: TextQuery, alias: str) -> tuple[str, list[Any]]:
    """A condition on a supplier row: its name, its belt (name, industry) or a production site's
    products match `text`. Each branch uses its own index (or a table of a few dozen belts)."""
    tsquery, params = text.sql()
    table = SUPPLIER_TABLE
    site_table = SITE_TABLE
    sql = (
        f"{alias}.id IN ("
        f"SELECT id FROM {table} WHERE catalog_supplier_vector(name_en, name_zh) @@ {tsquery} "
        f"UNION SELECT id FROM {table} WHERE belt_id IN (SELECT id FROM {BELT_TABLE} WHERE catalog_text_vector("
        "concat_ws(' ', name_en, industry_en, brand_en), concat_ws(' ', name_zh, industry_zh, brand_zh), 'A') "
        f"@@ {tsquery}) "
        f"UNION SELECT supplier_id FROM {site_table} WHERE catalog_products_vector(products) @@ {tsquery})"
    )
    return sql, params * 3


def supplier_box_sql(text: TextQuery, limit: int) -> tuple[str, str, list[Any]]:
    """For the few suppliers shown above the listings: (ids SQL, name-match ids SQL, params).

    Each branch (name, products of a production site, belt) takes its own best `limit`
    certified suppliers by level and name through its own index, so a word that matches a whole
    belt ("laser") costs a few rows, not thousands."""
    tsquery, params = text.sql()
    table = SUPPLIER_TABLE
    site_table = SITE_TABLE
    certified = (
        f"s.status = 'certified' AND s.certification_level IN {public_levels_sql()} "
        "AND (s.certified_until IS NULL OR s.certified_until >= %s)"
    )
    order = "ORDER BY catalog_level_rank(s.certification_level) DESC, s.name_en LIMIT %s"
    today = timezone.localdate()
    name = (
        f"SELECT s.id FROM {table} s WHERE catalog_supplier_vector(s.name_en, s.name_zh) @@ {tsquery} "
        f"AND {certified} {order}"
    )
    # Products and belt: the first few found (a common word matches thousands; ordering them all
    # costs more than the box is worth). The box orders its handful itself.
    sites = (
        f"SELECT p.supplier_id AS id FROM {site_table} p JOIN {table} s ON s.id = p.supplier_id "
        f"WHERE catalog_products_vector(p.products) @@ {tsquery} AND {certified} LIMIT %s"
    )
    belt = (
        f"SELECT s.id FROM {table} s WHERE s.belt_id IN (SELECT id FROM {BELT_TABLE} WHERE catalog_text_vector("
        "concat_ws(' ', name_en, industry_en, brand_en), concat_ws(' ', name_zh, industry_zh, brand_zh), 'A') "
        f"@@ {tsquery}) AND {certified} LIMIT %s"
    )
    branch = [*params, today, limit]
    ids = f"SELECT id FROM (({name}) UNION ALL ({sites}) UNION ALL ({belt})) AS matched"
    return ids, name, [branch, branch, branch]


def supplier_list_matching(text: TextQuery, *, limit: int = 6) -> list[Any]:
    """The few certified suppliers shown above the listings: name matches first, then the
    strongest certification, then name. One query (bounded per branch, see supplier_box_sql)."""
    supplier = Supplier
    ids_sql, name_sql, (name_params, site_params, belt_params) = supplier_box_sql(text, limit)
    rank = Case(
        *[When(certification_level=level, then=Value(i)) for i, level in enumerate(PUBLIC_LEVELS)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    name_match = RawSQL(f"{supplier._meta.db_table}.id IN ({name_sql})", name_params, output_field=BooleanField())
    return list(
        supplier.objects.filter(pk__in=RawSQL(ids_sql, [*name_params, *site_params, *belt_params]))
        .select_related("belt")
        .annotate(name_match=name_match, level_order=rank)
        .order_by("-name_match", "-level_order", "name_en")[:limit]
    )


def suppliers_matching(qs: QuerySet, text: TextQuery) -> QuerySet:
    """`qs` (of suppliers) narrowed to those whose name, belt or products match `text`."""
    if not text:
        return qs
    sql, params = supplier_match_sql(text, qs.model._meta.db_table)
    return qs.filter(RawSQL(sql, params, output_field=BooleanField()))


def supplier_name_match_sql(text: TextQuery, alias: str) -> tuple[str, list[Any]]:
    """Whether the supplier's own name matches (a hashed list from the name index)."""
    tsquery, params = text.sql()
    table = SUPPLIER_TABLE
    return (
        f"{alias}.id IN (SELECT id FROM {table} WHERE catalog_supplier_vector(name_en, name_zh) @@ {tsquery})",
        params,
    )


# --- denormalised columns ----------------------------------------------------------------------

# Step 1 computes every row's columns into a temporary table: a query that writes nothing may run
# in parallel (UPDATE never does), and each vector is computed once. The names part (B) of the
# vector is computed once per supplier and once per category, not once per listing. The result
# equals what the listing trigger computes (same functions, same text, same order).
REBUILD_COMPUTE_SQL = """
CREATE TEMP TABLE catalog_rebuild ON COMMIT DROP AS
SELECT x.id,
       catalog_listing_is_public(x.status, s.status, s.certification_level, s.certified_until) AS is_public,
       s.belt_id,
       coalesce(nullif(site.province, ''), nullif(s.province, ''), s.belt_province, '') AS province,
       catalog_level_rank(s.certification_level) AS level_rank,
       t.price_from,
       catalog_listing_vector(x.title_en, x.title_zh, x.description_en, x.description_zh, x.customisation_en,
                              x.customisation_zh, x.specifications, x.sku)
         || s.names || c.names AS search_vector
  FROM catalog_listing x
  JOIN (SELECT s.id, s.status, s.certification_level, s.certified_until, s.belt_id, s.province,
               b.province AS belt_province,
               catalog_names_vector(concat_ws(' ', s.name_en, b.name_en), concat_ws(' ', s.name_zh, b.name_zh)) AS names
          FROM {supplier} s LEFT JOIN {belt} b ON b.id = s.belt_id) AS s ON s.id = x.supplier_id
  JOIN (SELECT c.id,
               catalog_names_vector(concat_ws(' ', c.name_en, p.name_en), concat_ws(' ', c.name_zh, p.name_zh)) AS names
          FROM {category} c LEFT JOIN {category} p ON p.id = c.parent_id) AS c ON c.id = x.category_id
  LEFT JOIN {site} site ON site.id = x.production_site_id
  LEFT JOIN (SELECT listing_id, min(unit_price) AS price_from FROM catalog_pricetier GROUP BY listing_id) AS t
         ON t.listing_id = x.id
"""

REBUILD_UPDATE_SQL = """
UPDATE catalog_listing AS l
   SET is_public = r.is_public, belt_id = r.belt_id, province = r.province, level_rank = r.level_rank,
       price_from = r.price_from, search_vector = r.search_vector
  FROM catalog_rebuild AS r
 WHERE l.id = r.id
   AND (l.is_public, l.belt_id, l.province, l.level_rank, l.price_from, l.search_vector)
       IS DISTINCT FROM (r.is_public, r.belt_id, r.province, r.level_rank, r.price_from, r.search_vector)
"""

VOCABULARY_SQL = """
DELETE FROM catalog_searchword;
INSERT INTO catalog_searchword (word, ndoc)
SELECT w, count(*) FROM (
  SELECT catalog_words(concat_ws(' ', x.title_en, x.customisation_en)) AS w FROM catalog_listing x WHERE x.is_public
  UNION ALL
  SELECT catalog_words(concat_ws(' ', name_en, industry_en)) FROM {belt}
  UNION ALL
  SELECT catalog_words(name_en) FROM {category}
  UNION ALL
  SELECT catalog_words(name_en) FROM {supplier} WHERE status = 'certified'
) AS words
GROUP BY w;
"""


def rebuild_denormalised(
    *, using: str = "default", belt_table: str = BELT_TABLE, category_table: str = CATEGORY_TABLE
) -> int:
    """Recompute every listing's denormalised columns and search vector set-based (one parallel
    SELECT into a temporary table, one UPDATE) and the spelling vocabulary; returns how many
    listings changed. For after a bulk load with triggers off; safe to run any time (rows already
    right are not rewritten). Runs inside the caller's transaction when there is one.

    A migration passes the belt and category tables by the names they had at its point in the
    history (catalog 0005 ran before they moved to the belts app)."""
    supplier = SUPPLIER_TABLE
    site = SITE_TABLE
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Two cores make the vectors twice as fast: invite a parallel plan for step 1.
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("DROP TABLE IF EXISTS catalog_rebuild")
        cursor.execute(
            REBUILD_COMPUTE_SQL.format(supplier=supplier, site=site, belt=belt_table, category=category_table)
        )
        cursor.execute("RESET parallel_setup_cost")
        cursor.execute("RESET parallel_tuple_cost")
        # The listing trigger would recompute each row again, one by one: this UPDATE does it all.
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        cursor.execute(REBUILD_UPDATE_SQL)
        changed = cursor.rowcount
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
        cursor.execute("DROP TABLE catalog_rebuild")
        # The new belt_id values queued deferred foreign-key checks: run them now, so the caller
        # may CLUSTER or ALTER the table in the same transaction ("pending trigger events").
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(VOCABULARY_SQL.format(supplier=supplier, belt=belt_table, category=category_table))
    return changed


@dataclass
class SearchResult:
    """What the search page and the API show: the parsed words, one page, facets, suppliers."""

    text: TextQuery
    sort: str
    page: Page
    facets: Facets | None = None
    suppliers: list[Any] = field(default_factory=list)
