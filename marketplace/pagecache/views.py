"""The CSRF token of a visitor whose page came from the cache (marketplace.pagecache.pages)."""

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import require_GET


@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """Sets the visitor's CSRF cookie if they have none, and answers its token; never cached.
    static/js/csrf.js asks for it before the first form a cached page sends."""
    response = JsonResponse({"token": get_token(request)})
    response["Cache-Control"] = "no-store, private"
    return response
