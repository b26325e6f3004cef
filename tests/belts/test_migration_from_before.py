"""An existing database migrates in place when Belt and Category move to the belts app.

A database is filled by the code as it was before the move (its own migrations, its demo world
and a generated catalog), then the current migrations run on it. Every table keeps its rows
(the two moved tables under their new names), a sample of rows table by table reads the same,
and the content types, permissions and admin log entries of the moved models follow them.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import pytest

from tests import databases

REPO = Path(__file__).resolve().parents[2]
# The last commit of main with Belt and Category in the catalog app.
BEFORE = "61ed1d8"
RENAMED = {"catalog_belt": "belts_belt", "catalog_category": "belts_category"}
SAMPLE_ROWS = 50
# The one column the move rewrites (checked on its own below).
MOVED_COLUMNS = {("django_content_type", "app_label")}
# Tables that later migrations may add rows to (the content types and permissions of new models):
# their rows from before are still there, first by id.
GROWING = {"django_content_type", "auth_permission"}

pytestmark = pytest.mark.migration


def _source_before(target: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", BEFORE], capture_output=True, check=False
    )
    if archive.returncode:
        pytest.fail(f"git cannot read commit {BEFORE} (a shallow clone?): {archive.stderr.decode()[:300]}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _manage(source: Path, database: str, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": databases.database_url(database),
        "REDIS_URL": "",
        "DJANGO_MEDIA_ROOT": str(source / "var" / "media"),
        "PYTHONPATH": str(source),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=marketplace.settings.test"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed in {source}:\n{result.stderr[-3000:]}"


def _tables(cursor) -> list[str]:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _snapshot(cursor, table: str, limit: int = SAMPLE_ROWS) -> tuple[int, list[str], dict[str, list]]:  # type: ignore[no-untyped-def]
    """(row count, column names, {column: its values in the first rows by key, as text}) of a table."""
    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names read from pg_tables)
    (count,) = cursor.fetchone()
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    columns = [name for (name,) in cursor.fetchall()]
    order = f'"{table}"."id"' if "id" in columns else "1"  # the key, not its text
    digests = {}
    for column in columns:
        sql = f'SELECT "{column}"::text FROM "{table}" ORDER BY {order}, 1 LIMIT {limit}'  # noqa: S608
        cursor.execute(sql)
        digests[column] = [value for (value,) in cursor.fetchall()]
    return count, columns, digests


@pytest.fixture
def database_before(tmp_path):  # type: ignore[no-untyped-def]
    name = f"mkt_migrate_{uuid.uuid4().hex[:10]}"
    admin = databases.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_database_filled_before_the_move_migrates_without_losing_a_row(database_before, tmp_path):
    old = _source_before(tmp_path / "before")
    _manage(old, database_before, "migrate", "--no-input")
    _manage(old, database_before, "seed_demo", "--quiet")
    _manage(old, database_before, "generate_catalog", "--listings", "2000", "--suppliers", "40", "--no-vacuum")

    connection = databases.connect(database_before)
    connection.autocommit = True
    with connection.cursor() as cursor:
        # An admin's change to a belt, logged as Django admin logs it.
        cursor.execute(
            "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, change_message, "
            "content_type_id, user_id) SELECT now(), b.id::text, b.name_en, 2, '[]', ct.id, "
            "(SELECT min(id) FROM accounts_user) FROM catalog_belt b, django_content_type ct "
            "WHERE ct.app_label = 'catalog' AND ct.model = 'belt' ORDER BY b.id LIMIT 1 RETURNING id, content_type_id"
        )
        log_id, belt_type_id = cursor.fetchone()
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        types_before = [
            (pk, "belts" if (app, model) in {("catalog", "belt"), ("catalog", "category")} else app, model)
            for pk, app, model in cursor.fetchall()
        ]
        cursor.execute("SELECT count(*) FROM auth_permission WHERE content_type_id = %s", [belt_type_id])
        (belt_permissions,) = cursor.fetchone()
        before = {table: _snapshot(cursor, table) for table in _tables(cursor) if table != "django_migrations"}
    assert before["catalog_listing"][0] >= 2000 and before["catalog_belt"][0] > 0

    # Up to the move itself (catalog 0010 depends on the other apps' parts of it): a migration
    # added later, such as a new model's table and its four permissions, is not the move's doing.
    _manage(REPO, database_before, "migrate", "catalog", "0010_belts_app", "--no-input")

    with connection.cursor() as cursor:
        after_tables = set(_tables(cursor))
        for table, (count, columns, digests) in before.items():
            new_name = RENAMED.get(table, table)
            assert new_name in after_tables, f"{table} is gone"
            new_count, new_columns, new_digests = _snapshot(cursor, new_name, min(count, SAMPLE_ROWS))
            if table in GROWING:
                assert new_count >= count, f"{table}: {count} rows before, {new_count} after"
            else:
                assert new_count == count, f"{table}: {count} rows before, {new_count} after"
            for column in columns:
                assert column in new_columns, f"{table}.{column} is gone"
                if (table, column) not in MOVED_COLUMNS:
                    assert new_digests[column] == digests[column], f"{table}.{column} reads differently"
        assert not {"catalog_belt", "catalog_category"} & after_tables

        cursor.execute(
            "SELECT ct.app_label, ct.model FROM django_admin_log l JOIN django_content_type ct "
            "ON ct.id = l.content_type_id WHERE l.id = %s",
            [log_id],
        )
        assert cursor.fetchone() == ("belts", "belt")
        cursor.execute("SELECT count(*) FROM auth_permission WHERE content_type_id = %s", [belt_type_id])
        assert cursor.fetchone() == (belt_permissions,)
        cursor.execute(
            "SELECT count(*) FROM django_content_type WHERE app_label = 'catalog' AND model IN ('belt', 'category')"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT id, app_label, model FROM django_content_type WHERE id <= %s ORDER BY id", [max(types_before)[0]]
        )
        assert cursor.fetchall() == types_before

        # The catalog's triggers read the renamed tables: a belt's new name reaches its listings.
        cursor.execute(
            "SELECT id, search_vector::text, belt_id FROM catalog_listing WHERE is_public ORDER BY id LIMIT 1"
        )
        listing_id, vector, belt_id = cursor.fetchone()
        cursor.execute("UPDATE belts_belt SET name_en = 'Zanzibarish' WHERE id = %s", [belt_id])
        cursor.execute("SELECT search_vector::text FROM catalog_listing WHERE id = %s", [listing_id])
        (new_vector,) = cursor.fetchone()
        assert new_vector != vector and "zanzibarish" in new_vector
    connection.close()
