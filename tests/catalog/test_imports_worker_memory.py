"""A real Celery worker whose jobs have a memory allowance: a job that needs more fails with a
message, and the same worker process goes on to run the next job.

The allowance is set smaller than the file (WORKER_JOB_MEMORY_MB) so that the job's first large
allocation, reading the stored file, is refused whole; in production the same limit stops a file
that unpacks or parses to more than the allowance.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Listing, ListingImport
from tests.conftest import client_for

pytestmark = [pytest.mark.worker]

ALLOWANCE_MB = 8
HEADER = "sku,title_en,category,description_en,moq,tier1_qty,tier1_price"


@pytest.fixture
def worker_env() -> dict[str, str]:
    return {"WORKER_JOB_MEMORY_MB": str(ALLOWANCE_MB), "PYTHONFAULTHANDLER": "1"}


def _wait(job: ListingImport, process, log) -> ListingImport:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            return job
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    pytest.fail("the worker did not finish the import within 90 s:\n" + log.read_text())


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_memory_allowance_fails_with_a_message_and_the_worker_runs_the_next(
    worker, supplier, supplier_member, category
):
    process, log = worker
    client = client_for(supplier_member)
    # About 9.5 MB of CSV, past the allowance: the job's read of the stored file is refused.
    big = [f"M-{n},Cutter {n},laser-cutters,{'x' * 430},1,1,{1000 + n}" for n in range(20_000)]
    client.post(
        reverse("catalog:listing_import"), {"file": SimpleUploadedFile("big.csv", "\n".join([HEADER, *big]).encode())}
    )
    first = _wait(ListingImport.objects.get(), process, log)

    small = [f"S-{n},Cutter {n},laser-cutters,,1,1,{1000 + n}" for n in range(3)]
    client.post(
        reverse("catalog:listing_import"),
        {"file": SimpleUploadedFile("small.csv", "\n".join([HEADER, *small]).encode())},
    )
    second = _wait(ListingImport.objects.exclude(pk=first.pk).get(), process, log)

    print(f"\nworker memory allowance {ALLOWANCE_MB} MiB: 9.5 MB CSV job {first.status}, next job {second.status}")
    assert first.status == "failed"
    assert first.failure.startswith("The file needs more memory to import than an import may use.")
    assert "address space capped at" in log.read_text()
    assert process.poll() is None  # the same worker process is alive
    assert (second.status, second.created_count) == ("done", 3), second.failure
    assert set(Listing.objects.values_list("sku", flat=True)) == {"S-0", "S-1", "S-2"}


def test_worker_children_are_replaced_when_a_task_leaves_them_above_the_resident_memory_cap():
    from marketplace.celery import app

    assert app.conf.worker_max_memory_per_child == 512_000  # KiB
