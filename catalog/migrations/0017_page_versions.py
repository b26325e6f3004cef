"""Page versions (marketplace.pagecache): a change to a listing, its tiers, variants or
pictures bumps the pages of its belt."""

from django.db import migrations

from marketplace.pagecache.sql import bump_triggers

SEARCH = "SELECT 'search' FROM changed LIMIT 1"
OF_LISTING = """
SELECT DISTINCT 'belt:' || b.slug FROM changed r
JOIN catalog_listing l ON l.id = r.listing_id JOIN belts_belt b ON b.id = l.belt_id
"""

# A listing and what hangs on it bump its belt's pages; the search's vocabulary and synonyms bump
# the search pages only.
SCOPES = {
    "catalog_listing": "SELECT DISTINCT 'belt:' || b.slug FROM changed r JOIN belts_belt b ON b.id = r.belt_id",
    "catalog_pricetier": OF_LISTING,
    "catalog_listingvariant": OF_LISTING,
    "catalog_listingimage": OF_LISTING,
    "catalog_beltfigures": "SELECT DISTINCT 'belt:' || b.slug FROM changed r JOIN belts_belt b ON b.id = r.belt_id",
    "catalog_searchsynonym": SEARCH,
    "catalog_searchword": SEARCH,
}

TRIGGERS = [bump_triggers(table, select) for table, select in SCOPES.items()]


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0016_searchsynonym_updated_by_label"),
        ("pagecache", "0001_initial"),
    ]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
