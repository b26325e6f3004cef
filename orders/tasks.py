"""Background jobs of the trade: thin wrappers that call one service each."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .models import Rfq
from .services.protection import protection_release_due
from .services.rfq import rfq_close_expired, rfq_route


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def rfq_route_task(rfq_id: int) -> int:
    """Route one posted RFQ to its matching suppliers and email them (idempotent: a second
    delivery adds no recipient and sends no email)."""
    return rfq_route(rfq_id=rfq_id)


@shared_task
def rfq_route_sweep_task() -> int:
    """Queue routing for open RFQs a lost message left unrouted for ten minutes; returns how many."""
    ids = list(
        Rfq.objects.filter(
            status=Rfq.Status.OPEN, routed_at__isnull=True, created_at__lt=timezone.now() - timedelta(minutes=10)
        ).values_list("pk", flat=True)
    )
    for rfq_id in ids:
        rfq_route_task.delay(rfq_id)
    return len(ids)


@shared_task(acks_late=True)
def rfq_close_expired_task() -> int:
    """Close the open RFQs whose deadline has passed and whose quotes have all expired (hourly;
    idempotent: a second run, or two at once, close and email nothing more). Returns how many."""
    return rfq_close_expired()


@shared_task(acks_late=True)
def protection_release_due_task() -> int:
    """Hourly: release protected funds whose release date passed with no dispute open (idempotent:
    each release is guarded by the protection's status under its lock). Returns how many."""
    return protection_release_due()


@shared_task(acks_late=True)
def webhook_deliver_task(delivery_id: int) -> bool:
    """POST one webhook delivery (idempotent: a delivered or locked one is not sent again; failures
    are recorded on the row for the sweep, not retried here)."""
    from .services.webhooks import webhook_deliver  # local: the services import this module's tasks

    return webhook_deliver(delivery_id=delivery_id)


@shared_task(acks_late=True)
def webhook_sweep_task() -> int:
    """Send the webhook deliveries that are due (every minute); returns how many were delivered."""
    from .services.webhooks import webhook_sweep

    return webhook_sweep()
