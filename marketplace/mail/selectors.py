"""Reads of the outbox, for monitoring."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from .models import OutboundMail


@dataclass(frozen=True)
class OutboxBacklog:
    """Rows not sent yet: still to be tried, and given up after their last attempt; the oldest one
    still to be tried (None when there is none)."""

    waiting: int
    given_up: int
    oldest_waiting: datetime.datetime | None


def outbound_mail_backlog(*, max_attempts: int) -> OutboxBacklog:
    """One aggregate over the unsent rows only (the partial index `mail_unsent_due_idx` holds them)."""
    attempts_left = Q(attempts__lt=max_attempts)
    row = OutboundMail.objects.unsent().aggregate(
        waiting=Count("pk", filter=attempts_left),
        given_up=Count("pk", filter=~attempts_left),
        oldest=Min("created_at", filter=attempts_left),
    )
    return OutboxBacklog(waiting=row["waiting"], given_up=row["given_up"], oldest_waiting=row["oldest"])
