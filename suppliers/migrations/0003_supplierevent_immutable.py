from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION suppliers_supplierevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'supplier events are an audit record: they cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER suppliers_supplierevent_immutable
    BEFORE UPDATE OR DELETE ON suppliers_supplierevent
    FOR EACH ROW EXECUTE FUNCTION suppliers_supplierevent_immutable();
"""

ALLOW = """
DROP TRIGGER IF EXISTS suppliers_supplierevent_immutable ON suppliers_supplierevent;
DROP FUNCTION IF EXISTS suppliers_supplierevent_immutable();
"""


class Migration(migrations.Migration):
    """Audit events are written once: PostgreSQL refuses UPDATE and DELETE of a row.

    TRUNCATE (what a test database flush uses) is not a row operation and still works.
    """

    dependencies = [("suppliers", "0002_onboarding_certification")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
