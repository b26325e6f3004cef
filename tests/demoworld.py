"""The demo world (`seed_demo`) for transactional tests, seeded once per test process.

Seeding takes about twenty seconds; a test that needs the world on committed rows (a browser test
against `live_server`) gets it from a snapshot instead: the first such test in a process seeds it
and keeps every table's rows (`COPY … TO STDOUT`, binary), every sequence's position and the files
the seed stored; each later one empties the tables and copies them back with triggers off (the rows
are exactly the seed's, derived columns and audit records included), sets the sequences and copies
the files into its own media folders. About a second instead of twenty.
"""

import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection


@dataclass
class _Snapshot:
    tables: dict[str, bytes] = field(default_factory=dict)
    sequences: list[tuple[str, int | None]] = field(default_factory=list)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="demo-world-")))


_snapshot: _Snapshot | None = None


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_migrations' "
        "ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _take() -> _Snapshot:
    snapshot = _Snapshot()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg2's own, for COPY
        for table in _tables(cursor):
            out = io.BytesIO()
            cursor.copy_expert(f"COPY {table} TO STDOUT (FORMAT binary)", out)
            snapshot.tables[table] = out.getvalue()
        cursor.execute(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences WHERE schemaname = 'public'"
        )
        snapshot.sequences = cursor.fetchall()
    for name, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        if Path(root).exists():
            shutil.copytree(root, snapshot.folder / name, dirs_exist_ok=True)
    return snapshot


def _restore(snapshot: _Snapshot) -> None:
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        tables = list(snapshot.tables)
        cursor.execute("SET session_replication_role = replica")  # no triggers, no foreign-key checks
        try:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            for table, data in snapshot.tables.items():
                if data:
                    cursor.copy_expert(f"COPY {table} FROM STDIN (FORMAT binary)", io.BytesIO(data))
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        for sequence, last_value in snapshot.sequences:
            if last_value is None:
                cursor.execute("SELECT setval(%s, 1, false)", (sequence,))
            else:
                cursor.execute("SELECT setval(%s, %s, true)", (sequence, last_value))
    ContentType.objects.clear_cache()  # the flush re-made them with other ids; the snapshot's are back
    for name, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        if (snapshot.folder / name).exists():
            shutil.copytree(snapshot.folder / name, root, dirs_exist_ok=True)


def seed_demo_world() -> None:
    """The demo world in this transactional test's database and media folders (see the module)."""
    global _snapshot
    if _snapshot is None:
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
        _snapshot = _take()
    else:
        _restore(_snapshot)
