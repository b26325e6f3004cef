"""A GIN index of the titles and the names around a listing (the vector's A and B weights:
category, supplier, belt).

A query searched in titles or names (`TextQuery.fields` "A" or "AB", every common query) asked
the index of the whole vector, which holds a word wherever it is: "steel" is in 140,000
descriptions at a million listings and in 3,000 titles, so the index answered 140,000 rows for
the heap to recheck (1 s). `ts_filter(search_vector, '{a,b}') @@ q` is the same match as
`search_vector @@ q:AB` (every lexeme of the vector has positions, so none is dropped by the
filter; tests/catalog/test_search_names_index.py checks it), and this index answers it exactly.

`catalog_listing_matches_names(q0, q, …)` is `catalog_listing_matches(q, …)` read through it:
`q0` the query without weights, `q` with them (titles alone, "A", are rechecked on the vector)."""

from django.db import migrations

# Not partial: the planner reads the statistics of an index's expression (how common each word is
# in titles and names, for its estimates) only from an index without a predicate.
INDEX = """
CREATE INDEX listing_search_names_gin ON catalog_listing USING gin (ts_filter(search_vector, '{a,b}'));
"""

MATCHES_NAMES = """
CREATE FUNCTION catalog_listing_matches_names(q0 tsquery, q tsquery, cap integer, with_rank boolean DEFAULT false)
RETURNS TABLE (id bigint, supplier_id bigint, belt_id bigint, category_id bigint, level_rank smallint,
               province varchar, sample_available boolean, moq integer, price_from numeric,
               currency varchar, created_at timestamptz, rank double precision, origin_mark boolean)
LANGUAGE sql STABLE ROWS 1000 SET enable_seqscan = off SET enable_indexscan = off AS $$
  SELECT l.id, l.supplier_id, l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available,
         l.moq, l.price_from, l.currency, l.created_at,
         CASE WHEN with_rank THEN (ts_rank(l.search_vector, q) + ts_rank(l.search_vector, catalog_tsquery_in(q, 'A')))::float8
                                  * (1.0 + 0.05 * l.level_rank)::float8 END,
         l.origin_mark
    FROM catalog_listing l
   WHERE ts_filter(l.search_vector, '{a,b}') @@ q0 AND coalesce(l.search_vector, '') @@ q AND l.is_public
   LIMIT cap
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0017_page_versions")]

    operations = [
        migrations.RunSQL(INDEX, "DROP INDEX IF EXISTS listing_search_names_gin;"),
        migrations.RunSQL(
            MATCHES_NAMES, "DROP FUNCTION IF EXISTS catalog_listing_matches_names(tsquery, tsquery, integer, boolean);"
        ),
    ]
