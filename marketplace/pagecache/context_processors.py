"""Template context for pages rendered for the cache (marketplace.pagecache.pages)."""

from django.http import HttpRequest

from .pages import FROM_COOKIE, RENDERING_FOR_CACHE


def csrf(request: HttpRequest) -> dict[str, str | None]:
    """No visitor's CSRF token in a page rendered for the cache: its forms carry FROM_COOKIE, which
    the browser replaces with the visitor's own token from their cookie (static/js/csrf.js).
    Nor a CSP nonce, which is the response's own: such a page loads only scripts of our origin.
    Elsewhere Django's own `csrf_token` and `csp_nonce` stand."""
    if getattr(request, RENDERING_FOR_CACHE, False):
        return {"csrf_token": FROM_COOKIE, "csp_nonce": None}
    return {}
