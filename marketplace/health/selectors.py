"""Readiness of every dependency of the site: database, cache, broker, the beat, a live worker for
each queue, how long jobs wait on each queue, and the read replica when there is one.

Each check answers within about a second whatever the dependency does (Redis and broker calls have
short socket timeouts, the databases a statement timeout; a replica that does not answer times out
in its `connect_timeout`, 2 s) and never raises: a dependency that fails is reported "down" with the
error's kind, so `/readyz` can answer 503 with the list. The replica's check is not required: when
it is down or lags, anonymous reads go to the primary (marketplace.dbrouter) and the site still
serves everything, so it is reported ("down", "lagging") without making the site unready. Nor are
the queues': a queue whose workers are alive but busy is reported "busy" (add workers), not down.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from marketplace import dbrouter

from .models import WorkerHeartbeat

CHECK_KEY = "health:readyz"


@dataclass(frozen=True)
class CheckResult:
    status: str  # "ok" or "down"; the replica's may also be "lagging", a queue's "busy"
    detail: str
    milliseconds: int
    required: bool = True  # whether the site is unready while this check is not "ok"


class Lagging(RuntimeError):
    """The replica answers but is further behind than DATABASE_REPLICA_MAX_LAG_SECONDS."""


class Busy(RuntimeError):
    """A queue's workers are alive but the beat's heartbeat job has not run on it lately."""


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


def _worker(queue: str) -> Callable[[], str]:
    """The check of `queue`'s workers: one said it is alive and consumes `queue`, lately. A worker's
    main process says so on a timer whether or not its pool is busy (marketplace.health.worker), so a
    long job does not make this fail; a dead or stuck worker host does."""

    def check() -> str:
        latest = WorkerHeartbeat.objects.filter(queue=queue).order_by("-beat_at").first()
        if latest is None:
            raise RuntimeError(f"no worker has ever consumed queue {queue}")
        age = (timezone.now() - latest.beat_at).total_seconds()
        stale_after = settings.HEALTH_WORKER_STALE_AFTER
        if age > stale_after:
            raise RuntimeError(f"last heartbeat of queue {queue} {age:.0f} s ago (more than {stale_after} s)")
        return f"last heartbeat {age:.0f} s ago, by {latest.worker}"

    return check


def _last_heartbeat_job(queue: str | None = None) -> datetime.datetime | None:
    """When the beat's heartbeat job last ran on `queue` (on any queue: None)."""
    runs = WorkerHeartbeat.objects.filter(job_ran_at__isnull=False)
    if queue is not None:
        runs = runs.filter(queue=queue)
    return runs.order_by("-job_ran_at").values_list("job_ran_at", flat=True).first()


def _queue(queue: str) -> Callable[[], str]:
    """How long a job waits on `queue`: the beat's heartbeat job ran on it lately, or every worker of
    the queue is busy (or jobs queue up behind a long one). Reported, not required: a busy queue is
    a reason to add workers, not to take the site out of service."""

    def check() -> str:
        ran_at = _last_heartbeat_job(queue)
        stale_after = settings.HEALTH_WORKER_STALE_AFTER
        if ran_at is None:
            raise Busy(f"the beat's heartbeat job has never run on queue {queue}")
        age = (timezone.now() - ran_at).total_seconds()
        if age > stale_after:
            raise Busy(
                f"the beat's heartbeat job last ran on queue {queue} {age:.0f} s ago (more than {stale_after} s): "
                "its workers are busy or jobs wait"
            )
        return f"the beat's heartbeat job ran {age:.0f} s ago"

    return check


def _beat() -> str:
    """The beat sends: its heartbeat job ran lately on some queue (it sends one to each every 30 s)."""
    ran_at = _last_heartbeat_job()
    if ran_at is None:
        raise RuntimeError("no heartbeat job sent by the beat has ever run")
    age = (timezone.now() - ran_at).total_seconds()
    stale_after = settings.HEALTH_WORKER_STALE_AFTER
    if age > stale_after:
        raise RuntimeError(f"no heartbeat job sent by the beat has run for {age:.0f} s (more than {stale_after} s)")
    return f"a heartbeat job it sent ran {age:.0f} s ago"


def _replica() -> str:
    """The replica answers, and how far behind it is (measured now, and kept as the router's lag)."""
    wait = dbrouter.replica_unreachable_for()
    if wait:  # a request found it down a moment ago: not knocked on again before the router does
        raise RuntimeError(f"unreachable; reads go to the primary, tried again in {wait:.0f} s")
    with transaction.atomic(using=dbrouter.REPLICA), connections[dbrouter.REPLICA].cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1000")
        lag = dbrouter.replica_lag(cursor)
    over = dbrouter.replica_lag_record(lag)
    bound = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    shown = "unknown (no WAL receiver)" if lag is None else f"{lag:.1f} s"
    if over:
        raise Lagging(f"replay lag {shown}, over {bound} s: anonymous reads go to the primary")
    return f"replay lag {shown} (at most {bound} s)"


def checks() -> dict[str, tuple[Callable[[], str], bool]]:
    """Every check by name, and whether the site is unready when it fails: `beat`, one `worker:<queue>`
    per declared queue (CELERY_TASK_QUEUES), one `queue:<queue>` (not required); `replica` (not
    required) only when DATABASE_REPLICA_URL is set."""
    named: dict[str, tuple[Callable[[], str], bool]] = {
        "database": (_database, True),
        "cache": (_cache, True),
        "broker": (_broker, True),
    }
    named["beat"] = (_beat, True)
    for queue in settings.CELERY_TASK_QUEUES:
        named[f"worker:{queue.name}"] = (_worker(queue.name), True)
    for queue in settings.CELERY_TASK_QUEUES:
        named[f"queue:{queue.name}"] = (_queue(queue.name), False)
    if dbrouter.REPLICA in settings.DATABASES:
        named["replica"] = (_replica, False)
    return named


# A web process's own readiness (/readyz/web): the database it serves from is required, the cache
# (which fails open) reported.
WEB_CHECKS = {"database": True, "cache": False}


def readiness_check(only: dict[str, bool] | None = None) -> dict[str, CheckResult]:
    """Run every check, or those of `only` with the requirement it gives each; each result says ok,
    down (or lagging, busy), why, how long it took, and whether the site is unready while it is not ok."""
    selected = checks()
    if only is not None:
        selected = {name: (selected[name][0], required) for name, required in only.items()}
    results = {}
    for name, (check, required) in selected.items():
        started = time.monotonic()
        try:
            # Every check but the replica's own asks the primary: a lagging replica's heartbeats
            # are old news.
            with dbrouter.replica_reads(replica=False):
                detail, status = check(), "ok"
        except Lagging as exc:
            detail, status = str(exc), "lagging"
        except Busy as exc:
            detail, status = str(exc), "busy"
        except Exception as exc:  # whatever a dependency raises, it is "down", never a 500
            detail, status = f"{type(exc).__name__}: {exc}"[:300], "down"
        results[name] = CheckResult(
            status=status, detail=detail, milliseconds=round((time.monotonic() - started) * 1000), required=required
        )
    return results
