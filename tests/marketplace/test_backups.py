"""Database backups: the restore drill, retention, and the choice of pg_dump/pg_restore.

The drill is the procedure of docs/operations.md ("Backups") run for real: dump this run's test
database with the pg_dump of its server's major version, store it in the backup bucket (moto's S3
on loopback), fetch it back, pg_restore it into a new database, and compare every table's rows.
"""

import logging
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.backups.pgtools import PgToolMissing, connection_args, pg_binary, run, server_major
from marketplace.backups.services import backup_download, backup_list, database_backup
from tests import factories as f
from tests.databases import connect


def _row_counts(conn) -> dict[str, int]:
    """Rows of every table of the public schema, by name."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names read from the catalog)
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_restore_drill_a_backup_from_the_bucket_restores_every_row_into_a_new_database(
    object_storage, settings, tmp_path
):
    """Rows committed (a supplier, listings, a buyer), then: backup to the bucket → download →
    pg_restore into a new database → the same tables with the same number of rows each."""
    f.ListingFactory.create_batch(3)
    f.BuyerMemberFactory()
    name = database_backup()
    assert name.startswith("postgres/") and name.endswith(".dump")
    assert object_storage.keys(object_storage.backup_bucket) == [name]

    archive = tmp_path / "restore.dump"
    backup_download(name, archive)
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    target = f"{connection.settings_dict['NAME']}_drill"
    admin = connect("postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
            cursor.execute(f'CREATE DATABASE "{target}"')
        args, env = connection_args(name=target)
        restore = pg_binary("pg_restore", server_major())
        run([restore, "--no-owner", "--no-acl", "--exit-on-error", *args, str(archive)], env, timeout=600)

        source, restored = connect(), connect(target)
        try:
            expected, got = _row_counts(source), _row_counts(restored)
        finally:
            source.close()
            restored.close()
        assert got == expected
        assert expected["catalog_listing"] == 3 and expected["django_migrations"] > 50
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db
def test_the_command_backs_up_to_the_local_folder_and_keeps_the_newest_n(settings, tmp_path):
    """Without BACKUP_BUCKET the archive goes to BACKUP_DIR; older archives past BACKUP_KEEP are
    deleted, oldest first; --list shows what is kept."""
    settings.BACKUP_BUCKET = ""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 2
    folder = settings.BACKUP_DIR / "postgres"
    folder.mkdir(parents=True)
    for stamp in ("20200101T000000Z", "20200102T000000Z", "20200103T000000Z"):
        (folder / f"{stamp}-old.dump").write_bytes(b"PGDMP old")
    (folder / "notes.txt").write_text("not a backup: left alone")

    call_command("backup_database", stdout=StringIO())
    kept = backup_list()
    assert len(kept) == 2
    assert kept[0] == "postgres/20200103T000000Z-old.dump"
    assert (settings.BACKUP_DIR / kept[1]).read_bytes()[:5] == b"PGDMP"
    assert (folder / "notes.txt").exists()
    listed = StringIO()
    call_command("backup_database", "--list", stdout=listed)
    assert listed.getvalue().split() == kept


def test_the_tools_of_the_servers_major_version_are_chosen_else_a_newer_one_else_a_clear_error(db, caplog):
    """pg_dump of the test server's major version when there is one; for an old server, the
    nearest newer pg_dump, logged; for a server newer than every pg_dump found, an error that says
    what was found and what to install."""
    major = server_major()
    found = pg_binary("pg_dump", major)
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
    assert f"(PostgreSQL) {major}." in version

    with caplog.at_level(logging.WARNING, logger="marketplace.backups.pgtools"):
        older = pg_binary("pg_dump", 9)
    assert "No pg_dump 9 found" in caplog.text and older in caplog.text

    with pytest.raises(PgToolMissing, match=r"No pg_restore of PostgreSQL 99 or newer\. Found: .*BACKUP_PG_BIN_DIR"):
        pg_binary("pg_restore", 99)


def test_the_backup_runs_every_night_in_the_beat(settings):
    """The beat queues the backup task daily."""
    entry = settings.CELERY_BEAT_SCHEDULE["database-backup"]
    assert entry["task"] == "marketplace.backups.tasks.database_backup_task"
    assert entry["schedule"].hour == {2}
