"""Public API answers cached for anonymous clients, under the same versioned keys as the pages
(marketplace.pagecache.pages): a change is in the next answer, whatever was cached before it."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .pages import Scopes, cache_get, cache_set, etag_matches, page_key, private, public

KEY_ATTRIBUTE = "_pagecache_api_key"


class _Answered(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class CachedForAnonymous(APIView):
    """Mixin for a public DRF view: an anonymous GET asking for JSON is answered from the cache.

    The view names its scopes in `cache_scopes(request, **kwargs)` (None: an unknown object,
    answered uncached). Authentication, permissions and throttles run as for any request; only
    the work of the handler and the renderer is saved. Signed-in clients are never served from
    the cache (their answers may differ: a supplier's own drafts)."""

    def cache_scopes(self, request: Request, **kwargs: Any) -> Scopes | None:
        raise NotImplementedError

    def _cacheable(self, request: Request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and request.user.is_anonymous
            and getattr(request.accepted_renderer, "format", None) == "json"
        )

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # After authentication, content negotiation, permissions and throttles: the cached answer,
        # if any, short-cuts the handler (whichever `get` the view has) through handle_exception.
        super().initial(request, *args, **kwargs)
        named = self.cache_scopes(request, **kwargs) if self._cacheable(request) else None
        if named is None:
            return
        key, etag = page_key(request, named, kind="api")
        setattr(request, KEY_ATTRIBUTE, (key, etag))
        if etag_matches(request, etag):
            raise _Answered(HttpResponseNotModified())
        hit = cache_get(key)
        if hit is not None:
            content, content_type = hit
            raise _Answered(HttpResponse(content, content_type=content_type))

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        keyed = getattr(request, KEY_ATTRIBUTE, None)
        if keyed is None:
            private(response)
        else:
            key, etag = keyed
            if isinstance(response, Response) and response.status_code == 200 and not response.cookies:
                response.render()
                cache_set(key, (response.content, response["Content-Type"]))
            if response.status_code in (200, 304):
                public(response, etag)
            else:
                private(response)
        patch_vary_headers(response, ("Accept", "Authorization"))
        return response
