"""Writes of the health app: the workers' heartbeats."""

from django.utils import timezone

from .models import WorkerHeartbeat


def worker_heartbeat_record(*, worker: str, queue: str = "celery") -> WorkerHeartbeat:
    """Record that `worker` ran a job from `queue` now (one row a worker and queue, updated in place)."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker=worker[:255], queue=queue[:100], defaults={"beat_at": timezone.now()}
    )
    return heartbeat
