"""SQL of the page cache's versions: the bump function, and the triggers an app declares on its
own tables so that a change to what a public page shows bumps the scopes of those pages when the
change commits.

A trigger here is statement-level with transition tables: an import of thousands of rows bumps
each scope it touched once, in the same transaction as the rows.
"""

BUMP_FUNCTION = """
CREATE SEQUENCE pagecache_version_seq;

-- The scopes a transaction changed, bumped when it commits. Rows live only inside their own
-- transaction (the flush deletes them), so nothing here needs to survive a crash.
CREATE UNLOGGED TABLE pagecache_pending (
    txid bigint NOT NULL,
    scope text NOT NULL,
    PRIMARY KEY (txid, scope)
);

-- Gives this transaction's pending scopes new versions from the sequence, in sorted order, so two
-- committing transactions never deadlock on them. Runs once per transaction: later calls find
-- nothing pending.
CREATE FUNCTION pagecache_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH mine AS (DELETE FROM pagecache_pending WHERE txid = txid_current() RETURNING scope)
    INSERT INTO pagecache_pageversion AS v (scope, version)
    SELECT m.scope, nextval('pagecache_version_seq')
    FROM (SELECT DISTINCT scope FROM mine ORDER BY scope) m
    ON CONFLICT (scope) DO UPDATE SET version = nextval('pagecache_version_seq');
    RETURN NULL;
END $$;

-- At commit, not at the change: a version row is locked only while its transaction commits, so
-- writers in one belt (checkouts, imports) do not queue behind each other's version lock.
CREATE CONSTRAINT TRIGGER pagecache_pending_flush AFTER INSERT ON pagecache_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pagecache_flush();

-- Marks `scopes` changed by this transaction. With the setting pagecache.immediate = 'on' (test
-- connections, whose transactions are rolled back, never committed) the versions change at once.
CREATE FUNCTION pagecache_bump(scopes text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(scopes), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO pagecache_pending (txid, scope)
    SELECT txid_current(), s FROM unnest(scopes) s WHERE s IS NOT NULL
    ON CONFLICT DO NOTHING;
    IF current_setting('pagecache.immediate', true) = 'on' THEN
        SET CONSTRAINTS pagecache_pending_flush IMMEDIATE;
        SET CONSTRAINTS pagecache_pending_flush DEFERRED;
    END IF;
END $$;
"""

DROP_BUMP_FUNCTION = """
DROP FUNCTION IF EXISTS pagecache_bump(text[]);
DROP TABLE IF EXISTS pagecache_pending;
DROP FUNCTION IF EXISTS pagecache_flush();
DROP SEQUENCE IF EXISTS pagecache_version_seq;
"""


TRIGGERS = """
CREATE FUNCTION pagecache___TABLE___bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pagecache_bump(ARRAY(WITH changed AS (SELECT * FROM new_rows) __SCOPES__));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM pagecache_bump(ARRAY(
            WITH changed AS (SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows) __SCOPES__
        ));
    ELSE
        PERFORM pagecache_bump(ARRAY(WITH changed AS (SELECT * FROM old_rows) __SCOPES__));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER __TABLE___pages_insert AFTER INSERT ON __TABLE__
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pagecache___TABLE___bump();
CREATE TRIGGER __TABLE___pages_update AFTER UPDATE ON __TABLE__
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pagecache___TABLE___bump();
CREATE TRIGGER __TABLE___pages_delete AFTER DELETE ON __TABLE__
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pagecache___TABLE___bump();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS __TABLE___pages_insert ON __TABLE__;
DROP TRIGGER IF EXISTS __TABLE___pages_update ON __TABLE__;
DROP TRIGGER IF EXISTS __TABLE___pages_delete ON __TABLE__;
DROP FUNCTION IF EXISTS pagecache___TABLE___bump();
"""


def bump_triggers(table: str, scopes_select: str) -> tuple[str, str]:
    """SQL creating and dropping the three triggers that bump the scopes of `table`'s changed rows.

    `scopes_select` is a SELECT of one text column (the scope names) over `changed r`, the rows
    inserted, deleted, or updated (old and new versions both, so a row moved between belts bumps
    both belts)."""
    create = TRIGGERS.replace("__SCOPES__", scopes_select.strip()).replace("__TABLE__", table)
    return create, DROP_TRIGGERS.replace("__TABLE__", table)
