"""`buyer_required` and `supplier_required`: a page only for people who act for a buying company or a
supplier, in one place.

Which company a user acts for is a fact of the higher `buyers` and `suppliers` apps, which
`accounts` must not import. So each registers its one lookup here from its `AppConfig.ready()`
(`register_company_lookup`), and the decorators call whatever was registered.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

BUYER, SUPPLIER = "buyer", "supplier"

# side -> lookup(user) returning the company the user acts for on that side, or None.
_lookups: dict[str, Callable[..., Any]] = {}

View = Callable[..., HttpResponse]


def register_company_lookup(side: str, lookup: Callable[..., Any]) -> None:
    """Register `lookup(*, user)` for `side` ("buyer" or "supplier"); called once by that app."""
    if side not in (BUYER, SUPPLIER):
        raise ValueError(f"unknown side {side!r}")
    _lookups[side] = lookup


def company_for(side: str, user: Any) -> Any | None:
    """The company `user` acts for on `side`, through the registered lookup (None for nobody)."""
    try:
        lookup = _lookups[side]
    except KeyError:
        raise ImproperlyConfigured(f"no company lookup registered for {side!r}: is its app installed?") from None
    return lookup(user=user)


def _company_required(side: str, attribute: str) -> Callable[..., Any]:
    def decorator(view: View | None = None, *, forbidden: str | None = None) -> Any:
        """Sign in first; then the company the user acts for is `request.<attribute>`. Anyone else
        gets 404, as for a page that does not exist, or, given a `forbidden` message (a page whose
        existence is no secret, such as the cart), 403 with it."""

        def wrap(view: View) -> View:
            @login_required
            @wraps(view)
            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                company = company_for(side, request.user)
                if company is None:
                    if forbidden is not None:
                        raise PermissionDenied(str(forbidden))
                    raise Http404(f"You do not act for a {side}")
                setattr(request, attribute, company)
                return view(request, *args, **kwargs)

            return wrapper

        return wrap(view) if view is not None else wrap

    return decorator


buyer_required = _company_required(BUYER, "buyer_company")
supplier_required = _company_required(SUPPLIER, "supplier")
