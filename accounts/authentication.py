"""HTTP Basic sign-in for API clients."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's HTTP Basic auth, refusing credentials with a NUL character before any lookup:
    PostgreSQL cannot compare such text, so the lockout's and the account's queries would fail
    with a server error instead of a refused sign-in."""

    def authenticate_credentials(self, userid: str, password: str, request: Request | None = None) -> tuple[Any, None]:
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        return super().authenticate_credentials(userid, password, request)


class BasicAuthenticationScheme(BasicScheme):
    """The OpenAPI schema states HTTP Basic for the class above, as drf-spectacular does for DRF's."""

    target_class = "accounts.authentication.BasicAuthentication"
