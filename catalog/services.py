"""Writes to the catalog. Every state change happens here, once."""

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from marketplace.uploads import clean_image_upload

from .models import Listing, ListingImage

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (480, 480)


@transaction.atomic
def listing_image_create(*, listing: Listing, upload: UploadedFile, alt_text: str = "") -> ListingImage:
    """Check an uploaded picture by content, store a re-encoded copy and queue its thumbnail."""
    clean = clean_image_upload(upload)
    position = listing.images.count()
    image = ListingImage(listing=listing, alt_text=alt_text, position=position)
    image.image.save(clean.name, clean, save=False)
    image.save()
    listing_image_thumbnail_enqueue(image=image)
    return image


def listing_image_thumbnail_enqueue(*, image: ListingImage) -> None:
    """Queue the thumbnail job once the row is committed (never before: the worker must see it)."""
    from .tasks import listing_image_thumbnail_task

    image_id = image.pk
    transaction.on_commit(lambda: listing_image_thumbnail_task.delay(image_id))


@transaction.atomic
def listing_image_make_thumbnail(*, image_id: int) -> ListingImage | None:
    """Make the thumbnail of one stored image. Safe to run twice: a second run does nothing.

    The row lock makes two workers that got the same message take turns; the second sees the
    thumbnail the first made and returns.
    """
    image = ListingImage.objects.select_for_update().filter(pk=image_id).first()
    if image is None:  # deleted since the job was queued
        return None
    if image.thumbnail:
        return image
    with image.image.open("rb") as source, Image.open(source) as picture:
        picture.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
    base = image.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    image.thumbnail.save(f"{base}-thumb.jpg", ContentFile(out.getvalue()), save=False)
    image.save(update_fields=["thumbnail"])
    logger.info("thumbnail made for listing image %s", image.pk)
    return image


def listing_image_ids_without_thumbnail(limit: int = 500) -> list[int]:
    """Images whose thumbnail job was lost (worker died, broker emptied): for the sweep job."""
    return list(ListingImage.objects.filter(thumbnail="").order_by("id").values_list("id", flat=True)[:limit])
