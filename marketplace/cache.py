"""A Redis cache that fails open: an unreachable Redis is a cache miss, never a server error.

Everything the cache holds here can be lost (throttle counters, cached pages and figures), so when
Redis refuses, times out or hangs, reads return their default, writes are dropped and the request
goes on. The first failure logs one warning and opens a short breaker: for `RETRY_AFTER` seconds
this process does not knock on Redis at all, so an outage costs a request nothing, and the first
call after that tries again (one more warning only if Redis is still down after it was back).
Short socket timeouts and no client-side retries bound what the one knocking call costs.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from marketplace.observability.metrics import CACHE_DURATION, CACHE_FAILURES

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_AFTER = 5.0  # seconds during which a process skips a Redis that just failed
# Defaults of the connection options (OPTIONS in CACHES overrides them): a cache answers in a
# millisecond, so half a second is already an outage; redis-py's own retries would multiply it.
DEFAULT_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

_OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class _Outage:
    """Whether one Redis location is down, shared by the threads of a process (Django makes one
    cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


def reset() -> None:
    """Forget past outages: the next call tries Redis (tests that start and stop servers)."""
    with _outages_lock:
        _outages.clear()


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache whose every call degrades to "nothing cached" while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {**DEFAULT_OPTIONS, "retry": Retry(NoBackoff(), 0), **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server

    @property
    def _outage(self) -> _Outage:
        return _outage_for(self._location)

    def fail_open(self, operation: str, default: T, call: Callable[[], T]) -> T:
        """`call()`, or `default` while this cache's Redis is down: for other Redis calls (a hash
        counter, say) that share the cache's outage state, its log lines and its metrics."""
        return self._fail_open(operation, default, call)

    def _fail_open(self, operation: str, default: T, call: Callable[[], T]) -> T:
        outage = self._outage
        if outage.down and time.monotonic() < outage.retry_at:
            CACHE_FAILURES.labels(operation).inc()
            return default
        started = time.perf_counter()
        try:
            result = call()
        except _OUTAGE_ERRORS as exc:
            CACHE_FAILURES.labels(operation).inc()
            with outage.lock:
                first = not outage.down
                outage.down, outage.retry_at = True, time.monotonic() + RETRY_AFTER
            if first:
                logger.warning(
                    "Cache %s unreachable (%s: %s): reads miss and writes are dropped until it answers again",
                    self._location, type(exc).__name__, exc,
                )  # fmt: skip
            return default
        finally:
            CACHE_DURATION.labels(operation).observe(time.perf_counter() - started)
        if outage.down:
            with outage.lock:
                back, outage.down = outage.down, False
            if back:
                logger.warning("Cache %s answers again", self._location)
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._fail_open("add", False, lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._fail_open("get", default, lambda: super(FailOpenRedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._fail_open("set", None, lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._fail_open("touch", False, lambda: super(FailOpenRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._fail_open("delete", False, lambda: super(FailOpenRedisCache, self).delete(key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._fail_open("get_many", {}, lambda: super(FailOpenRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._fail_open("has_key", False, lambda: super(FailOpenRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # As if the counter started at zero: a limit counted in the cache lets the request through.
        return self._fail_open("incr", delta, lambda: super(FailOpenRedisCache, self).incr(key, delta, version))

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        # Nothing was stored: every key is reported as not inserted.
        return self._fail_open(
            "set_many", list(data), lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._fail_open("delete_many", None, lambda: super(FailOpenRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._fail_open("clear", None, lambda: super(FailOpenRedisCache, self).clear())

    def ping(self) -> None:
        """Ask Redis for PONG, raising if it does not answer (readiness checks; never fails open)."""
        self._cache.get_client(write=True).ping()
