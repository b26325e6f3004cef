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


def test_worker_refuses_a_hostile_picture_and_checks_the_next_one(worker, settings):
    """A file that is no image past its header, and a pixel bomb (a PNG that claims 100,000 ×
    100,000 pixels in a few hundred bytes), are refused by the worker's check, which goes on to
    check the next upload."""
    import io
    import struct
    import zlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_CHECK_EAGER = False
    process, log = worker
    listing = f.ListingFactory()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = io.BytesIO()
    bomb.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)))
    bomb.write(chunk(b"IDAT", zlib.compress(b"\x00" * 10_000)) + chunk(b"IEND", b""))
    garbage = b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 500
    refused = [
        listing_image_create(listing=listing, upload=SimpleUploadedFile(name, content, content_type="image/png"))
        for name, content in (("bomb.png", bomb.getvalue()), ("broken.png", garbage))
    ]
    fine = listing_image_create(listing=listing, upload=f.image_upload(size=(320, 240)))

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = [type(i).objects.get(pk=i.pk).file_check for i in (*refused, fine)]
        if "pending" not in states:
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker left checks pending for 60 s:\n" + log.read_text())

    assert states == ["refused", "refused", "clean"]
    # Pillow refuses the bomb as it opens it (over twice its pixel limit), before any decoding.
    assert [type(i).objects.get(pk=i.pk).file_refusal for i in refused] == [
        "image_too_large_to_process",
        "image_unreadable",
    ]
    assert process.poll() is None  # the worker survived both
