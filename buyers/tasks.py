"""Background jobs of buyers: thin wrappers that call one service each."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, acks_late=True)
def inquiry_message_notify_task(self, message_id: int, base_url: str = "") -> None:  # type: ignore[no-untyped-def]
    """Email the other side of one inquiry message (idempotent: a message is announced once)."""
    from buyers.services import inquiry_message_notify  # breaks the services <-> tasks import cycle

    try:
        inquiry_message_notify(message_id=message_id, base_url=base_url)
    except OSError as exc:  # mail server unreachable: the service released its claim, try again
        raise self.retry(exc=exc, countdown=120) from exc
