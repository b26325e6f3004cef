"""Who a sign-in attempt is for, as the lockout (django-axes) counts it.

Sign-in finds an account by its email in any letter case (`UserManager.get_by_natural_key`), so the
lockout counts failures under the same normalised address: one lock per person and client address,
however the address is typed. The sign-in form names the field "username"; HTTP Basic auth (DRF)
passes the user model's USERNAME_FIELD ("email"): both are read, so a failed Basic sign-in is
recorded with its username and locks that account only, not everyone behind the same address.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def normalised_username(value: object) -> str | None:
    text = str(value).strip().lower() if value is not None else ""
    return text or None


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the normalised email of the attempt, from credentials or the form."""
    if credentials:
        for key in ("username", "email"):
            if credentials.get(key):
                return normalised_username(credentials[key])
    if request is not None:
        data = getattr(request, "data", None) or request.POST
        # An API body may be any JSON value (a list, a number): only a mapping names a username.
        if isinstance(data, Mapping):
            return normalised_username(data.get("username") or data.get("email"))
    return None
