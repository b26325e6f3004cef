"""The daily purge of old idempotency keys: a thin wrapper over marketplace.idempotency.services."""

from celery import shared_task


@shared_task(ignore_result=True)
def idempotent_request_purge_task() -> int:
    """Delete idempotency keys older than the retention (idempotent: a second run deletes nothing)."""
    from marketplace.idempotency.services import idempotent_request_purge

    return idempotent_request_purge()
