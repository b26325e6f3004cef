"""A real Celery worker process makes the thumbnail that a request queued.

No eager mode and no mocks: the test process queues the job through the service exactly as a
view does (after commit), on kombu's filesystem transport in a temporary folder, and a separate
`celery worker` process, pointed at the same test database, consumes it.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from catalog.services import listing_image_create
from tests import factories as f

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or ""
    auth = quote(db["USER"] or "postgres") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    if host.startswith("/"):  # a Unix socket, as the embedded server uses
        return f"postgres://{auth}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(filesystem_broker, settings):
    """A `celery worker` process on the same queue folder, test database and media folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "REDIS_URL": "",
        "VAR_DIR": str(filesystem_broker),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = filesystem_broker / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo", "-l", "info",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            yield process, log
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_worker_process_makes_the_thumbnail_of_an_uploaded_image(worker, settings):
    process, log = worker
    listing = f.ListingFactory()
    image = listing_image_create(listing=listing, upload=f.image_upload(size=(1600, 1200)))
    assert not image.thumbnail  # nothing was done in this process

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
    assert "listing_image_thumbnail_task" in log.read_text()
