"""Recomputing the denormalised columns and the spelling vocabulary set-based, after a bulk load."""

# This module builds SQL from fixed pieces written here; every value typed by a user travels as a
# query parameter.
from __future__ import annotations

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
        # Two cores make the vectors twice as fast: invite a parallel plan for step 1.
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("DROP TABLE IF EXISTS catalog_rebuild")
        cursor.execute(
            REBUILD_COMPUTE_SQL.format(
                supplier=supplier,
                site=site,
                belt=belt_table,
                category=category_table,
                origin=ORIGIN_SQL if with_origin else "false",
            )
        )
        cursor.execute("RESET parallel_setup_cost")
        cursor.execute("RESET parallel_tuple_cost")
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
        cursor.execute(VOCABULARY_SQL.format(supplier=supplier, belt=belt_table, category=category_table))
    return changed


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
