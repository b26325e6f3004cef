"""The certified-origin mark becomes a column of the listing, copied by the listing trigger from its
production site's `confers_origin` (which `suppliers.badges` decides); a change of the site's
column touches its listings, as a change of its province did."""

from django.db import migrations, models

SITE_READ = "SELECT province INTO site_province FROM suppliers_productionsite WHERE id = NEW.production_site_id;"
SITE_READ_WITH_ORIGIN = (
    "SELECT province, confers_origin AND supplier_id = NEW.supplier_id INTO site_province, site_origin "
    "FROM suppliers_productionsite WHERE id = NEW.production_site_id;"
)
DECLARE = "  site_province text;\n"
DECLARE_WITH_ORIGIN = "  site_province text;\n  site_origin boolean;\n"
ASSIGN = "  NEW.belt_id := sup.belt_id;\n"
ASSIGN_WITH_ORIGIN = "  NEW.belt_id := sup.belt_id;\n  NEW.origin_mark := coalesce(site_origin, false);\n"

SITE_TRIGGER = """
DROP TRIGGER IF EXISTS catalog_site_touch_listings ON suppliers_productionsite;
CREATE TRIGGER catalog_site_touch_listings
AFTER UPDATE ON suppliers_productionsite
FOR EACH ROW WHEN ((NEW.province, NEW.confers_origin) IS DISTINCT FROM (OLD.province, OLD.confers_origin))
EXECUTE FUNCTION catalog_site_touch_listings();
"""
SITE_TRIGGER_BACK = """
DROP TRIGGER IF EXISTS catalog_site_touch_listings ON suppliers_productionsite;
CREATE TRIGGER catalog_site_touch_listings
AFTER UPDATE ON suppliers_productionsite
FOR EACH ROW WHEN (NEW.province IS DISTINCT FROM OLD.province)
EXECUTE FUNCTION catalog_site_touch_listings();
"""


# The text-match function returns the columns the filters read: the mark joins them.
MATCHES = """
DROP FUNCTION IF EXISTS catalog_listing_matches(tsquery, integer, boolean);
CREATE FUNCTION catalog_listing_matches(q tsquery, cap integer, with_rank boolean DEFAULT false)
RETURNS TABLE (id bigint, supplier_id bigint, belt_id bigint, category_id bigint, level_rank smallint,
               province varchar, sample_available boolean, moq integer, price_from numeric,
               currency varchar, created_at timestamptz, rank double precision{extra_type})
LANGUAGE sql STABLE ROWS 1000 SET enable_seqscan = off SET enable_indexscan = off AS $$
  SELECT l.id, l.supplier_id, l.belt_id, l.category_id, l.level_rank, l.province, l.sample_available,
         l.moq, l.price_from, l.currency, l.created_at,
         CASE WHEN with_rank THEN ts_rank(l.search_vector, q)::float8 * (1.0 + 0.05 * l.level_rank)::float8 END{extra}
    FROM catalog_listing l
   WHERE l.search_vector @@ q AND l.is_public
   LIMIT cap
$$;
"""


def _rewrite(schema_editor, pairs):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('catalog_listing_denormalise()'::regprocedure)")
        (definition,) = cursor.fetchone()
        for old, new in pairs:
            if old not in definition:
                raise RuntimeError(f"catalog_listing_denormalise() no longer reads as expected: {old!r}")
            definition = definition.replace(old, new, 1)
        cursor.execute(definition)


def forwards(apps, schema_editor):
    _rewrite(schema_editor, [(DECLARE, DECLARE_WITH_ORIGIN), (SITE_READ, SITE_READ_WITH_ORIGIN), (ASSIGN, ASSIGN_WITH_ORIGIN)])


def backwards(apps, schema_editor):
    _rewrite(schema_editor, [(ASSIGN_WITH_ORIGIN, ASSIGN), (SITE_READ_WITH_ORIGIN, SITE_READ), (DECLARE_WITH_ORIGIN, DECLARE)])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_belts_app"),
        ("suppliers", "0007_badges"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="origin_mark",
            field=models.BooleanField(default=False, editable=False, verbose_name="certified origin"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunSQL(SITE_TRIGGER, SITE_TRIGGER_BACK),
        migrations.RunSQL(
            MATCHES.format(extra_type=", origin_mark boolean", extra=",\n         l.origin_mark"),
            MATCHES.format(extra_type="", extra=""),
        ),
        migrations.RunSQL(
            "CREATE INDEX listing_public_origin_idx ON catalog_listing (level_rank DESC, created_at DESC, id DESC) "
            "WHERE is_public AND origin_mark;",
            "DROP INDEX IF EXISTS listing_public_origin_idx;",
        ),
    ]
