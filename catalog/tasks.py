"""Background jobs of the catalog: thin wrappers that call one service each."""

from celery import shared_task

from .services import listing_image_ids_without_thumbnail, listing_image_make_thumbnail


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
