"""A real Celery worker process runs the import a supplier's upload queued.

No eager mode and no mocks: the upload goes through the view, the job is queued after commit on
kombu's filesystem transport in a temporary folder, and a separate `celery worker` process,
pointed at the same test database and private media folder, runs it to the end.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Listing, ListingEvent, ListingImport
from tests import factories as f
from tests.conftest import client_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_process_imports_an_uploaded_file(worker):
    process, log = worker
    supplier = f.SupplierFactory()
    member = f.SupplierMemberFactory(supplier=supplier).user
    f.CategoryFactory(slug="laser-cutters")
    lines = ["sku,title_zh,category,moq,tier1_qty,tier1_price"]
    lines += [f"W-{n},激光切割机 {n},laser-cutters,1,1,{1000 + n}" for n in range(250)]
    lines += ["W-bad,坏行,laser-cutters,0,1,100"]
    data = ("\n".join(lines) + "\n").encode("gbk")

    response = client_for(member).post(
        reverse("catalog:listing_import"), {"file": SimpleUploadedFile("清单.csv", data)}
    )
    job = ListingImport.objects.get()
    assert response.status_code == 302
    assert job.status == "queued"  # nothing was run in this process

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not finish the import within 90 s:\n" + log.read_text())

    assert (job.status, job.total_rows, job.processed_rows) == ("done", 251, 251), job.failure
    assert (job.created_count, job.updated_count) == (250, 0)
    assert [(entry["line"], entry["sku"]) for entry in job.error_rows] == [(252, "W-bad")]
    assert Listing.objects.filter(supplier=supplier).count() == 250
    assert ListingEvent.objects.filter(kind="imported", actor=member).count() == 250
    assert "listing_import_run_task" in log.read_text()
