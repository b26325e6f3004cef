"""Recomputing the denormalised columns and the spelling vocabulary set-based, after a bulk load."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter.
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

from .tables import BELT_TABLE, CATEGORY_TABLE, SITE_TABLE, SUPPLIER_TABLE

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
       {origin} AS origin_mark,
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
       {origin_set} price_from = r.price_from, search_vector = r.search_vector
  FROM catalog_rebuild AS r
 WHERE l.id = r.id
   AND (l.is_public, l.belt_id, l.province, l.level_rank, {origin_old} l.price_from, l.search_vector)
       IS DISTINCT FROM (r.is_public, r.belt_id, r.province, r.level_rank, {origin_new} r.price_from,
                         r.search_vector)
"""

VOCABULARY_COUNT_SQL = """
SELECT w, count(*) FROM (
  SELECT catalog_words(concat_ws(' ', x.title_en, x.customisation_en)) AS w FROM catalog_listing x WHERE x.is_public
  UNION ALL
  SELECT catalog_words(concat_ws(' ', name_en, industry_en)) FROM {belt}
  UNION ALL
  SELECT catalog_words(name_en) FROM {category}
  UNION ALL
  SELECT catalog_words(name_en) FROM {supplier} WHERE status = 'certified'
) AS words
GROUP BY w
"""


ORIGIN_SQL = "coalesce(site.confers_origin AND site.supplier_id = x.supplier_id, false)"
WITH_ORIGIN = {
    "origin_set": "origin_mark = r.origin_mark,",
    "origin_old": "l.origin_mark,",
    "origin_new": "r.origin_mark,",
}
WITHOUT_ORIGIN = {"origin_set": "", "origin_old": "", "origin_new": ""}


def rebuild_denormalised(
    *,
    using: str = "default",
    belt_table: str = BELT_TABLE,
    category_table: str = CATEGORY_TABLE,
    with_origin: bool = True,
) -> int:
    """Recompute every listing's denormalised columns and search vector set-based (one parallel
    SELECT into a temporary table, one UPDATE) and the spelling vocabulary; returns how many
    listings changed. For after a bulk load with triggers off; safe to run any time (rows already
    right are not rewritten). Runs inside the caller's transaction when there is one.

    A migration passes the belt and category tables by the names they had at its point in the
    history (catalog 0005 ran before they moved to the belts app, and before the listing had its
    certified-origin column: `with_origin=False`)."""
    supplier = SUPPLIER_TABLE
    site = SITE_TABLE
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS catalog_rebuild")
        with _parallel_plans(cursor):  # step 1
            cursor.execute(
                REBUILD_COMPUTE_SQL.format(
                    supplier=supplier,
                    site=site,
                    belt=belt_table,
                    category=category_table,
                    origin=ORIGIN_SQL if with_origin else "false",
                )
            )
        # The listing trigger would recompute each row again, one by one: this UPDATE does it all.
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        cursor.execute(REBUILD_UPDATE_SQL.format(**(WITH_ORIGIN if with_origin else WITHOUT_ORIGIN)))
        changed = cursor.rowcount
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
        cursor.execute("DROP TABLE catalog_rebuild")
        # The new belt_id values queued deferred foreign-key checks: run them now, so the caller
        # may CLUSTER or ALTER the table in the same transaction ("pending trigger events").
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _replace_vocabulary(cursor, belt_table=belt_table, category_table=category_table)
    return changed


@contextmanager
def _parallel_plans(cursor: Any) -> Iterator[None]:
    """Invite parallel plans for the statements inside (two cores make the vectors and the word
    counts nearly twice as fast), then back to the server's costs."""
    cursor.execute("SET LOCAL parallel_setup_cost = 0")
    cursor.execute("SET LOCAL parallel_tuple_cost = 0")
    yield
    cursor.execute("RESET parallel_setup_cost")
    cursor.execute("RESET parallel_tuple_cost")


def _replace_vocabulary(cursor: Any, *, belt_table: str = BELT_TABLE, category_table: str = CATEGORY_TABLE) -> None:
    """Replace the spelling vocabulary with every word of the public texts and its document count,
    counted in parallel into a temporary table (INSERT never runs in parallel)."""
    count = VOCABULARY_COUNT_SQL.format(supplier=SUPPLIER_TABLE, belt=belt_table, category=category_table)
    cursor.execute("DROP TABLE IF EXISTS catalog_vocabulary")
    with _parallel_plans(cursor):
        cursor.execute(f"CREATE TEMP TABLE catalog_vocabulary (w, ndoc) ON COMMIT DROP AS {count}")
    cursor.execute("DELETE FROM catalog_searchword")
    cursor.execute("INSERT INTO catalog_searchword (word, ndoc) SELECT w, ndoc FROM catalog_vocabulary")
    cursor.execute("DROP TABLE catalog_vocabulary")


def rebuild_vocabulary(*, using: str = "default") -> None:
    """Recompute the spelling vocabulary (every word with its document count) set-based."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        _replace_vocabulary(cursor)


# --- inserting new listings with their denormalised columns --------------------------------------

# The names part (B) of the vectors, once per supplier and per category for a whole bulk load.
# Plain (unlogged) tables, not temporary ones, so that parallel workers may read them.
BULK_NAMES_SQL = """
CREATE UNLOGGED TABLE catalog_bulk_supplier AS
SELECT s.id, s.status, s.certification_level, s.certified_until, s.belt_id, s.province,
       b.province AS belt_province,
       catalog_names_vector(concat_ws(' ', s.name_en, b.name_en), concat_ws(' ', s.name_zh, b.name_zh)) AS names
  FROM {supplier} s LEFT JOIN {belt} b ON b.id = s.belt_id;
ALTER TABLE catalog_bulk_supplier ADD PRIMARY KEY (id);
CREATE UNLOGGED TABLE catalog_bulk_category AS
SELECT c.id, catalog_names_vector(concat_ws(' ', c.name_en, p.name_en), concat_ws(' ', c.name_zh, p.name_zh)) AS names
  FROM {category} c LEFT JOIN {category} p ON p.id = c.parent_id;
ALTER TABLE catalog_bulk_category ADD PRIMARY KEY (id);
ANALYZE catalog_bulk_supplier;
ANALYZE catalog_bulk_category;
"""

# What the listing trigger computes, per column, for a row `x` of the stage (same functions, same
# text, same order as REBUILD_COMPUTE_SQL).
BULK_DERIVED = {
    "is_public": "catalog_listing_is_public(x.status, s.status, s.certification_level, s.certified_until)",
    "belt_id": "s.belt_id",
    "province": "coalesce(nullif(site.province, ''), nullif(s.province, ''), s.belt_province, '')",
    "level_rank": "catalog_level_rank(s.certification_level)",
    "origin_mark": ORIGIN_SQL,
    "search_vector": (
        "catalog_listing_vector(x.title_en, x.title_zh, x.description_en, x.description_zh, x.customisation_en, "
        "x.customisation_zh, x.specifications, x.sku) || s.names || c.names"
    ),
}

# The same vector when the stage also gives the CJK tokens of its texts, as catalog_cjk_bigrams
# and catalog_cjk_chars return them (`cjk_bigrams`, `cjk_chars` of .text compute them in Python):
# the body of catalog_listing_vector, with its catalog_text_vector calls written out, reading
# those columns instead of calling the two SQL functions.
BULK_CJK_COLUMNS = ("cjk_title", "cjk_title_chars", "cjk_text", "cjk_specifications")
BULK_VECTOR_GIVEN_CJK = """
setweight(to_tsvector('english', coalesce(x.title_en, '')) || to_tsvector('simple', x.cjk_title)
          || to_tsvector('simple', x.cjk_title_chars), 'A')
|| setweight(to_tsvector('english', coalesce(left(coalesce(x.description_en, ''), 2000) || ' '
                                             || coalesce(x.customisation_en, ''), ''))
             || to_tsvector('simple', x.cjk_text), 'C')
|| setweight(to_tsvector('english', coalesce(coalesce(x.sku, '') || ' '
               || coalesce(jsonb_path_query_array(x.specifications, '$[*].name_en')::text, '') || ' '
               || coalesce(jsonb_path_query_array(x.specifications, '$[*].value')::text, ''), ''))
             || to_tsvector('simple', x.cjk_specifications), 'D')
|| s.names || c.names
"""

# Step 1, the rows with every column computed, may run in parallel (a query that writes nothing
# but its own new table); step 2 copies them into the listing table (INSERT never runs in parallel).
BULK_COMPUTE_SQL = """
CREATE TEMP TABLE catalog_bulk_rows ON COMMIT DROP AS
SELECT {values}
  FROM {stage} x
  JOIN catalog_bulk_supplier s ON s.id = x.supplier_id
  JOIN catalog_bulk_category c ON c.id = x.category_id
  LEFT JOIN {site} site ON site.id = x.production_site_id
"""
BULK_INSERT_SQL = "INSERT INTO catalog_listing ({columns}) SELECT {columns} FROM catalog_bulk_rows"


def bulk_insert_prepare(cursor: Any) -> None:
    """Ready `bulk_insert_listings` for this transaction: the suppliers' and categories' names
    vectors, computed once. Suppliers and categories must not change until `bulk_insert_finish`."""
    cursor.execute("DROP TABLE IF EXISTS catalog_bulk_supplier, catalog_bulk_category")
    cursor.execute(BULK_NAMES_SQL.format(supplier=SUPPLIER_TABLE, belt=BELT_TABLE, category=CATEGORY_TABLE))


def bulk_insert_finish(cursor: Any) -> None:
    cursor.execute("DROP TABLE IF EXISTS catalog_bulk_supplier, catalog_bulk_category")


def bulk_insert_listings(cursor: Any, stage: str, columns: Sequence[str]) -> int:
    """Insert the rows of the table `stage` into the listing table with their denormalised columns
    and search vector computed set-based, as the listing trigger would one by one (which this
    statement turns off for itself). `columns` are the stage's columns, named as the listing's;
    the stage gives `price_from` (the least of the listing's tier prices, as it wrote its tiers),
    may give BULK_CJK_COLUMNS (then the vector reads them), and any of BULK_DERIVED it holds is
    ignored. A plain or unlogged stage lets the computing run in parallel. Returns how many rows
    were inserted. Between `bulk_insert_prepare` and `bulk_insert_finish`, in one transaction;
    the vocabulary is left to `rebuild_vocabulary`."""
    derived = dict(BULK_DERIVED)
    if all(c in columns for c in BULK_CJK_COLUMNS):
        derived["search_vector"] = BULK_VECTOR_GIVEN_CJK
    names = [c for c in columns if c not in BULK_DERIVED and c not in BULK_CJK_COLUMNS]
    if "price_from" not in names:
        raise ValueError("the stage must give price_from")
    values = [f'x."{c}"' for c in names] + [f'{sql} AS "{c}"' for c, sql in derived.items()]
    cursor.execute("DROP TABLE IF EXISTS catalog_bulk_rows")
    with _parallel_plans(cursor):
        cursor.execute(BULK_COMPUTE_SQL.format(values=", ".join(values), stage=stage, site=SITE_TABLE))
    cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
    cursor.execute(BULK_INSERT_SQL.format(columns=", ".join(f'"{c}"' for c in [*names, *derived])))
    inserted = cursor.rowcount
    cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
    cursor.execute("DROP TABLE catalog_bulk_rows")
    return inserted


def rebuild_listings(listing_ids: list[int], *, using: str = "default") -> int:
    """Recompute the denormalised columns and search vectors of these listings set-based, as the
    listing trigger would one by one, and add the words of the public ones to the vocabulary; how
    many changed. For a bulk writer that wrote them with `catalog.rebuilding` on (the listing
    import), inside its transaction."""
    if not listing_ids:
        return 0
    compute = REBUILD_COMPUTE_SQL.format(
        supplier=SUPPLIER_TABLE, site=SITE_TABLE, belt=BELT_TABLE, category=CATEGORY_TABLE, origin=ORIGIN_SQL
    )
    tiers = "FROM catalog_pricetier GROUP BY listing_id)"
    if not compute.rstrip().endswith("ON t.listing_id = x.id") or tiers not in compute:
        raise RuntimeError("REBUILD_COMPUTE_SQL no longer reads as rebuild_listings expects")
    compute = compute.replace(tiers, "FROM catalog_pricetier WHERE listing_id = ANY(%s) GROUP BY listing_id)")
    compute = compute.rstrip() + "\n WHERE x.id = ANY(%s)\n"
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS catalog_rebuild")
        cursor.execute(compute, [listing_ids, listing_ids])
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        cursor.execute(REBUILD_UPDATE_SQL.format(**WITH_ORIGIN))
        changed = cursor.rowcount
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
        cursor.execute(
            "SELECT catalog_add_words(string_agg(concat_ws(' ', title_en, customisation_en), ' ')) "
            "FROM catalog_listing WHERE id = ANY(%s) AND is_public",
            [listing_ids],
        )
        cursor.execute("DROP TABLE catalog_rebuild")
    return changed
