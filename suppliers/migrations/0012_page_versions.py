"""Page versions (marketplace.pagecache): a change to a supplier, its certification or its
figures bumps the pages of its belt."""

from django.db import migrations

from marketplace.pagecache.sql import bump_triggers

SITE = "SELECT 'site' FROM changed LIMIT 1"
OF_SUPPLIER = """
SELECT DISTINCT 'belt:' || b.slug FROM changed r
JOIN suppliers_supplier s ON s.id = r.supplier_id JOIN belts_belt b ON b.id = s.belt_id
"""
OF_CERTIFICATION = """
SELECT DISTINCT 'belt:' || b.slug FROM changed r JOIN suppliers_certification c ON c.id = r.certification_id
JOIN suppliers_supplier s ON s.id = c.supplier_id JOIN belts_belt b ON b.id = s.belt_id
"""

# What the supplier's profile, badges and its listings' pages show: a change bumps its belt's pages.
# The audit checklists are shared by belts: a change to one bumps every page.
SCOPES = {
    "suppliers_supplier": "SELECT DISTINCT 'belt:' || b.slug FROM changed r JOIN belts_belt b ON b.id = r.belt_id",
    "suppliers_certification": OF_SUPPLIER,
    "suppliers_productionsite": OF_SUPPLIER,
    "suppliers_supplierfigures": OF_SUPPLIER,
    "suppliers_supplier_main_categories": OF_SUPPLIER,
    "suppliers_evidenceitem": OF_CERTIFICATION,
    "suppliers_auditpointresult": OF_CERTIFICATION,
    "suppliers_auditchecklist": SITE,
    "suppliers_auditchecklistpoint": SITE,
    "suppliers_auditchecklist_belts": SITE,
}

TRIGGERS = [bump_triggers(table, select) for table, select in SCOPES.items()]


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0011_file_checks"),
        ("pagecache", "0001_initial"),
    ]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
