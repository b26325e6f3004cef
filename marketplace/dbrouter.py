"""Reads of anonymous visitors from a streaming replica; everything else on the primary.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias, `PrimaryReplicaRouter` and
`ReplicaReadsMiddleware`; without it none of them is installed and every query goes to `default`.

A request reads from the replica only when nothing it reads can be its visitor's own or newer
than the replica:

- its method is safe (GET, HEAD, OPTIONS);
- it carries no session cookie and no `Authorization` header: signed-in users (their orders,
  drafts, RFQs, dashboards) always read the primary, so replication lag never hides their own
  writes from them, nor from an API client;
- it carries no pin cookie: any unsafe request, and any request that wrote, answers with
  `PIN_COOKIE` for `DATABASE_REPLICA_PIN_SECONDS`, during which that browser reads the primary
  (read-your-writes for anonymous visitors and for the pages shown just after signing out);
- the replica answers: a replica that refuses the connection (or fails its health check) sends
  the request to the primary and is not knocked on again for `RETRY_AFTER` seconds in this process.

Within such a request the router still sends to the primary every write, every read inside a
transaction (an atomic block on `default`), and every read after the request's first write.
Outside requests (Celery tasks, management commands, the shell) everything reads the primary.
Migrations run on the primary only. Raw SQL names its connection: `connections[db_for_read(Model)]`
(the search and the page cache's versions do); `connection.cursor()` is the primary.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

REPLICA = "replica"  # the alias of the replica in DATABASES
PIN_COOKIE = "primary_reads"  # present: this browser wrote lately and reads the primary
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RETRY_AFTER = 5.0  # seconds a process sends every read to the primary after the replica failed


@dataclass
class _Reads:
    """Where this request's reads may go: `replica` chosen at its start, `wrote` once it wrote."""

    replica: bool
    wrote: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("dbrouter_reads", default=None)


def reads_from_replica() -> bool:
    """Whether a read made now goes to the replica: in a request allowed to, before it wrote,
    outside any transaction on the primary."""
    state = _reads.get()
    return state is not None and state.replica and not state.wrote and not connections[DEFAULT_DB_ALIAS].in_atomic_block


@contextmanager
def replica_reads(*, replica: bool = True) -> Iterator[_Reads]:
    """Route the reads of the code inside as those of a request that may (or may not) read the
    replica; yields the state, whose `wrote` says whether the code wrote."""
    state = _Reads(replica=replica)
    token = _reads.set(state)
    try:
        yield state
    finally:
        _reads.reset(token)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: reads by `reads_from_replica()`, writes and migrations on the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _reads.get()
        if state is not None:
            # Every later read of the request goes to the primary, which has the write (the
            # replica may not yet); get_or_create and select_for_update count as writes too.
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """Rows read from either alias are the same database's rows."""
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        """The replica replays the primary's schema: nothing is migrated on it."""
        return False if db == REPLICA else None


def request_may_read_replica(request: HttpRequest) -> bool:
    """Whether nothing `request` reads can be its visitor's own or newer than the replica (the
    module's rules, but for the replica being up)."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
        and PIN_COOKIE not in request.COOKIES
    )


class _Outage:
    """When this process may knock on the replica again, shared by its threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.retry_at = 0.0


_outage = _Outage()


def reset() -> None:
    """Forget a past outage: the next request tries the replica (tests that stop and start it)."""
    with _outage.lock:
        _outage.retry_at = 0.0


def replica_available() -> bool:
    """Whether the replica is configured and answers: its connection (kept, or opened now) passes
    the health check. A failure logs a warning and keeps reads on the primary for RETRY_AFTER seconds."""
    if REPLICA not in settings.DATABASES or time.monotonic() < _outage.retry_at:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()  # one `SELECT 1` per request on a kept connection
        connection.ensure_connection()
    except Error:
        with _outage.lock:
            _outage.retry_at = time.monotonic() + RETRY_AFTER
        logger.warning("Read replica unreachable: reads go to the primary for %s s", RETRY_AFTER, exc_info=True)
        with suppress(Error):  # a connection already broken; Django opens a new one when next asked
            connection.close()
        return False
    return True


class ReplicaReadsMiddleware:
    """Choose where a request's reads go (the module's rules) and pin a browser that wrote to the
    primary for DATABASE_REPLICA_PIN_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with replica_reads(replica=request_may_read_replica(request) and replica_available()) as state:
            response = self.get_response(request)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            # An answer that sets a cookie of this visitor's is no shared cache's to keep.
            patch_cache_control(response, private=True)
        return response
