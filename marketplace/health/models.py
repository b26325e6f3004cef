"""The workers' heartbeats: proof that, for each queue, a worker is alive and consuming it, and that
the beat's heartbeat job still gets through."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row a worker and queue.

    `beat_at`: the last time `worker` said it is alive and consuming `queue`. The worker's main
    process writes it every HEALTH_WORKER_HEARTBEAT_SECONDS (marketplace.health.worker), whether or
    not its pool has a free process, so a long job does not make a live worker look dead.

    `job_ran_at`: the last time `worker` ran the heartbeat job the beat sends to `queue` every 30
    seconds. It proves the beat and the broker deliver, and how long a job waits on that queue."""

    worker = models.CharField(_("worker"), max_length=255)
    queue = models.CharField(_("queue"), max_length=100, default="celery")
    beat_at = models.DateTimeField(_("last heartbeat"))
    job_ran_at = models.DateTimeField(_("heartbeat job last run"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        constraints = [models.UniqueConstraint(fields=["worker", "queue"], name="health_heartbeat_worker_queue")]

    def __str__(self) -> str:
        return f"{self.worker} ({self.queue}) at {self.beat_at:%Y-%m-%d %H:%M:%S}"
