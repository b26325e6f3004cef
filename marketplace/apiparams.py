"""Every query parameter of the API is one value (the schema declares no array): a request that
gives one twice answers 400 naming it, instead of one of the values silently winning."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.views import APIView


class SingleQueryValuesMiddleware:
    """For a request routed to a DRF view: 400 `{"<name>": ["Give this parameter once."]}` for each
    query parameter given more than once, before the view runs (in the request's language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        view_class = getattr(view_func, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
        if not repeated:
            return None
        return JsonResponse({name: [_("Give this parameter once.")] for name in repeated}, status=400)
