"""Listing pictures: stored re-encoded, thumbnails made by a job queued after commit, safe twice.

`.delay` is replaced by a recorder only to observe what leaves for the broker (the outside
world); the services and tasks themselves run for real.
"""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog import tasks
from catalog.models import ListingImage
from catalog.pictures import listing_image_create, listing_image_make_thumbnail
from tests import factories as f


def test_create_stores_a_re_encoded_copy_under_a_server_made_name(listing, sent, django_capture_on_commit_callbacks):
    upload = f.image_upload(name="My Factory Photo.JPG", size=(640, 480))
    with django_capture_on_commit_callbacks(execute=True):
        image = listing_image_create(listing=listing, upload=upload, alt_text="The 3015 bed")

    image.refresh_from_db()
    assert image.listing == listing
    assert image.alt_text == "The 3015 bed"
    assert image.image.name.startswith(f"listings/{listing.pk}/")
    assert "Factory" not in image.image.name
    with image.image.open("rb") as stored:
        content = stored.read()
    assert content != f.image_bytes("JPEG", size=(640, 480))
    assert Image.open(io.BytesIO(content)).size == (640, 480)
    assert not image.thumbnail  # made later, by the worker


def test_create_queues_exactly_one_thumbnail_job_and_only_after_commit(
    listing, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = listing_image_create(listing=listing, upload=f.image_upload())
        assert sent == []  # inside the transaction: the worker could not see the row yet

    assert sent == []
    for callback in callbacks:  # the thumbnail job, and dropping the unchecked upload
        callback()
    assert sent == [image.pk]


def test_create_gives_each_picture_the_next_position(listing, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = listing_image_create(listing=listing, upload=f.image_upload())
        second = listing_image_create(listing=listing, upload=f.image_upload(fmt="PNG", name="b.png"))
    assert (first.position, second.position) == (0, 1)
    assert second.image.name.endswith(".png")
    assert sent == [first.pk, second.pk]


def test_create_refuses_a_file_that_is_not_an_image_and_stores_and_queues_nothing(
    listing, sent, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError) as caught:
        listing_image_create(listing=listing, upload=upload)
    assert caught.value.code == "not_an_image"
    assert callbacks == []
    assert sent == []
    assert not ListingImage.objects.exists()


def _stored_image(listing, capture, **kwargs) -> ListingImage:
    """An uploaded picture, committed; callers request `sent` so its job is recorded, not sent."""
    with capture(execute=True):
        return listing_image_create(listing=listing, upload=f.image_upload(**kwargs))


def test_make_thumbnail_makes_a_jpeg_no_larger_than_480_pixels(listing, sent, django_capture_on_commit_callbacks):
    image = _stored_image(listing, django_capture_on_commit_callbacks, fmt="PNG", name="a.png", size=(1200, 900))

    made = listing_image_make_thumbnail(image_id=image.pk)

    made.refresh_from_db()
    assert made.thumbnail.name.startswith(f"listings/{listing.pk}/thumbs/")
    assert made.thumbnail.name.endswith("-thumb.jpg")
    with made.thumbnail.open("rb") as thumb:
        picture = Image.open(io.BytesIO(thumb.read()))
    assert picture.format == "JPEG"
    assert max(picture.size) <= 480
    assert picture.size == (480, 360)  # aspect ratio kept


def test_make_thumbnail_twice_keeps_the_first_thumbnail(listing, sent, django_capture_on_commit_callbacks):
    image = _stored_image(listing, django_capture_on_commit_callbacks, size=(800, 600))

    first = listing_image_make_thumbnail(image_id=image.pk).thumbnail.name
    second = listing_image_make_thumbnail(image_id=image.pk).thumbnail.name

    assert first == second
    folder = Path(ListingImage.thumbnail.field.storage.path(first)).parent
    assert [p.name for p in folder.iterdir()] == [first.rsplit("/", 1)[-1]]  # no second file written


def test_make_thumbnail_of_a_deleted_image_returns_none(listing, sent, django_capture_on_commit_callbacks):
    image = _stored_image(listing, django_capture_on_commit_callbacks)
    image_id = image.pk
    image.delete()
    assert listing_image_make_thumbnail(image_id=image_id) is None


def test_thumbnail_task_makes_the_thumbnail(listing, sent, django_capture_on_commit_callbacks):
    image = _stored_image(listing, django_capture_on_commit_callbacks)
    tasks.listing_image_thumbnail_task(image.pk)
    image.refresh_from_db()
    assert image.has_thumbnail()


def test_sweep_queues_only_the_images_without_a_thumbnail(listing, sent, django_capture_on_commit_callbacks):
    done = _stored_image(listing, django_capture_on_commit_callbacks)
    listing_image_make_thumbnail(image_id=done.pk)
    lost = [_stored_image(listing, django_capture_on_commit_callbacks) for _ in range(2)]
    sent.clear()

    queued = tasks.listing_image_thumbnail_sweep_task()

    assert queued == 2
    assert sent == [image.pk for image in lost]


def test_sweep_with_nothing_to_do_queues_nothing(listing, sent, django_capture_on_commit_callbacks):
    done = _stored_image(listing, django_capture_on_commit_callbacks)
    listing_image_make_thumbnail(image_id=done.pk)
    sent.clear()
    assert tasks.listing_image_thumbnail_sweep_task() == 0
    assert sent == []
