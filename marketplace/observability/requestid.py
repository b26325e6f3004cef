"""One id per request, on every log line it causes and in every job it enqueues.

The id comes from the `X-Request-ID` header when a proxy in front set a sane one (so its access log
and ours share it), else a new one; the response carries it back. It lives in a context variable:
a logging filter puts it on each record, Celery's publish adds it to the job's headers and the
worker sets it again while the job runs (marketplace.observability.metrics.connect_celery).
"""

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished, request_started
from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# What an id taken from a client may look like: no spaces, quotes or line breaks (it goes into log
# lines and headers as it is), bounded so a client cannot make every log line huge.
MAX_LENGTH = 128
_VALID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{{0,{MAX_LENGTH - 1}}}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str | None:
    """`value` if it may be used as a request id as it is, else None."""
    if value and _VALID.fullmatch(value):
        return value
    return None


def _start(sender: object, environ: dict[str, Any] | None = None, **kwargs: object) -> None:
    request_id.set(clean_request_id((environ or {}).get(META_KEY)) or new_request_id())


def _finish(sender: object, **kwargs: object) -> None:
    request_id.set(None)


class RequestIdMiddleware:
    """Answers the request id in `X-Request-ID`, and keeps it on `request.request_id`.

    The id is set when the handler starts the request (`request_started`, before any middleware)
    and cleared when the response is closed (`request_finished`): Django logs a request's 404s and
    500s (logger django.request) after the middleware has returned, and those lines need it most.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        request_started.connect(_start, dispatch_uid="marketplace.observability.request_id_start")
        request_finished.connect(_finish, dispatch_uid="marketplace.observability.request_id_finish")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = request_id.get()
        if rid is None:  # a handler that sends no request_started (a RequestFactory request)
            rid = clean_request_id(request.META.get(META_KEY)) or new_request_id()
            request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request or a job that has one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True
