"""An index for a belt's live figures at a million listings.

The belt page and the home page count a belt's public listings, its categories and each featured
supplier's listings. With (belt, supplier, category) of the public rows in one partial index those
counts are index-only scans of the belt's range instead of reading its rows from the heap.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX listing_public_belt_figures_idx ON catalog_listing (belt_id, supplier_id, category_id) "
            "WHERE is_public;",
            "DROP INDEX IF EXISTS listing_public_belt_figures_idx;",
        ),
    ]
