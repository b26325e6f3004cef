"""`marketplace.devstack`, the supervisor behind `make run` and `make test`."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection
from psycopg2 import sql

from marketplace.devstack import create_database_if_missing
from tests import databases


def _exec(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marketplace.devstack", "exec", "--", *argv],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_exec_does_not_leak_the_default_settings_module_to_the_command(db):
    """Importing `marketplace` sets a settings default; pytest under `make test` must not inherit it."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/unused"  # given, so no embedded server starts
    code = "import os; print(os.environ.get('DJANGO_SETTINGS_MODULE'))"
    result = _exec(sys.executable, "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_exec_passes_on_a_settings_module_the_caller_chose(db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": "postgres://x@127.0.0.1:1/y",
    }
    result = _exec(sys.executable, "-c", "import os; print(os.environ['DJANGO_SETTINGS_MODULE'])", env=env)
    assert result.stdout.strip() == "marketplace.settings.test"


def test_exec_returns_the_command_exit_code(db):
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unused"}
    assert _exec(sys.executable, "-c", "raise SystemExit(3)", env=env).returncode == 3


def test_a_missing_database_on_a_given_server_is_created(db):
    db_settings = connection.settings_dict
    # Named after this run's test database: xdist workers, and other checkouts on the same server, each probe their own.
    name = f"{db_settings['NAME']}_devstack_probe"
    admin = databases.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    url = databases.database_url(name)
    try:
        create_database_if_missing(url)
        create_database_if_missing(url)  # twice: the second finds it
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone() == (1,)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()
