"""Prometheus metrics of every process: requests by view, database queries, cache calls, jobs.

Counters and histograms live in prometheus_client's default registry. With PROMETHEUS_MULTIPROC_DIR
set (gunicorn with several workers, a prefork Celery worker) each process writes its values to
files there and a scrape adds them up (marketplace.observability.exposition); the variable must be
set before the process starts, and the directory is emptied when gunicorn's master or Celery's main
process starts (gunicorn.conf.py, `worker_start`).

Labels are bounded: a view's URL name (never its path), the HTTP method from a fixed list, a task's
registered name, an exception's class name.
"""

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponseBase
from prometheus_client import Counter, Gauge, Histogram

from .requestid import clean_request_id, request_id

logger = logging.getLogger(__name__)

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if MULTIPROC_DIR:  # a process started by hand (manage.py shell) in a container has no directory yet
    os.makedirs(MULTIPROC_DIR, exist_ok=True)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "<unresolved>"  # a 404 for an address no URL pattern matches, or an answer given before routing

REQUEST_DURATION = Histogram(
    "django_http_request_duration_seconds",
    "Time from the request reaching the middleware to the response leaving it, by view",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
RESPONSES = Counter("django_http_responses_total", "Responses by view, method and status", ["view", "method", "status"])
DB_QUERY_DURATION = Histogram(
    "django_db_query_duration_seconds",
    "Time one SQL statement took, by database alias",
    ["alias"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
)
DB_QUERY_ERRORS = Counter("django_db_query_errors_total", "SQL statements that raised, by database alias", ["alias"])
CACHE_DURATION = Histogram(
    "django_cache_operation_duration_seconds",
    "Time one call to the Redis cache took, by operation",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
CACHE_FAILURES = Counter(
    "django_cache_failures_total",
    "Cache calls that failed open (Redis unreachable or skipped), by operation",
    ["operation"],
)
# Set by marketplace.dbrouter each time a process measures the replica's lag (at most once a second
# per web process, while anonymous visitors ask); +Inf while it is unknown (no WAL receiver). The
# freshest measurement of any live process is the one shown.
REPLICA_LAG = Gauge(
    "marketplace_replica_lag_seconds",
    "Replay lag of the read replica as last measured (+Inf: unknown); reads leave it over its bound",
    multiprocess_mode="livemostrecent",
)
TASKS_PUBLISHED = Counter("celery_tasks_published_total", "Jobs sent to the broker, by task", ["task"])
TASK_RUNS = Counter(
    "celery_task_runs_total", "Jobs run, by task and final state (success, failure, retry)", ["task", "state"]
)
TASK_FAILURES = Counter(
    "celery_task_failures_total", "Jobs that raised, by task and exception class", ["task", "exception"]
)
TASK_DURATION = Histogram(
    "celery_task_duration_seconds",
    "Time a job ran, by task",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0),
)


# --- Requests -----------------------------------------------------------------------------------


def view_label(request: HttpRequest) -> str:
    """The URL pattern's name (namespaced), else the view's dotted path: never the path itself."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or match._func_path


class RequestMetricsMiddleware:
    """Times each request and counts its response, by view. Early in MIDDLEWARE, so the time
    includes the middleware below it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_DURATION.labels(view, method).observe(time.perf_counter() - started)
        RESPONSES.labels(view, method, str(response.status_code)).inc()
        return response


# --- Database -----------------------------------------------------------------------------------


def _timed_execute(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    alias = context["connection"].alias
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception:
        DB_QUERY_ERRORS.labels(alias).inc()
        raise
    finally:
        DB_QUERY_DURATION.labels(alias).observe(time.perf_counter() - started)


def _install_query_timer(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    # First in the list: `connection.execute_wrapper()` pops the last wrapper when its block ends,
    # so one appended inside such a block would be popped in its place.
    if _timed_execute not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _timed_execute)


def connect_database() -> None:
    """Time every statement of every connection opened from now on."""
    connection_created.connect(_install_query_timer, dispatch_uid="marketplace.observability.query_timer")


# --- Celery -------------------------------------------------------------------------------------

HEADER = "request_id"  # in a job's message headers; Celery makes each header an attribute of task.request
_started: dict[str, float] = {}
_tokens: dict[str, Any] = {}


def _on_publish(sender: str | None = None, headers: dict[str, Any] | None = None, **kwargs: object) -> None:
    TASKS_PUBLISHED.labels(sender or "unknown").inc()
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(HEADER, rid)


def _on_prerun(task_id: str, task: Any, **kwargs: object) -> None:
    _started[task_id] = time.perf_counter()
    rid = clean_request_id(getattr(task.request, HEADER, None))
    if rid:  # a job with no id (queued by the beat) keeps the caller's: an eager job inside a request
        _tokens[task_id] = request_id.set(rid)


def _on_postrun(task_id: str, task: Any, state: str | None = None, **kwargs: object) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_DURATION.labels(task.name).observe(time.perf_counter() - started)
    TASK_RUNS.labels(task.name, (state or "unknown").lower()).inc()
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id.reset(token)
        except ValueError:  # set in another context (a thread pool's): nothing of ours to undo here
            request_id.set(None)


def _on_failure(sender: Any = None, exception: BaseException | None = None, **kwargs: object) -> None:
    name = getattr(sender, "name", None) or "unknown"
    TASK_FAILURES.labels(name, type(exception).__name__ if exception is not None else "unknown").inc()


def connect_celery() -> None:
    """Count and time jobs where they run, count them where they are sent, and carry the request id
    from the process that sends a job to the one that runs it."""
    from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun

    before_task_publish.connect(_on_publish, dispatch_uid="marketplace.observability.publish")
    task_prerun.connect(_on_prerun, dispatch_uid="marketplace.observability.prerun")
    task_postrun.connect(_on_postrun, dispatch_uid="marketplace.observability.postrun")
    task_failure.connect(_on_failure, dispatch_uid="marketplace.observability.failure")
