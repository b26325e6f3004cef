"""Reads of anonymous visitors and of the search from a streaming replica; everything else on the
primary.

With `DATABASE_REPLICA_URL` set, settings add a `replica` database alias, `PrimaryReplicaRouter` and
`ReplicaReadsMiddleware`; without it none of them is installed and every query goes to `default`.

A request reads from the replica only when nothing it reads can be its visitor's own or newer
than the replica:

- its method is safe (GET, HEAD, OPTIONS);
- it carries no session cookie and no `Authorization` header: signed-in users (their orders,
  drafts, RFQs, dashboards) read the primary, so replication lag never hides their own writes from
  them, nor from an API client. Except on a view marked `@public_data` (the search page and the
  search API), which shows every visitor the same public rows: there signed-in users read the
  replica too, unless they wrote lately (below). The users, sessions and API tokens that sign
  them in are always read from the primary (`PRIMARY_MODELS`): a token or session made a moment
  ago works at once;
- it carries no pin cookie: any unsafe request, and any request that wrote, answers with
  `PIN_COOKIE` for `DATABASE_REPLICA_PIN_SECONDS`, during which that browser reads the primary
  (read-your-writes for anonymous visitors, for signed-in users on `@public_data` views, and for
  the pages shown just after signing out). An API client keeps no cookie: its `Authorization`
  header's digest is pinned in the cache instead (`pin_key`) for as long;
- the replica answers: a replica that refuses the connection (or fails its health check) sends
  the request to the primary and is not knocked on again for `RETRY_AFTER` seconds in this process;
- the replica is at most `DATABASE_REPLICA_MAX_LAG_SECONDS` behind: its replay lag, measured at most
  once every `LAG_CHECK_EVERY` seconds per process (`LAG_SQL`), is kept in the process; while it is
  over the bound (or unknown), requests read the primary. A revoked badge or an unpublished listing
  is thus shown to anonymous visitors for at most the bound plus the check interval.

The choice is made once, when the request starts (for a signed-in user on a `@public_data` view,
when the view is known, before it runs), and holds for all its reads: the page cache's versions
(marketplace.pagecache.pages.page_versions) and the page's rows come from the same server, so a
page is never rendered from a lagging replica and stored under the primary's newer versions.

Within such a request the router still sends to the primary every write, every read inside a
transaction (an atomic block on `default`), and every read after the request's first write.
Outside requests (Celery tasks, management commands, the shell) everything reads the primary.
Migrations run on the primary only. Raw SQL names its connection: `connections[db_for_read(Model)]`
(the search and the page cache's versions do); `connection.cursor()` is the primary.
"""

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from marketplace.observability.metrics import REPLICA_LAG

logger = logging.getLogger(__name__)

REPLICA = "replica"  # the alias of the replica in DATABASES
PIN_COOKIE = "primary_reads"  # present: this browser wrote lately and reads the primary
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# What signs a request in is read from the primary whatever the request: a session, user or API token
# created or changed a moment ago must work at once, whichever server the rest of the page reads.
PRIMARY_MODELS = frozenset({"accounts.user", "accounts.apitoken", "sessions.session"})
PUBLIC_DATA_ATTRIBUTE = "replica_reads_signed_in"
RETRY_AFTER = 5.0  # seconds a process sends every read to the primary after the replica failed
LAG_CHECK_EVERY = 1.0  # seconds between two measurements of the replica's lag in a process

# The replica's replay lag in seconds, on the replica (three functions and a one-row view: no table):
# - a server not in recovery is no standby: 0 (the test settings' mirror of the primary);
# - no WAL receiver (the primary unreachable from the standby, or it just started): it may be any
#   age behind, so the lag is unknown (NULL), which counts as over the bound;
# - all WAL received is replayed: 0, however old the last replayed commit is. An idle primary sends
#   nothing, and the standby is as new as it (the age of that commit would be the idle time);
# - else the age of the last replayed commit: the primary's commit time against the standby's
#   clock (skew between the hosts adds to it). After an idle spell the first new commit counts the
#   whole idle time until it is replayed, a few milliseconds: a sample taken then sends reads to
#   the primary for one LAG_CHECK_EVERY, on the safe side.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN NOT EXISTS (SELECT FROM pg_stat_wal_receiver) THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE greatest(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))
END
"""


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


@contextmanager
def bookkeeping() -> Iterator[None]:
    """Writes inside are the app's own record of a request (an API token's last use), not the
    visitor's: they go to the primary as every write does, but neither pin the visitor nor move the
    request's later reads to the primary."""
    state = _reads.get()
    wrote = state.wrote if state is not None else False
    try:
        yield
    finally:
        if state is not None:
            state.wrote = wrote


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: reads by `reads_from_replica()`, writes and migrations on the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if model._meta.label_lower in PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
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


def public_data(view: Any) -> Any:
    """Mark a view (a function, or a class whose `as_view()` is routed) as showing every visitor the
    same public rows, so that signed-in users' safe requests to it may read the replica too."""
    setattr(view, PUBLIC_DATA_ATTRIBUTE, True)
    return view


def _is_public_data(view_func: Any) -> bool:
    owner = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)  # DRF, Django views
    return bool(getattr(view_func, PUBLIC_DATA_ATTRIBUTE, False) or getattr(owner, PUBLIC_DATA_ATTRIBUTE, False))


def pin_key(authorization: str) -> str:
    """The cache key that pins an API client (by its Authorization header) to the primary."""
    return "dbrouter:pin:" + hashlib.sha256(authorization.encode()).hexdigest()


def request_may_read_replica(request: HttpRequest) -> bool:
    """Whether nothing `request` reads can be its visitor's own or newer than the replica (the
    module's rules, but for the replica being up)."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
        and PIN_COOKIE not in request.COOKIES
    )


def signed_in_request_may_read_replica(request: HttpRequest) -> bool:
    """Whether a signed-in user's request to a `@public_data` view may read the replica: safe, and
    neither the browser (pin cookie) nor the API client (its header's pin) wrote lately."""
    if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
        return False
    authorization = request.headers.get("Authorization")
    return not (authorization and cache.get(pin_key(authorization)))


class _Outage:
    """When this process may knock on the replica again, shared by its threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.retry_at = 0.0


class _Lag:
    """The replica's lag as this process last measured it, shared by its threads; `measuring` is
    held by the one thread measuring it (the others use the last value meanwhile)."""

    def __init__(self) -> None:
        self.measuring = threading.Lock()
        self.measured_at = -math.inf
        self.seconds: float | None = 0.0
        self.over = False


_outage = _Outage()
_lag = _Lag()


def reset() -> None:
    """Forget a past outage and the last lag measured: the next request tries the replica and
    measures its lag (tests that stop and start it)."""
    with _outage.lock:
        _outage.retry_at = 0.0
    with _lag.measuring:
        _lag.measured_at, _lag.seconds, _lag.over = -math.inf, 0.0, False


def replica_lag(cursor: Any) -> float | None:
    """The replay lag of the replica `cursor` is on, in seconds (LAG_SQL); None when unknown."""
    cursor.execute(LAG_SQL)
    value = cursor.fetchone()[0]
    return None if value is None else float(value)


def replica_lag_record(seconds: float | None) -> bool:
    """Keep `seconds` as this process's measured lag (and its gauge); whether it is over
    DATABASE_REPLICA_MAX_LAG_SECONDS. Logs once when reads leave the replica, and once when they
    come back."""
    bound = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    over = seconds is None or seconds > bound
    REPLICA_LAG.set(math.inf if seconds is None else seconds)
    was_over, _lag.over, _lag.seconds, _lag.measured_at = _lag.over, over, seconds, time.monotonic()
    if over and not was_over:
        shown = "unknown (no WAL receiver)" if seconds is None else f"{seconds:.1f} s"
        logger.warning("Read replica lag %s is over %s s: reads go to the primary", shown, bound)
    elif was_over and not over:
        logger.warning("Read replica lag %.1f s is within %s s again: anonymous reads go to it", seconds, bound)
    return over


def _lagging(connection: Any) -> bool:
    """Whether the replica is over the lag bound: measured on `connection` when the process's last
    measurement is LAG_CHECK_EVERY old, else as last measured."""
    if time.monotonic() - _lag.measured_at >= LAG_CHECK_EVERY and _lag.measuring.acquire(blocking=False):
        try:
            with connection.cursor() as cursor:
                return replica_lag_record(replica_lag(cursor))
        finally:
            _lag.measuring.release()
    return _lag.over


def replica_unreachable_for() -> float:
    """Seconds before this process knocks on the replica again after it failed (0: it may now)."""
    return max(0.0, _outage.retry_at - time.monotonic())


def replica_available() -> bool:
    """Whether the replica is configured, answers and is within the lag bound: its connection (kept,
    or opened now) passes the health check, and its lag (measured now or lately) is not over
    DATABASE_REPLICA_MAX_LAG_SECONDS. A failure logs a warning and keeps reads on the primary for
    RETRY_AFTER seconds."""
    if REPLICA not in settings.DATABASES or time.monotonic() < _outage.retry_at:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()  # one `SELECT 1` per request on a kept connection
        connection.ensure_connection()
        lagging = _lagging(connection)
    except Error:
        with _outage.lock:
            _outage.retry_at = time.monotonic() + RETRY_AFTER
        logger.warning("Read replica unreachable: reads go to the primary for %s s", RETRY_AFTER, exc_info=True)
        with suppress(Error):  # a connection already broken; Django opens a new one when next asked
            connection.close()
        return False
    return not lagging


class ReplicaReadsMiddleware:
    """Choose where a request's reads go (the module's rules) and pin a browser or API client that
    wrote to the primary for DATABASE_REPLICA_PIN_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with replica_reads(replica=request_may_read_replica(request) and replica_available()) as state:
            response = self.get_response(request)
        if state.wrote or request.method not in SAFE_METHODS:
            authorization = request.headers.get("Authorization")
            if authorization:
                cache.set(pin_key(authorization), 1, settings.DATABASE_REPLICA_PIN_SECONDS)
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

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        """A signed-in user's request to a `@public_data` view reads the replica from here on (the
        view runs next; nothing of the page has been read yet)."""
        state = _reads.get()
        if (
            state is not None
            and not state.replica
            and not state.wrote
            and _is_public_data(view_func)
            and signed_in_request_may_read_replica(request)
            and replica_available()
        ):
            state.replica = True
