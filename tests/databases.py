"""This run's PostgreSQL server as seen from outside Django's own connection: a worker process,
a second connection, another database on the same server.

The server is the one DATABASE_URL names over TCP, or the embedded server's Unix socket, whose
folder django-environ keeps in OPTIONS["host"] (HOST stays empty): read from both, never HOST
alone, or a worker would knock on the system's default socket instead.
"""

from typing import Any
from urllib.parse import quote

import psycopg2
from django.db import connection


def server_params() -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or db.get("OPTIONS", {}).get("host") or None,
        "port": db["PORT"] or db.get("OPTIONS", {}).get("port") or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }


def connect(name: str | None = None) -> Any:
    """A new psycopg2 connection to database `name` (default: this run's test database)."""
    return psycopg2.connect(dbname=name or connection.settings_dict["NAME"], **server_params())


def database_url(name: str | None = None) -> str:
    """DATABASE_URL for database `name` (default: this run's test database) on this server."""
    params = server_params()
    name = name or connection.settings_dict["NAME"]
    auth = quote(params["user"] or "postgres") + (":" + quote(params["password"]) if params["password"] else "")
    host, port = params["host"] or "", params["port"]
    if host.startswith("/"):  # a socket folder
        return f"postgres://{auth}@/{name}?host={quote(host)}" + (f"&port={port}" if port else "")
    return f"postgres://{auth}@{host or 'localhost'}:{port or 5432}/{name}"
