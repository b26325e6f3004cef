"""Search and browse at a million listings: the database keeps the denormalised columns true.

catalog_listing carries copies of what search and filtered browse need (is_public, belt_id,
province, level_rank, price_from, search_vector), so every list is one table, one index, no join
before the LIMIT. Triggers keep them true whoever writes (services, admin, imports, factories,
raw SQL); `catalog.search.rebuild_denormalised()` recomputes them set-based after a bulk load
that ran with triggers off.

- English is indexed with the `english` configuration. PostgreSQL cannot segment Chinese, so
  CJK text is indexed as overlapping bigrams (a one-character run as itself) through the
  IMMUTABLE `catalog_cjk_bigrams` and the `simple` configuration; a Chinese query is turned into
  the same bigrams (catalog.search.cjk_tokens), ANDed.
- Weights: A title; B category (and its parent), supplier and belt names; C description and
  customisation; D SKU and specifications. Each IMMUTABLE SQL function is inlinable (no STABLE
  concat_ws inside), which halves the cost of a vector.
- `is_public` = published, supplier certified at a public level, certification not lapsed by more
  than a day (a margin for time zones). A certification that passes its date changes no row: the
  public query also drops suppliers whose `certified_until` is before today
  (catalog.querysets.ListingQuerySet.public), so listings leave the public set that very day.
- `catalog_searchword` is the vocabulary for spelling correction (pg_trgm): English words of
  titles, customisation and category/supplier/belt names of public listings. The trigger adds new
  words without a unique index (no lock waits, no deadlocks between concurrent imports; a rare
  duplicate is harmless) and rebuild_denormalised() recomputes it with document counts.

The partial indexes are created here with SQL, not in the model's Meta: the model does not declare
them, so `makemigrations` leaves them alone.
"""

from django.db import migrations

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"

FUNCTIONS = rf"""
CREATE OR REPLACE FUNCTION catalog_cjk_bigrams(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- '光纤激光切割机' -> '光纤 纤激 激光 光切 切割 割机'; a run of one character stays itself.
  SELECT coalesce(string_agg(CASE WHEN length(m.r[1]) = 1 THEN m.r[1] ELSE substr(m.r[1], i, 2) END, ' '), '')
  FROM regexp_matches(coalesce(t, ''), '{CJK}+', 'g') AS m(r),
       generate_series(1, greatest(length(m.r[1]) - 1, 1)) AS i
$$;

-- Every CJK character on its own, for one-character queries (茶 in 绿茶): titles and supplier names.
CREATE OR REPLACE FUNCTION catalog_cjk_chars(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(regexp_replace(coalesce(t, ''), '[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', '', 'g'), '(.)', '\1 ', 'g')
$$;

CREATE OR REPLACE FUNCTION catalog_text_vector(en text, zh text, w "char", chars boolean DEFAULT false) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', coalesce(en, ''))
                   || to_tsvector('simple', catalog_cjk_bigrams(zh))
                   || CASE WHEN chars THEN to_tsvector('simple', catalog_cjk_chars(zh)) ELSE ''::tsvector END, w)
$$;

-- A listing's own text: A title, C description and customisation, D SKU and specifications.
-- No concat_ws (only STABLE): an IMMUTABLE SQL function whose body is immutable is inlined.
CREATE OR REPLACE FUNCTION catalog_listing_vector(
  title_en text, title_zh text, description_en text, description_zh text,
  customisation_en text, customisation_zh text, specifications jsonb, sku text
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT catalog_text_vector(title_en, title_zh, 'A', true)
      || catalog_text_vector(left(coalesce(description_en, ''), 2000) || ' ' || coalesce(customisation_en, ''),
                             left(coalesce(description_zh, ''), 1000) || ' ' || coalesce(customisation_zh, ''), 'C')
      || catalog_text_vector(
           coalesce(sku, '') || ' ' || coalesce(jsonb_path_query_array(specifications, '$[*].name_en')::text, '')
             || ' ' || coalesce(jsonb_path_query_array(specifications, '$[*].value')::text, ''),
           coalesce(jsonb_path_query_array(specifications, '$[*].name_zh')::text, '')
             || ' ' || coalesce(jsonb_path_query_array(specifications, '$[*].value')::text, ''), 'D')
$$;

-- B: the names around a listing (its category and the category's parent, its supplier, the
-- supplier's belt). Shared by many listings, so the rebuild computes it once per supplier and
-- per category.
CREATE OR REPLACE FUNCTION catalog_names_vector(en text, zh text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT catalog_text_vector(en, zh, 'B')
$$;

CREATE OR REPLACE FUNCTION catalog_level_rank(level text) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE level WHEN 'verified' THEN 1 WHEN 'certified_origin' THEN 2 WHEN 'audited_factory' THEN 3 ELSE 0 END)::smallint
$$;

CREATE OR REPLACE FUNCTION catalog_listing_is_public(
  listing_status text, supplier_status text, level text, certified_until date
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(listing_status = 'published' AND supplier_status = 'certified'
                  AND level IN ('verified', 'certified_origin', 'audited_factory')
                  AND (certified_until IS NULL OR certified_until >= current_date - 1), false)
$$;

-- English words for spelling correction: lower-case ASCII letters, 3 to 40 of them.
CREATE OR REPLACE FUNCTION catalog_words(t text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT w FROM regexp_split_to_table(lower(coalesce(t, '')), '[^a-z]+') AS w WHERE length(w) BETWEEN 3 AND 40
$$;

-- Index expressions: `SET search_path FROM CURRENT` so that a dump restored with an empty
-- search_path still finds the helper functions they call.
CREATE OR REPLACE FUNCTION catalog_supplier_vector(name_en text, name_zh text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 SET search_path FROM CURRENT AS $$
  SELECT catalog_text_vector(name_en, name_zh, 'A', true)
$$;

CREATE OR REPLACE FUNCTION catalog_products_vector(products text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 SET search_path FROM CURRENT AS $$
  SELECT catalog_text_vector(products, products, 'A')
$$;

-- The public listings matching a text query, at most `cap` of them, with the columns filters,
-- facets and sorts need (and the relevance rank when asked). Only bitmap scans of the GIN index
-- are allowed: for LIMIT the planner likes a sequential or index scan "until enough rows
-- match", which reads the whole table when few do (two common words that rarely meet).
CREATE OR REPLACE FUNCTION catalog_listing_matches(q tsquery, cap integer, with_rank boolean DEFAULT false)
RETURNS TABLE (id bigint, supplier_id bigint, belt_id bigint, category_id bigint, level_rank smallint,
               province varchar, sample_available boolean, moq integer, price_from numeric,
               currency varchar, created_at timestamptz, rank double precision)
LANGUAGE sql STABLE ROWS 1000 SET enable_seqscan = off SET enable_indexscan = off AS $$
  SELECT l.id, l.supplier_id, l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available,
         l.moq, l.price_from, l.currency, l.created_at,
         CASE WHEN with_rank THEN ts_rank(l.search_vector, q)::float8 * (1.0 + 0.05 * l.level_rank)::float8 END
    FROM catalog_listing l
   WHERE l.search_vector @@ q AND l.is_public
   LIMIT cap
$$;

CREATE OR REPLACE FUNCTION catalog_supplier_has_match(q tsquery) RETURNS boolean
LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT EXISTS (SELECT 1 FROM suppliers_supplier s WHERE catalog_supplier_vector(s.name_en, s.name_zh) @@ q)
$$;
"""

VOCABULARY = """
CREATE TABLE catalog_searchword (
  word varchar(40) NOT NULL,
  ndoc integer NOT NULL DEFAULT 1
);
CREATE INDEX catalog_searchword_word ON catalog_searchword (word);
CREATE INDEX catalog_searchword_trgm ON catalog_searchword USING gin (word gin_trgm_ops);
"""

LISTING_TRIGGER = """
CREATE OR REPLACE FUNCTION catalog_listing_denormalise() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  sup record;
  cat record;
  site_province text;
BEGIN
  -- rebuild_denormalised() writes every column itself, set-based.
  IF current_setting('catalog.rebuilding', true) = 'on' THEN
    RETURN NEW;
  END IF;
  SELECT s.status, s.certification_level, s.certified_until, s.belt_id, s.province,
         s.name_en, s.name_zh, b.name_en AS belt_en, b.name_zh AS belt_zh, b.province AS belt_province
    INTO sup
    FROM suppliers_supplier s LEFT JOIN catalog_belt b ON b.id = s.belt_id
   WHERE s.id = NEW.supplier_id;
  IF NEW.production_site_id IS NOT NULL THEN
    SELECT province INTO site_province FROM suppliers_productionsite WHERE id = NEW.production_site_id;
  END IF;
  -- The cheap columns are always recomputed: a stale model instance saved by the ORM writes
  -- them back with old values.
  NEW.is_public := catalog_listing_is_public(NEW.status, sup.status, sup.certification_level, sup.certified_until);
  NEW.belt_id := sup.belt_id;
  NEW.level_rank := catalog_level_rank(sup.certification_level);
  NEW.province := coalesce(nullif(site_province, ''), nullif(sup.province, ''), sup.belt_province, '');
  NEW.price_from := (SELECT min(unit_price) FROM catalog_pricetier WHERE listing_id = NEW.id);
  -- The search vector only when something it is made of changed (or someone cleared it: the
  -- supplier, category and belt triggers do, when a name changes).
  IF TG_OP = 'UPDATE'
     AND NEW.search_vector IS NOT NULL
     AND NEW.search_vector = OLD.search_vector
     AND (NEW.title_en, NEW.title_zh, NEW.description_en, NEW.description_zh, NEW.customisation_en,
          NEW.customisation_zh, NEW.specifications, NEW.sku, NEW.category_id, NEW.supplier_id)
         IS NOT DISTINCT FROM
         (OLD.title_en, OLD.title_zh, OLD.description_en, OLD.description_zh, OLD.customisation_en,
          OLD.customisation_zh, OLD.specifications, OLD.sku, OLD.category_id, OLD.supplier_id)
     AND NOT (NEW.is_public AND NOT OLD.is_public) THEN
    RETURN NEW;
  END IF;
  SELECT concat_ws(' ', c.name_en, p.name_en) AS en, concat_ws(' ', c.name_zh, p.name_zh) AS zh
    INTO cat
    FROM catalog_category c LEFT JOIN catalog_category p ON p.id = c.parent_id
   WHERE c.id = NEW.category_id;
  NEW.search_vector := catalog_listing_vector(
      NEW.title_en, NEW.title_zh, NEW.description_en, NEW.description_zh, NEW.customisation_en,
      NEW.customisation_zh, NEW.specifications, NEW.sku)
    || catalog_names_vector(concat_ws(' ', sup.name_en, sup.belt_en), concat_ws(' ', sup.name_zh, sup.belt_zh))
    || catalog_names_vector(cat.en, cat.zh);
  IF NEW.is_public THEN
    PERFORM catalog_add_words(concat_ws(' ', NEW.title_en, NEW.customisation_en));
  END IF;
  RETURN NEW;
END
$$;

-- Words of names a search may misspell: certified suppliers, belts, categories (listing words
-- come with the listing trigger above).
CREATE OR REPLACE FUNCTION catalog_add_words(t text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO catalog_searchword (word)
  SELECT w FROM catalog_words(t) AS w WHERE NOT EXISTS (SELECT 1 FROM catalog_searchword v WHERE v.word = w)
$$;

CREATE OR REPLACE FUNCTION catalog_name_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'suppliers_supplier' THEN
    IF NEW.status = 'certified' THEN
      PERFORM catalog_add_words(NEW.name_en);
    END IF;
  ELSIF TG_TABLE_NAME = 'catalog_belt' THEN
    PERFORM catalog_add_words(concat_ws(' ', NEW.name_en, NEW.industry_en));
  ELSE
    PERFORM catalog_add_words(NEW.name_en);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_supplier_words AFTER INSERT OR UPDATE OF name_en, status ON suppliers_supplier
FOR EACH ROW EXECUTE FUNCTION catalog_name_words();
CREATE TRIGGER catalog_belt_words AFTER INSERT OR UPDATE OF name_en, industry_en ON catalog_belt
FOR EACH ROW EXECUTE FUNCTION catalog_name_words();
CREATE TRIGGER catalog_category_words AFTER INSERT OR UPDATE OF name_en ON catalog_category
FOR EACH ROW EXECUTE FUNCTION catalog_name_words();

CREATE TRIGGER catalog_listing_denormalise
BEFORE INSERT OR UPDATE ON catalog_listing
FOR EACH ROW EXECUTE FUNCTION catalog_listing_denormalise();

-- Price tiers: the lowest unit price (the listing trigger recomputes it on any touch).
CREATE OR REPLACE FUNCTION catalog_pricetier_touch_listing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE catalog_listing SET price_from = NULL WHERE id = OLD.listing_id;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.listing_id <> OLD.listing_id) THEN
    UPDATE catalog_listing SET price_from = NULL WHERE id = NEW.listing_id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_pricetier_touch_listing
AFTER INSERT OR UPDATE OR DELETE ON catalog_pricetier
FOR EACH ROW EXECUTE FUNCTION catalog_pricetier_touch_listing();

-- Suppliers: certification and province change what is public and where; names and belt
-- change the search vector too (cleared, so the listing trigger rebuilds it).
CREATE OR REPLACE FUNCTION catalog_supplier_touch_listings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name_en, NEW.name_zh, NEW.belt_id) IS DISTINCT FROM (OLD.name_en, OLD.name_zh, OLD.belt_id) THEN
    UPDATE catalog_listing SET search_vector = NULL WHERE supplier_id = NEW.id;
  ELSE
    UPDATE catalog_listing SET price_from = NULL WHERE supplier_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_supplier_touch_listings
AFTER UPDATE ON suppliers_supplier
FOR EACH ROW
WHEN ((NEW.status, NEW.certification_level, NEW.certified_until, NEW.belt_id, NEW.province, NEW.name_en, NEW.name_zh)
      IS DISTINCT FROM
      (OLD.status, OLD.certification_level, OLD.certified_until, OLD.belt_id, OLD.province, OLD.name_en, OLD.name_zh))
EXECUTE FUNCTION catalog_supplier_touch_listings();

-- Production sites: the listing's province.
CREATE OR REPLACE FUNCTION catalog_site_touch_listings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_listing SET price_from = NULL WHERE production_site_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_site_touch_listings
AFTER UPDATE ON suppliers_productionsite
FOR EACH ROW WHEN (NEW.province IS DISTINCT FROM OLD.province)
EXECUTE FUNCTION catalog_site_touch_listings();

-- Categories: their names (and their parent's) are in the vector of their listings and of
-- their children's listings.
CREATE OR REPLACE FUNCTION catalog_category_touch_listings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_listing SET search_vector = NULL
   WHERE category_id = NEW.id
      OR category_id IN (SELECT id FROM catalog_category WHERE parent_id = NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_category_touch_listings
AFTER UPDATE ON catalog_category
FOR EACH ROW
WHEN ((NEW.name_en, NEW.name_zh, NEW.parent_id) IS DISTINCT FROM (OLD.name_en, OLD.name_zh, OLD.parent_id))
EXECUTE FUNCTION catalog_category_touch_listings();

-- Belts: names in the vector, province as the last fallback of the listing's province.
CREATE OR REPLACE FUNCTION catalog_belt_touch_listings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_listing SET search_vector = NULL WHERE belt_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_belt_touch_listings
AFTER UPDATE ON catalog_belt
FOR EACH ROW
WHEN ((NEW.name_en, NEW.name_zh, NEW.province) IS DISTINCT FROM (OLD.name_en, OLD.name_zh, OLD.province))
EXECUTE FUNCTION catalog_belt_touch_listings();
"""

# One partial index per main query shape; all on the public rows only. The statistics target
# of the vector makes ANALYZE keep the ~5,000 most common lexemes (down to ~0.1 % of listings at
# a million rows): catalog.search reads them to keep common words away from the GIN bitmap.
INDEXES = """
ALTER TABLE catalog_listing ALTER COLUMN search_vector SET STATISTICS 1000;
CREATE INDEX listing_public_newest_idx ON catalog_listing (created_at DESC, id DESC) WHERE is_public;
CREATE INDEX listing_public_belt_newest_idx ON catalog_listing (belt_id, created_at DESC, id DESC) WHERE is_public;
CREATE INDEX listing_public_category_newest_idx ON catalog_listing (category_id, created_at DESC, id DESC) WHERE is_public;
CREATE INDEX listing_public_province_newest_idx ON catalog_listing (province, created_at DESC, id DESC) WHERE is_public;
CREATE INDEX listing_public_quality_idx ON catalog_listing (level_rank DESC, created_at DESC, id DESC) WHERE is_public;
CREATE INDEX listing_public_price_idx ON catalog_listing ((coalesce(price_from, 9999999999.99)), id) WHERE is_public;
CREATE INDEX listing_public_moq_idx ON catalog_listing (moq, id) WHERE is_public;
CREATE INDEX listing_public_belt_price_idx ON catalog_listing (belt_id, (coalesce(price_from, 9999999999.99)), id)
  WHERE is_public;
CREATE INDEX listing_public_belt_moq_idx ON catalog_listing (belt_id, moq, id) WHERE is_public;
-- The public query leaves out suppliers whose certification lapsed: a short list, by index.
CREATE INDEX catalog_supplier_lapse_idx ON suppliers_supplier (certified_until) WHERE status = 'certified';
CREATE INDEX catalog_supplier_name_search ON suppliers_supplier USING gin (catalog_supplier_vector(name_en, name_zh));
CREATE INDEX catalog_site_products_search ON suppliers_productionsite USING gin (catalog_products_vector(products));
"""

REVERSE = """
ALTER TABLE catalog_listing ALTER COLUMN search_vector SET STATISTICS -1;
DROP INDEX IF EXISTS catalog_site_products_search;
DROP INDEX IF EXISTS catalog_supplier_name_search;
DROP INDEX IF EXISTS catalog_supplier_lapse_idx;
DROP INDEX IF EXISTS listing_public_belt_moq_idx;
DROP INDEX IF EXISTS listing_public_belt_price_idx;
DROP INDEX IF EXISTS listing_public_moq_idx;
DROP INDEX IF EXISTS listing_public_price_idx;
DROP INDEX IF EXISTS listing_public_quality_idx;
DROP INDEX IF EXISTS listing_public_province_newest_idx;
DROP INDEX IF EXISTS listing_public_category_newest_idx;
DROP INDEX IF EXISTS listing_public_belt_newest_idx;
DROP INDEX IF EXISTS listing_public_newest_idx;
DROP TRIGGER IF EXISTS catalog_category_words ON catalog_category;
DROP TRIGGER IF EXISTS catalog_belt_words ON catalog_belt;
DROP TRIGGER IF EXISTS catalog_supplier_words ON suppliers_supplier;
DROP FUNCTION IF EXISTS catalog_name_words();
DROP FUNCTION IF EXISTS catalog_add_words(text);
DROP TRIGGER IF EXISTS catalog_belt_touch_listings ON catalog_belt;
DROP TRIGGER IF EXISTS catalog_category_touch_listings ON catalog_category;
DROP TRIGGER IF EXISTS catalog_site_touch_listings ON suppliers_productionsite;
DROP TRIGGER IF EXISTS catalog_supplier_touch_listings ON suppliers_supplier;
DROP TRIGGER IF EXISTS catalog_pricetier_touch_listing ON catalog_pricetier;
DROP TRIGGER IF EXISTS catalog_listing_denormalise ON catalog_listing;
DROP FUNCTION IF EXISTS catalog_belt_touch_listings();
DROP FUNCTION IF EXISTS catalog_category_touch_listings();
DROP FUNCTION IF EXISTS catalog_site_touch_listings();
DROP FUNCTION IF EXISTS catalog_supplier_touch_listings();
DROP FUNCTION IF EXISTS catalog_pricetier_touch_listing();
DROP FUNCTION IF EXISTS catalog_listing_denormalise();
DROP TABLE IF EXISTS catalog_searchword;
DROP FUNCTION IF EXISTS catalog_supplier_has_match(tsquery);
DROP FUNCTION IF EXISTS catalog_listing_matches(tsquery, integer, boolean);
DROP FUNCTION IF EXISTS catalog_products_vector(text);
DROP FUNCTION IF EXISTS catalog_supplier_vector(text, text);
DROP FUNCTION IF EXISTS catalog_words(text);
DROP FUNCTION IF EXISTS catalog_listing_is_public(text, text, text, date);
DROP FUNCTION IF EXISTS catalog_level_rank(text);
DROP FUNCTION IF EXISTS catalog_names_vector(text, text);
DROP FUNCTION IF EXISTS catalog_listing_vector(text, text, text, text, text, text, jsonb, text);
DROP FUNCTION IF EXISTS catalog_text_vector(text, text, "char", boolean);
DROP FUNCTION IF EXISTS catalog_cjk_chars(text);
DROP FUNCTION IF EXISTS catalog_cjk_bigrams(text);
"""


def _rebuild(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Fill the columns for rows that exist already (the demo world, an older database)."""
    from catalog.search import rebuild_denormalised

    # The tables as named at this point of the history (belts 0001 renames them later).
    rebuild_denormalised(
        using=schema_editor.connection.alias,
        belt_table="catalog_belt",
        category_table="catalog_category",
        with_origin=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_listing_trade_fields_variants_imports"),
        ("suppliers", "0003_supplierevent_immutable"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS + VOCABULARY + LISTING_TRIGGER + INDEXES, REVERSE),
        migrations.RunPython(_rebuild, migrations.RunPython.noop),
    ]
