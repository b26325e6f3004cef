"""The header's currency chooser: which currency prices are shown in, approximately (catalog.prices)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

COOKIE_AGE = 365 * 24 * 60 * 60


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remember the chosen currency in its cookie and go back to the page (like Django's
    set_language). An unknown currency is ignored; the page cache keys pages by the cookie."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    currency = request.POST.get("currency", "")
    if currency in settings.PRICE_CURRENCIES:
        response.set_cookie(
            settings.CURRENCY_COOKIE_NAME,
            currency,
            max_age=COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response
