"""The public search page's rate limit: each client address may search SEARCH_THROTTLE_RATE times
("30/minute"); past it, a friendly 429 page says how long to wait. What is counted are searches
run: an anonymous page served whole from the page cache (marketplace.pagecache) costs no search and
is not counted (the view's decorators put the throttle inside the cache).

The count lives in the cache (one counter per address and time window, so it holds across web
workers with Redis). A cache that cannot be reached must not take the search down with it: the
request is then served unthrottled and a warning logged (fail open).
"""

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" → (30, 60): requests allowed, and the window in seconds (DRF's rate format)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def _client_address(request: HttpRequest) -> str:
    # The same address the API's throttles count (DRF: X-Forwarded-For as NUM_PROXIES says, else REMOTE_ADDR).
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]


def _hits(key: str, window: int) -> int | None:
    """This window's count after this request, or None when the cache cannot be reached."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:  # the window's key expired between add and incr: a new window starts
            cache.set(key, 1, timeout=window)
            return 1
    except Exception:  # any cache backend's connection error (redis, memcached…): fail open
        logger.warning("Search throttle skipped: the cache cannot be reached", exc_info=True)
        return None


def search_throttle(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Limit `view` to SEARCH_THROTTLE_RATE requests per client address (see the module)."""

    @wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, window = parse_rate(settings.SEARCH_THROTTLE_RATE)
        now = int(time.time())
        key = f"throttle:search:{_client_address(request)}:{now // window}"
        hits = _hits(key, window)
        if hits is not None and hits > limit:
            retry_after = window - now % window
            response = render(request, "catalog/search_throttled.html", {"retry_after": retry_after}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        return view(request, *args, **kwargs)

    return throttled
