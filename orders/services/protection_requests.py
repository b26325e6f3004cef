"""Idempotency keys of the API's payment protection and dispute steps (orders/api/protection.py):
the insert-first pattern of orders.services.placing, one row per (user, key)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.exceptions import ApplicationError

from ..models import Order, ProtectionRequest
from .placing import IdempotencyKeyReused


def protection_request_claim(
    *, user: User, order: Order, key: str, step: str, fingerprint: str, status_code: int = 200
) -> ProtectionRequest | None:
    """Claim `user`'s idempotency `key` for one step on `order`, inserted first in the caller's
    transaction (orders.services.placing's pattern): None when the key is new (run the step now;
    if it fails the transaction drops the claim too), the committed request when it is a retry
    of the same body (answer as before), IdempotencyKeyReused (422) for another body or step.
    A concurrent request with the same key waits on the unique index until this one ends."""
    key = (key or "").strip()
    if not key or len(key) > 100:
        raise ApplicationError(_("Send an Idempotency-Key header of 1 to 100 characters."))
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives the conflict
            ProtectionRequest.objects.create(
                user=user, key=key, step=step, order=order, fingerprint=fingerprint, status_code=status_code
            )
        return None
    except IntegrityError:
        request = ProtectionRequest.objects.get(user=user, key=key)
    if (request.fingerprint, request.step, request.order_id) != (fingerprint, step, order.pk):
        raise IdempotencyKeyReused(
            _("This idempotency key was already used for a different request. Use a new key for a new request.")
        )
    return request
