"""A price tier written while `catalog.rebuilding` is on leaves its listing alone: the bulk writer
that set it (the listing import, the generator) recomputes its listings set-based before commit,
instead of one UPDATE of the listing per tier row."""

from django.db import migrations

TIER_TRIGGER = """
CREATE OR REPLACE FUNCTION catalog_pricetier_touch_listing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('catalog.rebuilding', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE catalog_listing SET price_from = NULL WHERE id = OLD.listing_id;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.listing_id <> OLD.listing_id) THEN
    UPDATE catalog_listing SET price_from = NULL WHERE id = NEW.listing_id;
  END IF;
  RETURN NULL;
END
$$;
"""

TIER_TRIGGER_BACK = """
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
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_search_synonyms")]

    operations = [migrations.RunSQL(TIER_TRIGGER, TIER_TRIGGER_BACK)]
