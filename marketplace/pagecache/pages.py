"""Public pages cached whole for anonymous visitors, keyed by the versions of what they show.

`@public_page(scopes)` wraps a page view. For a visitor with no session and no pending messages
(nothing in the page can be theirs alone), the page is looked up in the cache under a key made of:
the release of the code, the host, the language, the currency the visitor chose for prices
(its cookie, one of PRICE_CURRENCIES), today's date (certificates end on a date), the
full path, the settings pages show (PAGE_CACHE_SETTINGS), and the versions of the page's scopes as
committed right now (`PageVersion`). The versions are read before the page's data, and the apps'
triggers bump them in the commit of the transaction that changes the data, so a cached page is
never newer in key than in content: the request after a change (a supplier downgraded, a listing
unpublished) always renders afresh.

Such a page carries no per-visitor state: it is rendered as if the visitor sent no cookie but their
language and currency (both in the key); its forms get their CSRF token from the visitor's own cookie in the browser
(`static/js/csrf.js`, `/csrf/`), and their compare list is shown from its cookie
(`static/js/compare.js`). Its response says
`Cache-Control: public, no-cache` with an `ETag` made from the key, so a browser, a reverse proxy or
a CDN may keep it but asks each time; an unchanged page then costs two small queries and a 304.
Everyone else (signed in, a message waiting) gets the page rendered for them, marked `private`.
"""

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from .models import PageVersion

logger = logging.getLogger(__name__)

EVERY_SCOPE: Final = "*"  # a page that shows something of every belt (home, search)

# Request attribute set while a page is rendered for the cache (read by the context processor).
RENDERING_FOR_CACHE = "pagecache_rendering"
# The CSRF token of a page rendered for the cache; static/js/csrf.js puts the visitor's own in its place.
FROM_COOKIE: Final = "from-cookie"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
RELEASE_FILES = (".py", ".html", ".txt", ".mo", ".yaml")
RELEASE_SKIPS = {"var", "node_modules", "tests", "staticfiles", "__pycache__", "media"}


@dataclass(frozen=True)
class BeltOf:
    """The scopes of a page about one thing of a belt (a listing, a supplier): "site" and its belt,
    whose slug `sql` (one row, one text column, `params`) finds inside the versions' own query, so a
    cached page costs one query. An unknown thing finds no belt: its page (a 404) is not cached."""

    sql: str
    params: tuple[Any, ...]


Scopes = Sequence[str] | str | BeltOf
ScopesOf = Callable[..., Scopes | None]


def belt_pages(belt_slug: str | None) -> list[str] | None:
    """The scopes of a page about one belt's things (the belt, a supplier, a listing): what every
    page shows, and that belt; None for an unknown object."""
    return None if belt_slug is None else ["site", f"belt:{belt_slug}"]


def page_versions(scopes: Scopes) -> str:
    """A digest of the committed versions of `scopes` (EVERY_SCOPE: of every scope); one query.

    Read from the database the page will be read from (the replica for an anonymous visitor when
    there is one: marketplace.dbrouter), so a key never names versions newer than its content. The
    router chooses that server once per request (the replica only within its lag bound), so the
    versions and the page's rows never come from two servers."""
    with connections[router.db_for_read(PageVersion)].cursor() as cursor:
        select = (
            "SELECT md5(coalesce(string_agg(scope || '=' || version, ',' ORDER BY scope), '')) "
            "FROM pagecache_pageversion"
        )
        if scopes == EVERY_SCOPE:
            cursor.execute(select)
        elif isinstance(scopes, BeltOf):
            cursor.execute(f"{select} WHERE scope = 'site' OR scope = 'belt:' || ({scopes.sql})", scopes.params)
        else:
            cursor.execute(f"{select} WHERE scope = ANY(%s)", [list(scopes)])
        return cursor.fetchone()[0]


def every_page_changed() -> None:
    """Bump every scope, for a bulk writer that ran with triggers off (session_replication_role =
    replica): every cached page is then out of date from its commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pagecache_bump(ARRAY(SELECT scope FROM pagecache_pageversion) || ARRAY['site', 'search'])"
        )


@cache
def release() -> str:
    """The code's release: PAGE_CACHE_RELEASE, or a digest of the templates, translations and
    Python sources, so pages cached by older code are never served by newer."""
    if settings.PAGE_CACHE_RELEASE:
        return str(settings.PAGE_CACHE_RELEASE)
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in RELEASE_SKIPS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(RELEASE_FILES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cacheable(request: HttpRequest) -> bool:
    """Whether nothing of the page can be this visitor's own: an anonymous GET with no session,
    no message waiting, and not an htmx fragment."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HX-Request" not in request.headers
    )


def page_key(request: HttpRequest, scopes: Scopes, *, kind: str = "page") -> tuple[str, str]:
    """The cache key of the answer to `request` showing `scopes` as committed now, and its ETag."""
    key = f"{kind}:{_key(request, page_versions(scopes))}"
    return key, '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    return etag in parse_etags(request.headers.get("If-None-Match", ""))


def shown_currency(request: HttpRequest) -> str:
    """The currency the visitor chose for prices (its cookie), or "" (the language's default)."""
    chosen = request.COOKIES.get(settings.CURRENCY_COOKIE_NAME, "")
    return chosen if chosen in settings.PRICE_CURRENCIES else ""


def _key(request: HttpRequest, versions: str) -> str:
    shown = [request.get_full_path(), *(repr(getattr(settings, name)) for name in settings.PAGE_CACHE_SETTINGS)]
    page = hashlib.blake2b("\n".join(shown).encode(), digest_size=16).hexdigest()
    host = request.get_host()
    language = f"{get_language()}.{shown_currency(request)}"
    return f"{release()}:{host}:{language}:{timezone.localdate():%Y%m%d}:{versions}:{page}"


def cache_get(key: str) -> Any:
    try:
        return caches[settings.PAGE_CACHE_ALIAS].get(key)
    except Exception:  # any backend's connection error: the page is rendered instead (fail open)
        logger.warning("Page cache skipped: the cache cannot be reached", exc_info=True)
        return None


def cache_set(key: str, value: Any) -> None:
    try:
        caches[settings.PAGE_CACHE_ALIAS].set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache skipped: the cache cannot be reached", exc_info=True)


def public(response: HttpResponse, etag: str) -> HttpResponse:
    """Mark an answer any cache may keep if it asks each time (ETag `etag`)."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def private(response: HttpResponse) -> HttpResponse:
    """Mark an answer for this visitor only (no shared cache may keep it)."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def public_page(scopes: ScopesOf) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache the wrapped page view for anonymous visitors (see the module).

    `scopes(request, *args, **kwargs)` names the scopes whose versions key the page: EVERY_SCOPE,
    e.g. ["site", "belt:wuhan-laser"], or a BeltOf; None when the object is unknown (the view then
    answers, uncached, with its own 404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            named = scopes(request, *args, **kwargs) if cacheable(request) else None
            if named is None:
                return private(view(request, *args, **kwargs))
            key, etag = page_key(request, named)
            if etag_matches(request, etag):
                return public(HttpResponseNotModified(), etag)
            hit = cache_get(key)
            if hit is not None:
                content, headers = hit
                return public(HttpResponse(content, headers=headers), etag)
            # Rendered as for a visitor with no cookie of their own (a compare list, a CSRF token):
            # what such a cookie changes, the page's scripts show in the browser. The language and
            # the currency stay: the key holds them.
            cookies = request.COOKIES
            kept = (settings.LANGUAGE_COOKIE_NAME, settings.CURRENCY_COOKIE_NAME)
            request.COOKIES = {k: v for k, v in cookies.items() if k in kept}
            setattr(request, RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.COOKIES = cookies
                setattr(request, RENDERING_FOR_CACHE, False)
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code != 200 or personal or getattr(response, "streaming", False):
                return private(response)
            if hasattr(response, "render"):
                response.render()
            cache_set(key, (response.content, dict(response.items())))
            return public(response, etag)

        return wrapped

    return decorator
