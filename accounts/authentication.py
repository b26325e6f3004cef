"""Sign-in for API clients: HTTP Basic and integrations' API tokens."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from .apitokens import api_token_digest, api_token_touch
from .models import ApiToken


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


class TokenAuthentication(authentication.BaseAuthentication):
    """An integration's API token: `Authorization: Bearer <key>` (or `Token <key>`).

    The key is looked up by its SHA-256 digest (one indexed query with the user); a revoked or
    expired token and a deactivated account are refused, and a read-only token is refused on
    every unsafe method here, before any view runs, so no view can forget it. Last use is
    recorded at most once per `API_TOKEN_LAST_USED_INTERVAL` (accounts.services.api_token_touch).
    """

    keywords = (b"bearer", b"token")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the token after the word Bearer."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_credentials(key, request)

    def authenticate_credentials(self, key: str, request: Request) -> tuple[Any, ApiToken]:
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        if token is None or not token.is_live(now):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.read_only and request.method not in permissions.SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token is read-only."))
        api_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema states the API token as HTTP bearer authentication."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on the tokens page or at /api/v1/me/tokens/ (`Bearer <key>`).",
        }
