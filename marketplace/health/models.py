"""The workers' heartbeats: proof that a beat and, for each queue, a worker are consuming jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time `worker` ran the heartbeat job the beat sends to `queue` every 30 seconds; one
    row a worker and queue."""

    worker = models.CharField(_("worker"), max_length=255)
    queue = models.CharField(_("queue"), max_length=100, default="celery")
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        constraints = [models.UniqueConstraint(fields=["worker", "queue"], name="health_heartbeat_worker_queue")]

    def __str__(self) -> str:
        return f"{self.worker} ({self.queue}) at {self.beat_at:%Y-%m-%d %H:%M:%S}"
