"""Queueing background jobs so that a broker outage never fails the change that asked for them.

Every job of the marketplace works on state that is committed first (a row that says what is to be
done: an unsent mail, an image without thumbnail, a pending import or verification run, an unrouted
RFQ), and every job kind has a periodic sweep that queues again what is still to be done. So the
message to the worker is only a "do it now": when the broker refuses or hangs, `enqueue` logs and
returns, the request that committed the change answers as usual, and the sweep runs the job once the
broker is back.

The first failure logs one warning and opens a short breaker: for `RETRY_AFTER` seconds this process
does not try the broker again (what it would have queued waits for its sweep), so an outage costs
the requests that follow nothing. Publishing itself is bounded by the broker settings (socket
timeouts, at most one retry: see CELERY_TASK_PUBLISH_RETRY_POLICY and the transport options).
"""

import logging
import threading
import time
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds during which a process queues nothing after the broker failed


class _Breaker:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0


_breaker = _Breaker()


def reset() -> None:
    """Forget a past outage: the next `enqueue` tries the broker (tests that change brokers)."""
    with _breaker.lock:
        _breaker.down, _breaker.retry_at = False, 0.0


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send `task(*args, **kwargs)` to the broker now; False (logged, never raised) when the broker
    is unreachable or was a moment ago. The caller's committed state lets the job's sweep redo it."""
    if _breaker.down and time.monotonic() < _breaker.retry_at:
        logger.debug("Broker down: %s%r left to its sweep", task.name, args)
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:  # kombu, redis-py and the socket raise their own kinds
        with _breaker.lock:
            first = not _breaker.down
            _breaker.down, _breaker.retry_at = True, time.monotonic() + RETRY_AFTER
        if first:
            logger.warning(
                "Broker unreachable (%s: %s): %s%r and the jobs after it are left to their sweeps until it answers",
                type(exc).__name__, exc, task.name, args,
            )  # fmt: skip
        else:
            logger.debug("Broker still down: %s%r left to its sweep", task.name, args)
        return False
    if _breaker.down:
        with _breaker.lock:
            back, _breaker.down = _breaker.down, False
        if back:
            logger.warning("Broker answers again: jobs are queued at once")
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (nothing if it rolls
    back), through `enqueue`: a broker outage is logged, never raised into the committed request."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
