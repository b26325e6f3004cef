"""Cross-app wiring: the dashboard address sends each role to its own dashboard."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

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
    """Liveness and database reachability, for load balancers and `make run`'s smoke test."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
