"""A real Celery worker process makes the thumbnail that a request queued.

No eager mode and no mocks: the test process queues the job through the service exactly as a
view does (after commit), on kombu's filesystem transport in a temporary folder, and a separate
`celery worker` process, pointed at the same test database, consumes it.
"""

import time
from pathlib import Path

import pytest

from catalog.pictures import listing_image_create
from tests import factories as f

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_process_checks_an_uploaded_image_then_makes_its_thumbnail(worker, settings):
    settings.FILE_CHECK_EAGER = False  # as in production: the request only stores the upload
    process, log = worker
    listing = f.ListingFactory()
    image = listing_image_create(listing=listing, upload=f.image_upload(size=(1600, 1200)))
    assert image.file_check == "pending" and not image.image and not image.thumbnail  # nothing done here

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        image.refresh_from_db()
        if image.thumbnail:
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker made no thumbnail within 60 s:\n" + log.read_text())

    thumb = Path(settings.MEDIA_ROOT) / image.thumbnail.name
    assert thumb.exists()
    from PIL import Image

    with Image.open(thumb) as picture:
        assert max(picture.size) <= 480
    assert image.file_check == "clean" and image.image.name.startswith(f"listings/{listing.pk}/")
    assert "file_check_task" in log.read_text()
    assert "listing_image_thumbnail_task" in log.read_text()
