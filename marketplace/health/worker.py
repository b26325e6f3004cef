"""The worker's own heartbeat: a bootstep of every `celery worker` (marketplace/celery.py) that
records, every HEALTH_WORKER_HEARTBEAT_SECONDS, that this worker is alive and consuming its queues.

It runs in the worker's main process on the worker's timer, not as a job: a prefork worker whose
every pool process is busy with a long import still says it is alive, so /readyz does not take a
busy queue for a dead one. (With `--pool solo` the main process runs the jobs itself, so a long job
delays the heartbeat, as it delays every other job of that worker.) Whether jobs still get through
is the heartbeat job's to show (marketplace.health.tasks).
"""

import logging
from typing import Any

from celery import bootsteps
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


def consumed_queues(worker: Any) -> list[str]:
    """The declared queues this worker consumes (all of them without `-Q`)."""
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    return sorted(name for name in worker.app.amqp.queues.consume_from if name in declared)


class Heartbeat(bootsteps.StartStopStep):
    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.entry: Any = None

    def start(self, worker: Any) -> None:
        self.beat(worker)
        self.entry = worker.timer.call_repeatedly(settings.HEALTH_WORKER_HEARTBEAT_SECONDS, self.beat, (worker,))

    def stop(self, worker: Any) -> None:
        if self.entry is not None:
            self.entry.cancel()
            self.entry = None

    def beat(self, worker: Any) -> None:
        from marketplace.health.services import worker_alive_record

        try:
            worker_alive_record(worker=worker.hostname, queues=consumed_queues(worker))
        except Exception:  # a database outage is /readyz's to report; the worker goes on
            logger.warning("worker heartbeat not recorded", exc_info=True)
        finally:
            # No connection is kept open in the main process between beats: the pool's processes
            # are forked from it and must not share one.
            connections.close_all()
