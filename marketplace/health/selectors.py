"""Readiness of every dependency of the site: database, cache, broker, and a worker that runs jobs.

Each check answers within about a second whatever the dependency does (Redis and broker calls have
short socket timeouts, the database a statement timeout) and never raises: a dependency that fails
is reported "down" with the error's kind, so `/readyz` can answer 503 with the list.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import WorkerHeartbeat

CHECK_KEY = "health:readyz"


@dataclass(frozen=True)
class CheckResult:
    status: str  # "ok" or "down"
    detail: str
    milliseconds: int


def _database() -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1000")
        cursor.execute("SELECT 1")
    return "SELECT 1 answered"


def _cache() -> str:
    ping = getattr(cache, "ping", None)
    if ping is not None:  # marketplace.cache.FailOpenRedisCache: its reads never raise, so ask Redis itself
        ping()
        return "Redis answered PING"
    # A per-process cache (no REDIS_URL): a write read back is all there is to check.
    cache.set(CHECK_KEY, "ok", 10)
    if cache.get(CHECK_KEY) != "ok":
        raise RuntimeError("a value written was not read back")
    return "a value written was read back"


def _broker() -> str:
    with current_app.connection_for_write() as conn:
        # One retry at once: the transport's socket timeouts bound each attempt.
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
        return f"connected ({conn.transport_cls})"


def _worker() -> str:
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        raise RuntimeError("no worker has ever run the heartbeat job")
    age = (timezone.now() - latest).total_seconds()
    if age > settings.HEALTH_WORKER_STALE_AFTER:
        raise RuntimeError(f"last heartbeat {age:.0f} s ago (more than {settings.HEALTH_WORKER_STALE_AFTER} s)")
    return f"last heartbeat {age:.0f} s ago"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "worker": _worker,
}


def readiness_check() -> dict[str, CheckResult]:
    """Run every check; each result says ok or down, why, and how long it took."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail, status = check(), "ok"
        except Exception as exc:  # whatever a dependency raises, it is "down", never a 500
            detail, status = f"{type(exc).__name__}: {exc}"[:300], "down"
        results[name] = CheckResult(
            status=status, detail=detail, milliseconds=round((time.monotonic() - started) * 1000)
        )
    return results
