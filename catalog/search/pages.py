"""Keyset pages in every sort: the strategy, the signed cursor, the walk and the bands, the result."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter. Hence no S608/S611 (string-built SQL, RawSQL) per line:
# ruff: noqa: S608, S611
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import connections, transaction
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from ..models import Listing
from .facets import FACET_SAMPLE_ROWS, HEAD_VALUES, SAMPLE_PERCENT, SAMPLE_SOURCE, Facets
from .filters import (
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

RANK_LIMIT = 5000
CURSOR_SALT = "catalog.search.cursor"


class InvalidCursor(ValueError):
    """The cursor was not made by us, or for another sort."""


# --- probe -------------------------------------------------------------------------------------


def count_matches(text: TextQuery, *, cap: int = RANK_LIMIT + 1, using: str = "default") -> int:
    """Public listings matching `text`, counted up to `cap` through the GIN index only."""
    source = _matches_source(text, cap)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {source.sql} AS l", source.params)  # nosec B608
        return cursor.fetchone()[0]


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
    facets: Facets | None = None,
) -> Page:
    """One page of `qs` (a queryset of listings with its card data prepared) for the search.

    `matched` is the capped count of text matches when the caller knows it (the facet query
    found it); otherwise it is probed when needed. `facets`, when the caller counted them, tell
    where a first page sorted by price or MOQ starts reading (their sample's smallest values);
    without them that sample is read when needed. A small text query reads its matches through
    the GIN index and fetches the page by id (two queries); a common text (`_walk_page`) or
    filters without words (`_filtered_page`) walk an order's partial index for the ids, then
    fetch the page by id; the newest listings unfiltered are one ORM query. Raises InvalidCursor."""
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
    conditions = _facet_conditions(filters, "{a}")
    others = _other_conditions(filters, "{a}")
    narrowing = [c for c in conditions.values() if c] + others

    if small or text or narrowing:
        limit = page_size + 1
        if small:
            rows = _small_page(text, narrowing, strategy, keys, forward=forward, limit=limit, using=using)
        elif text:
            rows = _walk_page(
                text, narrowing, strategy, keys, forward=forward, limit=limit, using=using, facets=facets
            )  # fmt: skip
        else:
            along = [conditions["belt"]] if conditions["belt"] else []  # walked in the belt's own indexes
            rest = [c for name, c in conditions.items() if c and name != "belt"] + others
            rows = _filtered_page(along, rest, strategy, keys, forward=forward, limit=limit, using=using)
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
    return [_Where(p.sql.replace("{a}", alias), p.params, p.bitmap, p.bitmap_sql.replace("{a}", alias)) for p in parts]


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
        "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, l.rank "  # nosec B608
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
    facets: Facets | None = None,
) -> list[dict[str, Any]]:
    """A page of a common text: walk the sort's partial index, checking the match row by row.

    The planner is told to (no sequential scan, no bitmap, no sort) because it estimates an AND
    of correlated common words (激光 & 切割, laser & cutting) as rare and then prefers to sort
    every match; at a density of RANK_LIMIT / table size or more the walk reads a few thousand
    rows for any page.

    The walk can be long when the match is rare in the sort order: filters a common word rarely
    meets ("laser" in a goji belt: the whole belt walked, 4 s at a million listings), or, sorted by
    price or MOQ, a word rare among the cheapest listings ("cotton" among raisins: 20k rows walked,
    230 ms; 激光切割机, whose machines all cost thousands: 6.6 s). So in the default order the walk
    reads WALK_ROWS public rows only, and when they hold less than a page the page is read from
    every match the filters keep, through the GIN index and the filters' indexes, sorted. Sorted
    by price or MOQ, it first looks at WALK_PEEK rows the filters keep; when they hold less than a
    page, the page is read band by band of the sort column (`_band_page`), and past the last band
    from every match through the GIN index, sorted."""
    tsquery, params = text.sql()
    narrowed = _bind(narrowing, "l")
    after = [] if keys is None else [_keyset(strategy, "l", keys, forward=forward)]
    parts = [_public("l"), *narrowed, *after]
    match = _Where(f"coalesce(l.search_vector, '') @@ {tsquery}", params)
    order = ", ".join(f"{expr} {'DESC' if desc else 'ASC'}" for expr, desc in _order(strategy, "l", forward=forward))
    banded = strategy in BAND_COLUMNS
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        if banded:
            # The first WALK_PEEK rows the filters keep, in order, then the match.
            walked, peek, kept = _and(parts), WALK_PEEK, match
        else:
            # The first WALK_ROWS public rows in order (the sort's partial index, bounded whatever
            # the filters), then the filters and the match.
            walked, peek, kept = _and([_public("l"), *after]), WALK_ROWS, _and([*narrowed, match])
        rows = _fetch(
            cursor,
            "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank FROM ("  # nosec B608
            f"SELECT * FROM catalog_listing AS l WHERE {walked.sql} ORDER BY {order} LIMIT %s) AS l "
            f"WHERE {kept.sql} ORDER BY {order} LIMIT %s",
            [*walked.params, peek, *kept.params, limit],
        )
        if len(rows) >= limit:
            return rows  # exact: any other match comes later in the order
        # From here bitmaps of the GIN index and the other indexes, then a sort (exact bitmaps: a
        # lossy one rechecks whole pages).
        cursor.execute(
            "SET LOCAL enable_bitmapscan = on; SET LOCAL enable_indexscan = off; SET LOCAL enable_sort = on; "
            "SET LOCAL work_mem = '32MB'"
        )
        if not banded:
            # Sparse among them (a common word within filters it rarely meets: "laser" among goji
            # berries walked the whole belt, 4 s at a million listings): every match the filters
            # keep, through a GIN index (TextQuery.match_sql: the names' index for titles and names).
            # Ids the planner cannot count are read as an array (`_Where.bitmap_sql`): the listings
            # holding a certificate are then one bitmap of the primary key ANDed with the words'.
            indexed = [_Where(p.bitmap_sql or p.sql, p.params) for p in narrowed]
            where = _and([_public("l"), *indexed, *after, _Where(*text.match_sql("l"))])
            return _fetch(
                cursor,
                "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank "  # nosec B608
                f"FROM catalog_listing AS l WHERE {where.sql} ORDER BY {order} LIMIT %s",
                [*where.params, limit],
            )
        bounds = _band_bounds(cursor, strategy, keys, forward=forward)
        first_band = None
        if keys is None:  # a first page: where the facets' sample, or the same sample read now, ends it
            first_band = (
                _first_band(strategy, facets, limit)
                if facets is not None
                else _sampled_first_band(cursor, strategy, [*parts, match], limit)
            )
        if first_band is not None:  # where the sample says enough matches lie before
            bounds = [first_band, *(b for b in bounds if b > first_band)]
        for bound in bounds:
            rows = _band_page(cursor, text, parts, strategy, bound, forward=forward, order=order, limit=limit)
            if len(rows) >= limit:
                return rows
        # Sparse among the first quarter: every match, sorted (bounded by the matches, where the
        # walk would be bounded only by the table).
        return _band_page(cursor, text, parts, strategy, None, forward=forward, order=order, limit=limit)


def _filtered_page(
    along: list[_Where],
    narrowing: list[_Where],
    strategy: str,
    keys: list[Any] | None,
    *,
    forward: bool,
    limit: int,
    using: str,
) -> list[dict[str, Any]]:
    """A page of filters without words: the first WALK_ROWS public rows in the order (of the
    belt's, `along`, when the filters name one: listing_public_belt_*_idx), checked against the
    other filters; when they hold less than a page (filters the order rarely meets: one belt's
    certified-origin listings with samples and an MOQ of 5 walked the whole table, 0.5 s at a
    million listings), every row the filters keep through bitmaps of their indexes (a belt, a
    price or MOQ range), sorted. One query; when the walk falls short, the second in a
    transaction of its own (SET LOCAL)."""
    narrowed = _bind(narrowing, "l")
    after = [] if keys is None else [_keyset(strategy, "l", keys, forward=forward)]
    order = ", ".join(f"{expr} {'DESC' if desc else 'ASC'}" for expr, desc in _order(strategy, "l", forward=forward))
    walked, kept = _and([_public("l"), *_bind(along, "l"), *after]), _and(narrowed)
    select = "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank"
    with connections[using].cursor() as cursor:
        rows = _fetch(
            cursor,
            f"{select} FROM (SELECT * FROM catalog_listing AS l WHERE {walked.sql} "  # nosec B608
            f"ORDER BY {order} LIMIT %s) AS l WHERE {kept.sql} ORDER BY {order} LIMIT %s",
            [*walked.params, WALK_ROWS, *kept.params, limit],
        )
        if len(rows) >= limit:
            return rows
    # Bitmaps of the filters' indexes (a belt, a price or MOQ range), then a sort: the planner, left
    # to itself, walks the order's index again, as it takes correlated filters for independent.
    indexed = [_Where(p.bitmap_sql or p.sql, p.params) for p in narrowed]
    where = _and([_public("l"), *_bind(along, "l"), *indexed, *after])
    # An HS code prefix's categories, or the listings holding a certificate, are an array the
    # planner sees only when the query runs: for the prefix it guesses a quarter of the table and
    # reads all of it (220 ms at 200,000 listings, where the BitmapOr of the code's and the
    # categories' indexes takes 35 ms); the certificate's ids are one bitmap of the primary key.
    no_seqscan = "; SET LOCAL enable_seqscan = off" if any(p.bitmap for p in narrowed) else ""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL work_mem = '32MB'" + no_seqscan)
        return _fetch(
            cursor,
            f"{select} FROM catalog_listing AS l WHERE {where.sql} ORDER BY {order} LIMIT %s",  # nosec B608
            [*where.params, limit],
        )


def _first_band(strategy: str, facets: Facets | None, limit: int) -> Any:
    """Where the first band of a first page sorted by price or MOQ ends: the smallest value of the
    facets' sample (the matches that pass every filter, estimated facets only) before which the
    sample puts HEAD_PAGES pages of matches; None without one. A sample that misjudges costs
    the next bands, never a wrong page: every band is read whole."""
    if facets is None or facets.exact or strategy not in BAND_COLUMNS:
        return None
    head = facets.price_head if strategy == "price" else facets.moq_head
    for n, value in enumerate(head, start=1):
        if n * facets.scale >= HEAD_PAGES * limit:
            return value
    return None


HEAD_PAGES = 16


def _sampled_first_band(cursor: Any, strategy: str, conditions: list[_Where], limit: int) -> Any:
    """_first_band from the facets' fixed sample of the table's pages, for a page asked without
    facets (the API): the smallest sort values of the sampled rows meeting `conditions`."""
    column = _order(strategy, "l", forward=True)[0][0]
    where = _and(conditions)
    cursor.execute(
        f"SELECT (array_agg({column} ORDER BY {column}))[1:%s], 100.0 / {SAMPLE_PERCENT} "  # nosec B608
        f"FROM {SAMPLE_SOURCE} WHERE {where.sql}",
        [HEAD_VALUES, FACET_SAMPLE_ROWS, FACET_SAMPLE_ROWS, *where.params],
    )
    head, scale = cursor.fetchone()
    if float(scale) <= 1.0:  # the whole table was read: the bands themselves are as cheap
        return None
    prices, moqs = (head or [], []) if strategy == "price" else ([], head or [])
    return _first_band(strategy, Facets(exact=False, price_head=prices, moq_head=moqs, scale=float(scale)), limit)


# Sorts whose walk may be read in bands, by the column their order starts with.
BAND_COLUMNS = {"price": "price_from", "moq": "moq"}
BAND_SHARES = (0.05, 0.25)  # each band ends this share of the table further in the sort order
WALK_PEEK = 500
WALK_ROWS = 2000  # public rows a page of a common text reads in order before it reads every match


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
    column = _order(strategy, "l", forward=True)[0][0]
    conditions = [*parts, _Where(*text.match_sql("l"))]
    if bound is not None:
        conditions.append(_Where(f"{column} {'<=' if forward else '>='} %s", [bound]))
    where = _and(conditions)
    return _fetch(
        cursor,
        "SELECT l.id, l.created_at, l.level_rank, l.price_from, l.moq, NULL AS rank "  # nosec B608
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
        OrderBy(RawSQL(expr, [], output_field=FloatField()), descending=desc)  # nosec B611
        for expr, desc in _order(strategy, alias, forward=forward)
    ]
    qs = qs.filter(RawSQL(where.sql, where.params, output_field=BooleanField())).order_by(*order)  # nosec B611
    return [{"listing": listing, **_row(listing)} for listing in qs[:limit]]


def _row(listing: Listing) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "created_at": listing.created_at,
        "level_rank": listing.level_rank,
        "price_from": listing.price_from,
        "moq": listing.moq,
    }


@dataclass
class SearchResult:
    """What the search page and the API show: the parsed words, one page, facets, suppliers."""

    text: TextQuery
    sort: str
    page: Page
    facets: Facets | None = None
    suppliers: list[Any] = field(default_factory=list)
