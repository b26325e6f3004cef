"""Page versions (marketplace.pagecache): a change to a belt or a category bumps the pages
that show it."""

from django.db import migrations

from marketplace.pagecache.sql import bump_triggers

SITE = "SELECT 'site' FROM changed LIMIT 1"

# A belt's own pages show it; every page shows the belts and categories (navigation, facets).
SCOPES = {
    "belts_belt": "SELECT 'belt:' || r.slug FROM changed r UNION SELECT 'site' FROM (SELECT 1 FROM changed LIMIT 1) one",
    "belts_category": SITE,
}

TRIGGERS = [bump_triggers(table, select) for table, select in SCOPES.items()]


class Migration(migrations.Migration):
    dependencies = [
        ("belts", "0001_initial"),
        ("pagecache", "0001_initial"),
    ]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
