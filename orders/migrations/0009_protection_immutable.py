from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION orders_protection_record_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are a record of money: they cannot be changed or deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_ledgerentry_immutable
    BEFORE UPDATE OR DELETE ON orders_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION orders_protection_record_immutable();

CREATE TRIGGER orders_protectionevent_immutable
    BEFORE UPDATE OR DELETE ON orders_protectionevent
    FOR EACH ROW EXECUTE FUNCTION orders_protection_record_immutable();
"""

ALLOW = """
DROP TRIGGER IF EXISTS orders_ledgerentry_immutable ON orders_ledgerentry;
DROP TRIGGER IF EXISTS orders_protectionevent_immutable ON orders_protectionevent;
DROP FUNCTION IF EXISTS orders_protection_record_immutable();
"""


class Migration(migrations.Migration):
    """Ledger lines and protection events are written once: PostgreSQL refuses UPDATE and DELETE of
    a row, even by staff through the admin (TRUNCATE, what a test database flush uses, still works).
    A mistaken movement is corrected by a new movement, never by an edit."""

    dependencies = [("orders", "0008_protection")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
