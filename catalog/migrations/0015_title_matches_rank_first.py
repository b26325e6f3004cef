"""Relevance counts a match in the title twice: a listing whose title holds the words ranks above
one that has them only in its category, supplier or description. `catalog_tsquery_in` also
replaces the weights a query already has, so a query restricted to titles can be restricted again."""

from django.db import migrations

TSQUERY_IN = """
CREATE OR REPLACE FUNCTION catalog_tsquery_in(q tsquery, w text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN numnode(q) = 0 THEN q
              ELSE regexp_replace(q::text, '(''(?:[^'']|'''')*'')(:[A-D*]+)?', '\\1:' || w, 'g')::tsquery END
$$;
"""

TSQUERY_IN_BACK = """
CREATE OR REPLACE FUNCTION catalog_tsquery_in(q tsquery, w text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN numnode(q) = 0 THEN q
              ELSE regexp_replace(q::text, '(''(?:[^'']|'''')*'')', '\\1:' || w, 'g')::tsquery END
$$;
"""

MATCHES = """
CREATE OR REPLACE FUNCTION catalog_listing_matches(q tsquery, cap integer, with_rank boolean DEFAULT false)
RETURNS TABLE (id bigint, supplier_id bigint, belt_id bigint, category_id bigint, level_rank smallint,
               province varchar, sample_available boolean, moq integer, price_from numeric,
               currency varchar, created_at timestamptz, rank double precision, origin_mark boolean)
LANGUAGE sql STABLE ROWS 1000 SET enable_seqscan = off SET enable_indexscan = off AS $$
  SELECT l.id, l.supplier_id, l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available,
         l.moq, l.price_from, l.currency, l.created_at,
         CASE WHEN with_rank THEN {rank} * (1.0 + 0.05 * l.level_rank)::float8 END,
         l.origin_mark
    FROM catalog_listing l
   WHERE l.search_vector @@ q AND l.is_public
   LIMIT cap
$$;
"""
RANK_TITLES_FIRST = "(ts_rank(l.search_vector, q) + ts_rank(l.search_vector, catalog_tsquery_in(q, 'A')))::float8"
RANK_BEFORE = "ts_rank(l.search_vector, q)::float8"


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_pricetier_trigger_bulk")]

    operations = [
        migrations.RunSQL(TSQUERY_IN, TSQUERY_IN_BACK),
        migrations.RunSQL(MATCHES.replace("{rank}", RANK_TITLES_FIRST), MATCHES.replace("{rank}", RANK_BEFORE)),
    ]
