"""Database backups: a pg_dump archive (custom format) in BACKUP_BUCKET, or BACKUP_DIR while no
bucket is set, of which the newest BACKUP_KEEP are kept. Restoring is docs/operations.md, "Backups"."""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connections
from django.utils import timezone

from .pgtools import connection_args, pg_binary, run, server_major

logger = logging.getLogger(__name__)

FOLDER = "postgres"
SUFFIX = ".dump"
# A dump of a large catalog takes minutes; one that hangs must not hold a worker for ever.
DUMP_TIMEOUT = 3 * 60 * 60


def backup_storage() -> Storage:
    """Where backups are kept: the backup bucket, else the local folder."""
    if settings.BACKUP_BUCKET:
        from marketplace.storage.buckets import backup_bucket_storage

        return backup_bucket_storage()
    return FileSystemStorage(location=settings.BACKUP_DIR, base_url=None)


def backup_list(storage: Storage | None = None) -> list[str]:
    """Names of the kept backups, oldest first (names start with their UTC time, so they sort)."""
    storage = storage or backup_storage()
    try:
        _, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(f"{FOLDER}/{name}" for name in files if name.endswith(SUFFIX))


def database_dump(path: Path, *, alias: str = "default") -> None:
    """Write a custom-format pg_dump archive of database `alias` to `path`, with the pg_dump of the
    server's major version (marketplace.backups.pgtools)."""
    args, env = connection_args(alias)
    binary = pg_binary("pg_dump", server_major(alias))
    run([binary, "--format=custom", "--compress=6", f"--file={path}", *args], env, timeout=DUMP_TIMEOUT)


def database_backup(*, alias: str = "default") -> str:
    """Dump the database, store the archive, then delete all but the newest BACKUP_KEEP; the stored
    name. Safe to run twice: each run keeps its own archive, and the pruning keeps the newest."""
    storage = backup_storage()
    database = connections[alias].settings_dict["NAME"]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix="backup-") as folder:
        dump = Path(folder) / f"{database}{SUFFIX}"
        database_dump(dump, alias=alias)
        with dump.open("rb") as handle:
            name = storage.save(f"{FOLDER}/{stamp}-{database}{SUFFIX}", File(handle))
        size = dump.stat().st_size
    logger.info("database backup %s stored (%s bytes)", name, size)
    backup_prune(storage=storage, keep=settings.BACKUP_KEEP)
    return name


def backup_prune(*, storage: Storage | None = None, keep: int) -> list[str]:
    """Delete all backups but the newest `keep`; the names deleted."""
    storage = storage or backup_storage()
    names = backup_list(storage)
    old = names[: max(len(names) - keep, 0)]
    for name in old:
        storage.delete(name)
        logger.info("old database backup %s deleted", name)
    return old


def backup_download(name: str, target: Path) -> None:
    """Copy the stored backup `name` to the local file `target` (the first step of a restore)."""
    with backup_storage().open(name, "rb") as source, target.open("wb") as out:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            out.write(chunk)
