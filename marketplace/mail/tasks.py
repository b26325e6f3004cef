"""Background jobs of the outbox: thin wrappers over marketplace.mail.services."""

from celery import shared_task


@shared_task(acks_late=True)
def mail_send_task(mail_id: int) -> None:
    """Send one outbound mail (idempotent: a sent mail is not sent again; failures are recorded
    on the row for the sweep, not retried here)."""
    from marketplace.mail.services import mail_send  # breaks the services <-> tasks import cycle

    mail_send(mail_id=mail_id)


@shared_task(acks_late=True)
def mail_sweep_task() -> None:
    """Send the outbound mails that are due (run by the beat every minute)."""
    from marketplace.mail.services import mail_sweep

    mail_sweep()
