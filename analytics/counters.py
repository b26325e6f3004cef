"""Counting page views without a row per view and without a database write in the request.

A view is one GET of a listing's or a supplier's public page (analytics.middleware decides which
requests count). `view_count(kind, key)` only adds 1 somewhere cheap:

- **With Redis** (`REDIS_URL`): HINCRBY on the day's hash `analytics:views:<YYYY-MM-DD>`, field
  `l:<listing id>` or `s:<supplier slug>`, through the fail-open cache (marketplace.cache): Redis
  down or slow means the view is lost and the page is unaffected. The beat job
  (`views_flush_task`, every two minutes) takes each day's hash atomically (RENAME, so views
  counted meanwhile go to a new hash) and adds it to the day tables (services.views).
- **Without Redis** (`make run`: a per-process cache, a filesystem broker) a web process keeps a
  buffer in memory (a Counter under a lock). A daemon thread of that process writes it with one
  batched upsert every `ANALYTICS_VIEW_BUFFER_SECONDS`, and a request that finds more than
  `ANALYTICS_VIEW_BUFFER_MAX` views waiting wakes that thread: the request itself never writes.
  Views still buffered when the process ends (or crashes) are lost; at exit the buffer is written
  once more.

The supplier of a slug and of a listing are found by the flush, not by the request.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

HASH_PREFIX = "analytics:views:"
LISTING, PROFILE = "l", "s"
HASH_TTL = 7 * 24 * 3600


def uses_redis() -> bool:
    return bool(settings.REDIS_URL) and hasattr(cache, "fail_open")


def redis_client() -> Any:
    """The raw client behind the fail-open cache (the flush needs HGETALL, RENAME, SCAN)."""
    return cache._cache.get_client(write=True)  # type: ignore[attr-defined]  # FailOpenRedisCache's client


class ViewBuffer:
    """Views counted by this process and not yet written: (day, kind, key) → views."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def add(self, day: str, kind: str, key: str) -> None:
        with self.lock:
            self.counts[day, kind, key] += 1
            full = sum(self.counts.values()) >= settings.ANALYTICS_VIEW_BUFFER_MAX
        self._ensure_thread()
        if full:
            self.wake.set()

    def take(self) -> Counter[tuple[str, str, str]]:
        with self.lock:
            taken, self.counts = self.counts, Counter()
        return taken

    def _ensure_thread(self) -> None:
        if not settings.ANALYTICS_VIEW_BUFFER_THREAD:
            return
        if self.thread is not None and self.thread.is_alive():
            return
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(target=self._run, name="analytics-view-buffer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while settings.ANALYTICS_VIEW_BUFFER_THREAD:
            self.wake.wait(settings.ANALYTICS_VIEW_BUFFER_SECONDS)
            self.wake.clear()
            flush_buffer()
            close_old_connections()
        connection.close()


buffer = ViewBuffer()


def view_count(kind: str, key: str) -> None:
    """Count one view of a listing (`kind` LISTING, `key` its id) or a profile (PROFILE, its slug).
    Never raises and never touches the database."""
    day = timezone.localdate().isoformat()
    if uses_redis():
        name, field = f"{HASH_PREFIX}{day}", f"{kind}:{key}"

        def incr() -> None:
            # One round trip; the hash expires if no flush takes it for a week (a beat long down).
            pipe = redis_client().pipeline(transaction=False)
            pipe.hincrby(name, field, 1)
            pipe.expire(name, HASH_TTL)
            pipe.execute()

        cache.fail_open("view_count", None, incr)  # type: ignore[attr-defined]  # Redis down: the view is lost
        return
    buffer.add(day, kind, key)


def flush_buffer() -> int:
    """Write this process's buffered views to the day tables; returns how many views. A failed
    write puts them back for the next try."""
    from .services.views import views_add

    taken = buffer.take()
    if not taken:
        return 0
    try:
        views_add(counts=taken)
    except Exception:
        logger.exception("Could not write %s buffered views; kept for the next try", sum(taken.values()))
        with buffer.lock:
            buffer.counts.update(taken)
        connection.close()
        return 0
    return sum(taken.values())


@atexit.register
def _flush_at_exit() -> None:
    if buffer.counts:
        try:
            flush_buffer()
        except Exception:  # the process is ending: nothing else to do with them
            logger.warning("Views buffered at exit were lost")
