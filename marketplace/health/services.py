"""Writes of the health app: the workers' heartbeats."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat


def worker_heartbeat_record(*, worker: str, queue: str = "celery") -> WorkerHeartbeat:
    """Record that `worker` ran the heartbeat job of `queue` now, which also shows it alive (one row a
    worker and queue, updated in place)."""
    now = timezone.now()
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker=worker[:255], queue=queue[:100], defaults={"beat_at": now, "job_ran_at": now}
    )
    return heartbeat


def worker_alive_record(*, worker: str, queues: Iterable[str]) -> None:
    """Record that `worker` is alive and consuming each of `queues` now (its main process calls this
    on a timer, busy pool or not); the heartbeat job's time is left as it was."""
    now = timezone.now()
    with transaction.atomic():
        for queue in sorted(set(queues)):  # the same order in every worker: no deadlock between two
            WorkerHeartbeat.objects.update_or_create(worker=worker[:255], queue=queue[:100], defaults={"beat_at": now})
