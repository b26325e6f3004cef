"""The heartbeat job: a thin wrapper over marketplace.health.services."""

from celery import shared_task


@shared_task(bind=True, ignore_result=True, expires=60)
def worker_heartbeat_task(self, queue: str = "celery") -> None:  # type: ignore[no-untyped-def]
    """Record that this worker took a job from `queue` just now: the beat sends one to each declared
    queue every 30 seconds (marketplace/settings/beat.py). The queue recorded is the one the message
    was delivered from (its routing key) when the broker says so; `queue` otherwise (a job run eagerly)."""
    from marketplace.health.services import worker_heartbeat_record

    delivered = (self.request.delivery_info or {}).get("routing_key")
    worker_heartbeat_record(worker=self.request.hostname or "worker", queue=delivered or queue)
