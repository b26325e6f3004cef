"""The two token operations the API's authentication runs on every request: the key's stored form
and the throttled record of its last use. Apart from accounts.services, which imports
marketplace.exceptions, whose DRF imports load the authentication classes: no import cycle."""

import datetime
import hashlib

from django.conf import settings
from django.db.models import Q

from marketplace.dbrouter import bookkeeping

from .models import ApiToken


def api_token_digest(key: str) -> str:
    """The stored form of a key. A key carries 256 random bits, so one SHA-256 is enough (a slow
    password hash guards guessable secrets; nobody guesses 2^256)."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_touch(*, token: ApiToken, now: datetime.datetime) -> bool:
    """Record that `token` was used, at most once per `API_TOKEN_LAST_USED_INTERVAL`: a conditional
    UPDATE that writes nothing while the recorded time is recent, so busy integrations do not turn
    every request into a write (and two requests at once write it once)."""
    if token.last_used_at is not None and now - token.last_used_at < settings.API_TOKEN_LAST_USED_INTERVAL:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - settings.API_TOKEN_LAST_USED_INTERVAL)
    with bookkeeping():  # not the client's write: its reads stay where they were (marketplace.dbrouter)
        return ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now) == 1
