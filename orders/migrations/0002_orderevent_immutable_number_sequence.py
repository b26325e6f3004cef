from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION orders_orderevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'order events are an audit record: they cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_orderevent_immutable
    BEFORE UPDATE OR DELETE ON orders_orderevent
    FOR EACH ROW EXECUTE FUNCTION orders_orderevent_immutable();

CREATE SEQUENCE IF NOT EXISTS orders_order_number_seq;
"""

ALLOW = """
DROP TRIGGER IF EXISTS orders_orderevent_immutable ON orders_orderevent;
DROP FUNCTION IF EXISTS orders_orderevent_immutable();
DROP SEQUENCE IF EXISTS orders_order_number_seq;
"""


class Migration(migrations.Migration):
    """Order events are written once: PostgreSQL refuses UPDATE and DELETE of a row (TRUNCATE, what
    a test database flush uses, still works). Deleting an order would cascade into its events, so
    orders are PROTECTed from the other side and are never deleted.

    Order numbers ("PO-2026-000123") come from their own sequence: gap-tolerant, never reused,
    and taken without a lock (see orders.services.create.order_number_next).
    """

    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
