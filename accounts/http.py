"""Request types for annotations: what a view may assume about `request` (no runtime effect).

django-htmx's middleware adds `request.htmx` to every request; behind `login_required` (HTML) or
`IsAuthenticated` (API) `request.user` is a signed-in `User`, never `AnonymousUser`. Annotate a
view's `request` with one of these only when that holds for every request it can get.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from .models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User
