"""Cross-app wiring: the dashboard address sends each role to its own dashboard; health endpoints;
Django's error handlers, which answer JSON under /api/."""

import sys
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.csrf import csrf_failure as html_csrf_failure
from django.views.decorators.http import require_GET
from rest_framework import exceptions as drf_exceptions

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from marketplace.health.selectors import WEB_CHECKS, CheckResult, readiness_check

from .schema import schema_is_readable

DASHBOARDS: dict[str, str] = {
    User.Role.BUYER: "buyers:dashboard",
    User.Role.SUPPLIER: "suppliers:dashboard",
    User.Role.OPERATOR: "suppliers:operator_dashboard",
}


@require_GET
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff:
        return redirect("admin:index")
    return redirect(DASHBOARDS.get(user.role, "buyers:dashboard"))


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for /favicon.ico before reading the page's icon link get the site's icon."""
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests. Nothing else is asked, not even the database: a
    restart cures a stuck process, not a database that is down, so that is /readyz's to report
    (and a probe every few seconds costs no query)."""
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


def _check_json(result: CheckResult, *, detail: bool) -> dict[str, object]:
    shown = asdict(result)
    if not detail:
        del shown["detail"]
    return shown


def _readiness_response(request: HttpRequest, checks: dict[str, CheckResult]) -> JsonResponse:
    ready = all(result.status == "ok" for result in checks.values() if result.required)
    staff = request.user.is_staff
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: _check_json(result, detail=staff) for name, result in checks.items()},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness of the whole marketplace, for monitoring and alerts: database, cache, broker, the
    beat and a live worker for each queue, each "ok" or "down"; 503 if any is down. Each queue's
    delay ("busy" when the beat's heartbeat job has not run on it lately) and the read replica, when
    there is one ("ok", "lagging", "down"), are reported but not required. Why a check failed names
    hosts and errors: staff see it, others only the status."""
    return _readiness_response(request, readiness_check())


@require_GET
def readyz_web(request: HttpRequest) -> JsonResponse:
    """Readiness of this web process, for a load balancer's probe: it can serve when its database
    answers. The cache is reported, not required (it fails open). The workers, the beat and the
    broker are /readyz's: one of them down should raise an alert, not take every web process out of
    service at once."""
    return _readiness_response(request, readiness_check(only=WEB_CHECKS))


# --- Django's error handlers (handler400/403/404/500 in urls.py, CSRF_FAILURE_VIEW) -------------
# DRF answers its own views' errors; these cover what happens before or outside a DRF view under
# /api/ (an unknown address, a bad Host header, a crash in middleware) in the API's shape,
# `{"detail": ...}`, with DRF's translated messages. Pages keep Django's HTML handlers.

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(error: type[drf_exceptions.APIException], status: int) -> JsonResponse:
    return JsonResponse({"detail": str(error.default_detail)}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(drf_exceptions.ParseError, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(drf_exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(drf_exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception)


# A request the database dropped (a failover, a restart, a connection an administrator ended):
# it was rolled back whole, so "try again shortly" is the truth, and a 503 with Retry-After tells
# browsers, clients and load balancers so; every other crash stays a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE_MESSAGE = gettext_lazy(
    "The service lost its database for a moment and did not complete the request; send it again shortly."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled (so sys.exc_info has it)."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        if _is_api(request):
            response: HttpResponse = JsonResponse({"detail": str(DATABASE_UNAVAILABLE_MESSAGE)}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _is_api(request):
        return _api_error(drf_exceptions.APIException, 500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(drf_exceptions.PermissionDenied.default_detail)}, status=403)
    return html_csrf_failure(request, reason)


def schema_gate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema or Swagger UI view for those who may read it (marketplace.schema); a JSON 404
    for anyone else, as for an address that does not exist."""

    @wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not schema_is_readable(request):
            return _api_error(drf_exceptions.NotFound, 404)
        return view(request, *args, **kwargs)

    return gated
