"""Listing pictures: an upload kept unchecked until its check job (marketplace.filecheck) stores a
re-encoded copy, then a thumbnail made by its own job. Every change to a picture's file is here."""

import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from marketplace.filecheck.models import FileCheck
from marketplace.filecheck.services import file_check_later, file_receive
from marketplace.jobs import enqueue_on_commit

from .models import Listing, ListingImage

logger = logging.getLogger(__name__)

THUMBNAIL_SIZE = (480, 480)


@transaction.atomic
def listing_image_create(
    *, listing: Listing, upload: "UploadedFile[bytes]", alt_text: str = "", position: int | None = None
) -> ListingImage:
    """Keep an uploaded picture unchecked and queue its check (marketplace.filecheck): the job
    stores a re-encoded copy and queues the thumbnail (`listing_image_checked`). Only the size and
    the magic bytes are read here; a wrong type or size raises ValidationError."""
    if position is None:
        position = listing.images.count()
    image = ListingImage(listing=listing, alt_text=alt_text, position=position)
    file_receive(image, upload)
    image.save()
    file_check_later(image)
    return image


@transaction.atomic
def listing_image_replace(*, image: ListingImage, upload: "UploadedFile[bytes]") -> ListingImage:
    """Put a new upload in place of a listing image's picture: unchecked until its job has run, so
    the old picture and thumbnail are dropped now (they show what is being replaced)."""
    image = ListingImage.objects.select_for_update().get(pk=image.pk)
    old = [(f.name, f.storage) for f in (image.image, image.thumbnail, image.file_quarantine) if f.name]
    file_receive(image, upload)
    image.image = ""
    image.thumbnail = ""
    image.save()
    transaction.on_commit(lambda: _delete_files(old))
    file_check_later(image)
    return image


def _delete_files(files: list[tuple[str, Storage]]) -> None:
    for name, storage in files:
        storage.delete(name)


def listing_image_checked(image: ListingImage, clean: object, content_type: str) -> None:
    """After the check of a listing image (inside its transaction): queue the thumbnail of a clean one."""
    if clean is not None:
        image.thumbnail = ""
        listing_image_thumbnail_enqueue(image=image)


def listing_image_thumbnail_enqueue(*, image: ListingImage) -> None:
    """Queue the thumbnail job once the row is committed (never before: the worker must see it); with
    the broker down, the thumbnail sweep makes it."""
    from .tasks import listing_image_thumbnail_task

    enqueue_on_commit(listing_image_thumbnail_task, image.pk)


@transaction.atomic
def listing_image_make_thumbnail(*, image_id: int) -> ListingImage | None:
    """Make the thumbnail of one stored image. Safe to run twice: a second run does nothing.

    The row lock makes two workers that got the same message take turns; the second sees the
    thumbnail the first made and returns.
    """
    image = ListingImage.objects.select_for_update().filter(pk=image_id).first()
    if image is None:  # deleted since the job was queued
        return None
    if image.thumbnail or not image.file_is_clean or not image.image:
        return image  # made already, or nothing checked to make it from
    with image.image.open("rb") as source, Image.open(source) as picture:
        picture.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
    base = (image.image.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    image.thumbnail.save(f"{base}-thumb.jpg", ContentFile(out.getvalue()), save=False)
    image.save(update_fields=["thumbnail"])
    logger.info("thumbnail made for listing image %s", image.pk)
    return image


def listing_image_ids_without_thumbnail(limit: int = 500) -> list[int]:
    """Images whose thumbnail job was lost (worker died, broker emptied): for the sweep job."""
    return list(
        ListingImage.objects.filter(thumbnail="", file_check=FileCheck.CLEAN)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
