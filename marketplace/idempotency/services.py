"""Claiming an idempotency key (the insert-first pattern of orders.services.placing).

Invariants kept: `(user_id, key)` is unique in the database, and the row is inserted before the
work in the same transaction, so fifty racing requests with one key run the work once: the others
wait on the unique index until the first transaction ends, then read its committed answer (or,
when it rolled back, claim the key themselves). A key whose request was refused stays free.
"""

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from marketplace.exceptions import ApplicationError, UnprocessableError

from .models import IdempotentRequest

KEY_MAX_LENGTH = 100
KEEP_DAYS = 30


class IdempotencyKeyReused(UnprocessableError):
    """The key was used before for a different request (422)."""


def idempotency_key_clean(key: str | None) -> str:
    """The key as sent, stripped; ApplicationError (400) unless it has 1 to 100 characters."""
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ApplicationError(_("Send an Idempotency-Key header of 1 to 100 characters."))
    return key


def request_fingerprint(*, endpoint: str, body: Any) -> str:
    """sha256 of the operation and the body normalised to sorted-key JSON; an uploaded file counts
    by its name, size and content."""

    def normal(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [normal(v) for v in value]
        if isinstance(value, dict):
            return {str(k): normal(v) for k, v in value.items()}
        if hasattr(value, "chunks") and hasattr(value, "seek"):
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            return [getattr(value, "name", ""), getattr(value, "size", 0), digest.hexdigest()]
        return value

    text = json.dumps({"endpoint": endpoint, "body": normal(body)}, sort_keys=True, cls=JSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent_request_claim(*, user_id: int, key: str, endpoint: str, fingerprint: str) -> IdempotentRequest | None:
    """Claim `user_id`'s `key` inside the caller's transaction: None when the key is new (do the
    work now, then `idempotent_request_answer`; if the work fails the transaction drops the claim),
    the committed request when it is a retry of the same operation and body (answer as it did),
    IdempotencyKeyReused (422) for another operation or body."""
    key = idempotency_key_clean(key)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the conflict
            IdempotentRequest.objects.create(user_id=user_id, key=key, endpoint=endpoint, fingerprint=fingerprint)
        return None
    except IntegrityError:
        earlier = IdempotentRequest.objects.get(user_id=user_id, key=key)
    if (earlier.endpoint, earlier.fingerprint) != (endpoint, fingerprint) or earlier.status_code is None:
        raise IdempotencyKeyReused(
            _("This idempotency key was already used for a different request. Use a new key for a new request.")
        )
    return earlier


def idempotent_request_answer(*, user_id: int, key: str, status_code: int, response: Any) -> None:
    """Keep the answer of the request that claimed the key, in the same transaction as its work."""
    IdempotentRequest.objects.filter(user_id=user_id, key=key.strip()).update(
        status_code=status_code, response=response
    )


def idempotent_request_purge(*, now: datetime | None = None) -> int:
    """Delete keys older than KEEP_DAYS (a retry comes within minutes; the rows only grow).
    Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _kinds = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
