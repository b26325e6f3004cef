"""Writes of the health app: the worker's heartbeat."""

from django.utils import timezone

from .models import WorkerHeartbeat


def worker_heartbeat_record(*, worker: str) -> WorkerHeartbeat:
    """Record a heartbeat of `worker` now (one row a worker, updated in place)."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker=worker[:255], defaults={"beat_at": timezone.now()}
    )
    return heartbeat
