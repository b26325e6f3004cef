"""Errors services raise, and the one place each kind of response is made from them.

A service raises `ApplicationError` (or one of its subclasses below) with a translated message
that is safe to show. The error carries its own HTTP status, so:

- the API answers through `api_exception_handler` (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]):
  `{"detail": message, **extra}` with the error's status; no API view maps them itself;
- HTML views that can do better turn the error into a form error or a flash message
  (`error_message(exc)` gives the text), and whatever they leave uncaught is rendered by
  `ApplicationErrorMiddleware` as a page with the message and the error's status.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A rule of the marketplace refused the operation; `message` is safe to show the user.
    `status_code` is the HTTP status an API or a page answers with (400 unless a subclass says)."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ForbiddenError(ApplicationError):
    """The rule refuses this person, not the request (403)."""

    status_code = 403


class NotFoundError(ApplicationError):
    """What the operation is about does not exist, or not for this person (404)."""

    status_code = 404


class ConflictError(ApplicationError):
    """The current state does not allow this now: another step came first, stock ran out (409)."""

    status_code = 409


class UnprocessableError(ApplicationError):
    """Well-formed but refused as sent, e.g. an idempotency key reused for another body (422)."""

    status_code = 422


def error_message(exc: Exception) -> str:
    """The text to show a person for a refused operation: the ApplicationError's message, or a
    PermissionDenied's reason (or the generic "not allowed")."""
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, PermissionDenied) and str(exc):
        return str(exc)
    return str(drf_exceptions.PermissionDenied.default_detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map service errors to API responses; anything unexpected stays a generic 500."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = drf_exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A service's reason ("Only the supplier can confirm this order.") is kept for the client.
        exc = drf_exceptions.PermissionDenied(str(exc) or None)
    return exception_handler(exc, context)


class ApplicationErrorMiddleware:
    """An ApplicationError an HTML view did not turn into a form error or a message becomes a page
    with its message and its status (DRF views never get here: their handler answers first)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, ApplicationError):
            return None
        return render(request, "application_error.html", {"message": exc.message}, status=exc.status_code)
