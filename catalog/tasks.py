"""Background jobs of the catalog: thin wrappers that call one service each."""

from celery import shared_task
from django.db import OperationalError

from .figures import belt_figures_count
from .imports import listing_import_run, listing_import_stalled
from .pictures import listing_image_ids_without_thumbnail, listing_image_make_thumbnail


@shared_task(bind=True, max_retries=3, acks_late=True)
def listing_image_thumbnail_task(self, image_id: int) -> None:  # type: ignore[no-untyped-def]
    """Make one listing image's thumbnail (idempotent)."""
    try:
        listing_image_make_thumbnail(image_id=image_id)
    except OSError as exc:  # storage hiccup: try again shortly
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task
def listing_image_thumbnail_sweep_task() -> int:
    """Queue a thumbnail job for every image that still has none; returns how many."""
    ids = listing_image_ids_without_thumbnail()
    for image_id in ids:
        listing_image_thumbnail_task.delay(image_id)
    return len(ids)


# An import of the largest file (20,000 rows) takes minutes, too close to the default limit
# (CELERY_TASK_TIME_LIMIT); its own limits stay well inside the broker's visibility timeout. The
# soft limit ends a job that still runs too long as "failed" instead of leaving it running. When
# the database is gone, the job cannot even be marked failed and stays "running": the retry
# resumes it after its last committed batch.
@shared_task(
    acks_late=True,
    soft_time_limit=1500,
    time_limit=1560,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
)
def listing_import_run_task(import_id: int, language: str = "en") -> None:
    """Run one listing import (idempotent: a finished job is left alone, a crashed one resumes)."""
    listing_import_run(import_id=import_id, language=language)


@shared_task
def listing_import_sweep_task() -> int:
    """Queue again every import whose message or worker was lost; returns how many."""
    stalled = listing_import_stalled()
    for import_id, language in stalled:
        listing_import_run_task.delay(import_id, language)
    return len(stalled)


@shared_task(ignore_result=True)
def belt_figures_count_task(belt_ids: list[int] | None = None, requested_at: float | None = None) -> int:
    """Recount belts' public figures (all active belts when none are given); belts counted after
    `requested_at` are skipped. Returns how many belts were counted."""
    return belt_figures_count(belt_ids=belt_ids, unless_counted_since=requested_at)
