"""The heartbeat job: a thin wrapper over marketplace.health.services."""

from celery import shared_task


@shared_task(bind=True, ignore_result=True, expires=60)
def worker_heartbeat_task(self) -> None:  # type: ignore[no-untyped-def]
    """Record that this worker ran a job just now (queued by the beat every 30 seconds)."""
    from marketplace.health.services import worker_heartbeat_record

    worker_heartbeat_record(worker=self.request.hostname or "worker")
