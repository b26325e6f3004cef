"""Cross-app wiring: the dashboard address sends each role to its own dashboard; health endpoints."""

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from marketplace.health.selectors import CheckResult, readiness_check

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
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests and reaches its database (without which it serves
    nothing). Cache, broker and worker are not asked: the site degrades without them (see /readyz)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _check_json(result: CheckResult, *, detail: bool) -> dict[str, object]:
    shown = asdict(result)
    if not detail:
        del shown["detail"]
    return shown


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache, broker and worker heartbeat, each "ok" or "down"; 503 if any is
    down. For load balancers and monitoring; the site itself degrades rather than fails without them.
    Why a check failed names hosts and errors: staff see it, others only the status."""
    checks = readiness_check()
    ready = all(result.status == "ok" for result in checks.values())
    staff = request.user.is_staff
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: _check_json(result, detail=staff) for name, result in checks.items()},
    }
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response
