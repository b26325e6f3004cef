"""The import job: good rows created, bad rows reported, re-imports update, and the job is safe to
run twice, to resume after a crash, and to fail without losing what it did."""

import csv
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import imports
from catalog.imports import LOCK_NAMESPACE, listing_import_create, listing_import_run
from catalog.models import Listing, ListingEvent, ListingImport
from tests import databases
from tests import factories as f

HEADER = ["sku", "title_en", "title_zh", "category", "moq", "tier1_qty", "tier1_price", "tier2_qty", "tier2_price",
          "status"]  # fmt: skip


def row(sku: str, **changes: str) -> dict[str, str]:
    return {
        "sku": sku, "title_en": f"Cutter {sku}", "title_zh": f"切割机 {sku}", "category": "laser-cutters",
        "moq": "10", "tier1_qty": "10", "tier1_price": "100.00", "tier2_qty": "100", "tier2_price": "90.00",
        "status": "draft", **changes,
    }  # fmt: skip


def csv_file(rows: list[dict[str, str] | None], header: list[str] = HEADER) -> bytes:
    """A CSV of `rows`; None writes a blank line (which keeps its row number)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for item in rows:
        if item is None:
            out.write("\n")
        else:
            writer.writerow(item)
    return out.getvalue().encode()


def create(supplier, user, data: bytes) -> ListingImport:
    return listing_import_create(supplier=supplier, actor=user, upload=SimpleUploadedFile("listings.csv", data))


def run(supplier, user, data: bytes) -> ListingImport:
    return listing_import_run(import_id=create(supplier, user, data).pk)


MIXED = [
    row("A-1"),
    row("A-2", moq="abc"),
    None,
    row("A-3", category="nope"),
    row("A-4", tier2_price="120"),
    row("A-5"),
]


def test_good_rows_are_created_and_bad_rows_reported_with_their_row_numbers(supplier, supplier_member, category):
    job = run(supplier, supplier_member, csv_file(MIXED))
    assert job.status == ListingImport.Status.DONE
    assert (job.total_rows, job.processed_rows, job.created_count, job.updated_count) == (5, 5, 2, 0)
    assert job.percent == 100
    assert [(entry["line"], entry["sku"]) for entry in job.error_rows] == [(3, "A-2"), (5, "A-3"), (6, "A-4")]
    assert job.error_rows[0]["errors"] == ["moq: “abc” is not a whole number."]
    assert set(Listing.objects.values_list("sku", flat=True)) == {"A-1", "A-5"}
    assert job.started_at and job.finished_at


def test_a_created_listing_has_its_values_tiers_event_and_denormalised_columns(supplier, supplier_member, category):
    run(supplier, supplier_member, csv_file([row("A-1", status="published")]))
    listing = Listing.objects.get(sku="A-1")
    assert (listing.supplier, listing.category, listing.title_zh, listing.moq) == (supplier, category, "切割机 A-1", 10)
    assert [(t.min_quantity, t.unit_price) for t in listing.tiers.all()] == [(10, Decimal("100.00")),
                                                                            (100, Decimal("90.00"))]  # fmt: skip
    assert listing.status == "published" and listing.published_at is not None
    assert (listing.is_public, listing.belt_id, listing.price_from) == (True, supplier.belt_id, Decimal("90.00"))
    event = ListingEvent.objects.get(listing=listing)
    assert (event.kind, event.actor) == (ListingEvent.Kind.IMPORTED, supplier_member)
    assert "row 2" in event.note


def test_reimporting_the_same_file_updates_instead_of_duplicating(supplier, supplier_member, category):
    first = run(supplier, supplier_member, csv_file(MIXED))
    ids = dict(Listing.objects.values_list("sku", "pk"))
    second = run(supplier, supplier_member, csv_file(MIXED))
    assert (second.created_count, second.updated_count) == (0, 2)
    assert len(second.error_rows) == len(first.error_rows)
    assert dict(Listing.objects.values_list("sku", "pk")) == ids
    assert Listing.objects.count() == 2
    assert ListingEvent.objects.filter(kind="imported").count() == 4


def test_a_reimport_with_changes_updates_values_and_tiers(supplier, supplier_member, category):
    run(supplier, supplier_member, csv_file([row("A-1")]))
    job = run(supplier, supplier_member, csv_file([row("A-1", title_en="Renamed", moq="20", tier1_qty="20",
                                                       tier1_price="95", tier2_qty="", tier2_price="")]))  # fmt: skip
    assert (job.created_count, job.updated_count, job.error_rows) == (0, 1, [])
    listing = Listing.objects.get(sku="A-1")
    assert (listing.title_en, listing.moq, listing.price_from) == ("Renamed", 20, Decimal("95.00"))
    assert [(t.min_quantity, t.unit_price) for t in listing.tiers.all()] == [(20, Decimal("95.00"))]


def test_columns_left_out_keep_the_listings_values(supplier, supplier_member, category):
    run(supplier, supplier_member, csv_file([row("A-1", description_en="Keep me")],
                                            header=[*HEADER, "description_en"]))  # fmt: skip
    job = run(supplier, supplier_member, csv_file([{"sku": "A-1", "tier1_qty": "10", "tier1_price": "80"}],
                                                  header=["sku", "tier1_qty", "tier1_price"]))  # fmt: skip
    assert (job.updated_count, job.error_rows) == (1, [])
    listing = Listing.objects.get(sku="A-1")
    assert (listing.title_en, listing.description_en, listing.moq) == ("Cutter A-1", "Keep me", 10)
    assert [(t.min_quantity, t.unit_price) for t in listing.tiers.all()] == [(10, Decimal("80.00"))]


def test_a_new_moq_alone_is_checked_against_the_listings_tiers(supplier, supplier_member, category):
    run(supplier, supplier_member, csv_file([row("A-1")]))
    job = run(supplier, supplier_member, csv_file([{"sku": "A-1", "moq": "5"}], header=["sku", "moq"]))
    assert job.updated_count == 0
    assert "The MOQ (5) is below the first tier (10)" in job.error_rows[0]["errors"][0]
    assert Listing.objects.get(sku="A-1").moq == 10


def test_the_sku_is_the_key_per_supplier(supplier, supplier_member, other_supplier, category):
    theirs = f.ListingFactory(supplier=other_supplier, category=category, sku="A-1", title_en="Theirs")
    job = run(supplier, supplier_member, csv_file([row("A-1")]))
    assert job.created_count == 1
    theirs.refresh_from_db()
    assert theirs.title_en == "Theirs"
    assert Listing.objects.filter(sku="A-1").count() == 2


def test_published_rows_of_a_supplier_that_may_not_publish_are_kept_as_drafts(belt, category):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    member = f.SupplierMemberFactory(supplier=applicant).user
    job = run(applicant, member, csv_file([row("A-1", status="published"), row("A-2")]))
    assert (job.created_count, job.processed_rows) == (2, 2)
    listing = Listing.objects.get(sku="A-1")
    assert (listing.status, listing.is_public, listing.published_at) == ("draft", False, None)
    [note] = job.error_rows
    assert (note["line"], note["errors"]) == (2, [])
    assert note["notes"][0].startswith("status: saved as a draft. Only companies verified")


def test_an_import_can_unpublish_and_publish(supplier, supplier_member, category):
    run(supplier, supplier_member, csv_file([row("A-1", status="published")]))
    run(supplier, supplier_member, csv_file([row("A-1", status="draft")]))
    listing = Listing.objects.get(sku="A-1")
    assert (listing.status, listing.is_public) == ("draft", False)


def test_running_a_finished_job_again_does_nothing(supplier, supplier_member, category):
    job = run(supplier, supplier_member, csv_file(MIXED))
    events = ListingEvent.objects.count()
    again = listing_import_run(import_id=job.pk)
    assert (again.status, again.created_count, again.updated_count, again.processed_rows) == ("done", 2, 0, 5)
    assert ListingEvent.objects.count() == events
    assert again.finished_at == job.finished_at


class WorkerDied(BaseException):
    """Stands for the worker process being killed mid-job (not an Exception: nothing catches it)."""


def test_a_crashed_job_resumes_after_its_last_batch_without_duplicates(
    supplier, supplier_member, category, monkeypatch, settings
):
    settings.LISTING_IMPORT_BATCH_SIZE = 2
    real_batch = imports.job._run_batch
    calls = []

    def dies_on_second_batch(**kwargs):
        calls.append(kwargs["rows"][0][0])
        if len(calls) == 2:
            raise WorkerDied
        real_batch(**kwargs)

    rows = [row(f"A-{n}") for n in range(1, 6)]
    rows[3] = row("A-4", moq="x")  # a bad row in the batch that crashed
    job = create(supplier, supplier_member, csv_file(rows))
    monkeypatch.setattr(imports.job, "_run_batch", dies_on_second_batch)
    with pytest.raises(WorkerDied):
        listing_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created_count) == ("running", 2, 2)  # the first batch is kept

    monkeypatch.setattr(imports.job, "_run_batch", real_batch)
    job = listing_import_run(import_id=job.pk)  # the broker delivers the message again
    assert (job.status, job.processed_rows, job.created_count, job.updated_count) == ("done", 5, 4, 0)
    assert [entry["line"] for entry in job.error_rows] == [5]
    assert Listing.objects.count() == 4
    assert ListingEvent.objects.count() == 4


def test_a_resumed_job_still_catches_a_sku_saved_before_the_crash(
    supplier, supplier_member, category, monkeypatch, settings
):
    settings.LISTING_IMPORT_BATCH_SIZE = 1
    job = create(supplier, supplier_member, csv_file([row("A-1"), row("A-2"), row("A-1", title_en="again")]))
    ListingImport.objects.filter(pk=job.pk).update(status="running")
    listing_import_run(import_id=job.pk)
    job.refresh_from_db()
    # Simulate a crash after two rows by rewinding the counters, then resume.
    ListingImport.objects.filter(pk=job.pk).update(status="running", processed_rows=2, error_rows=[])
    job = listing_import_run(import_id=job.pk)
    assert job.error_rows[0]["errors"] == ["sku: “A-1” is already on row 2 of this file."]
    assert Listing.objects.get(sku="A-1").title_en == "Cutter A-1"


def test_an_unexpected_error_fails_the_job_with_a_message_and_keeps_what_was_done(
    supplier, supplier_member, category, monkeypatch, settings
):
    settings.LISTING_IMPORT_BATCH_SIZE = 2
    real_write = imports.job._write_at_once

    def breaks_on_a_3(**kwargs):
        if any(sku == "A-3" for _outcome, sku, _fields, _tiers in kwargs["checked"]):
            raise RuntimeError("disk on fire")
        return real_write(**kwargs)

    monkeypatch.setattr(imports.job, "_write_at_once", breaks_on_a_3)
    job = run(supplier, supplier_member, csv_file([row(f"A-{n}") for n in range(1, 6)]))
    assert job.status == ListingImport.Status.FAILED
    assert job.failure.startswith("The import stopped unexpectedly after 2 of 5 rows.")
    assert "disk on fire" not in job.failure  # internals stay in the log
    assert set(Listing.objects.values_list("sku", flat=True)) == {"A-1", "A-2"}
    assert (job.processed_rows, job.created_count) == (2, 2)
    assert listing_import_run(import_id=job.pk).status == "failed"  # a failed job is not run again


def test_a_missing_stored_file_fails_the_job(supplier, supplier_member, category):
    job = create(supplier, supplier_member, csv_file([row("A-1")]))
    job.file.storage.delete(job.file.name)
    job = listing_import_run(import_id=job.pk)
    assert job.status == "failed" and job.failure


def _other_connection():
    return databases.connect()


def test_a_job_another_worker_is_running_is_left_alone(supplier, supplier_member, category):
    job = create(supplier, supplier_member, csv_file([row("A-1")]))
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, job.pk])
        assert listing_import_run(import_id=job.pk) is None
        job.refresh_from_db()
        assert (job.status, job.processed_rows) == ("queued", 0)
    finally:
        other.close()  # the lock goes with the connection, as when a worker dies
    deadline = time.monotonic() + 10
    while (done := listing_import_run(import_id=job.pk)) is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the server ends the closed session a moment later
    assert done is not None and done.status == "done"


def test_the_report_keeps_the_first_rows_and_exact_counts(supplier, supplier_member, category, monkeypatch):
    monkeypatch.setattr(imports.job, "MAX_REPORTED_ROWS", 2)
    job = run(supplier, supplier_member, csv_file([row(f"B-{n}", moq="x") for n in range(4)] + [row("OK")]))
    assert [entry["line"] for entry in job.error_rows] == [2, 3]
    assert (job.processed_rows, job.created_count) == (5, 1)


def test_progress_moves_batch_by_batch(supplier, supplier_member, category, monkeypatch, settings):
    settings.LISTING_IMPORT_BATCH_SIZE = 2
    seen = []
    real_batch = imports.job._run_batch

    def spy(**kwargs):
        real_batch(**kwargs)
        seen.append(ListingImport.objects.get(pk=kwargs["job_id"]).processed_rows)

    monkeypatch.setattr(imports.job, "_run_batch", spy)
    run(supplier, supplier_member, csv_file([row(f"A-{n}") for n in range(5)]))
    assert seen == [2, 4, 5]


def test_an_xlsx_file_is_imported_with_its_row_numbers(supplier, supplier_member, category):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["货号", "中文标题", "类目", "起订量", "阶梯1数量", "阶梯1单价", "提供样品", "样品价格"])
    sheet.append(["X-1", "激光切割机", "laser-cutters", 2, 2, 99.5, True, 10])
    sheet.append([])
    sheet.append(["X-2", "激光打标机", "laser-cutters", 0, 1, 50, False, None])
    out = io.BytesIO()
    workbook.save(out)
    job = listing_import_create(
        supplier=supplier, actor=supplier_member, upload=SimpleUploadedFile("清单.xlsx", out.getvalue())
    )
    assert (job.format, job.total_rows) == ("xlsx", 3)  # the size the sheet declares, blank row included
    job = listing_import_run(import_id=job.pk)
    assert (job.status, job.total_rows, job.created_count) == ("done", 2, 1)  # counted again by the job
    assert job.error_rows[0]["line"] == 4 and job.error_rows[0]["errors"] == ["起订量: must be at least 1."]
    listing = Listing.objects.get(sku="X-1")
    assert (listing.moq, listing.sample_available, listing.sample_price) == (2, True, Decimal("10.00"))
    assert listing.tiers.get().unit_price == Decimal("99.50")


def test_an_xlsx_found_too_long_by_the_job_fails_whole_with_the_reason(
    supplier, supplier_member, category, monkeypatch
):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)  # no declared size: the job counts the rows
    sheet = workbook.create_sheet()
    for values in [HEADER, *[list(row(f"A-{n}").values()) for n in range(4)]]:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    job = listing_import_create(
        supplier=supplier, actor=supplier_member, upload=SimpleUploadedFile("a.xlsx", out.getvalue())
    )
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    job = listing_import_run(import_id=job.pk)
    assert job.status == "failed"
    assert job.failure == "The file has more than 3 rows. Split it into smaller files."
    assert not Listing.objects.exists()


def test_the_task_runs_the_job_in_the_uploaders_language(supplier, supplier_member, category, monkeypatch):
    from catalog import tasks

    calls = []
    monkeypatch.setattr(tasks, "listing_import_run", lambda **kwargs: calls.append(kwargs))
    tasks.listing_import_run_task(7, "zh-hans")
    assert calls == [{"import_id": 7, "language": "zh-hans"}]


def test_a_job_that_runs_out_of_time_is_marked_failed(supplier, supplier_member, category, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(imports.job, "_run_batch", too_slow)
    job = run(supplier, supplier_member, csv_file([row("A-1")]))
    assert job.status == "failed" and "stopped unexpectedly after 0 of 1 rows" in job.failure


def test_the_sweep_queues_again_only_imports_left_queued_or_running_past_the_time_limit(
    supplier, supplier_member, category, monkeypatch
):
    import datetime

    from django.utils import timezone

    from catalog import tasks

    lost = create(supplier, supplier_member, csv_file([row("A-1")]))
    died = create(supplier, supplier_member, csv_file([row("B-1")]))
    fresh = create(supplier, supplier_member, csv_file([row("C-1")]))
    done = create(supplier, supplier_member, csv_file([row("D-1")]))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ListingImport.objects.filter(pk=lost.pk).update(created_at=long_ago)
    ListingImport.objects.filter(pk=died.pk).update(
        created_at=long_ago, started_at=long_ago, status=ListingImport.Status.RUNNING
    )
    ListingImport.objects.filter(pk=done.pk).update(created_at=long_ago, status=ListingImport.Status.DONE)
    queued = []
    monkeypatch.setattr(tasks.listing_import_run_task, "delay", lambda *args: queued.append(args))

    assert tasks.listing_import_sweep_task() == 2

    assert sorted(import_id for import_id, _ in queued) == [lost.pk, died.pk]
    assert fresh.pk not in [import_id for import_id, _ in queued]


def test_rows_are_written_set_based_and_a_row_the_database_refuses_is_reported_alone(
    supplier, supplier_member, category, monkeypatch
):
    """A batch is written in a few statements; when the database refuses it, its rows are written
    one by one, so only the refused row is reported (with its reason) and the others are saved."""
    real_clean = imports.job._clean_row

    def overflowing_a_2(sheet, line, cells, existing, ctx):
        outcome, fields, tiers = real_clean(sheet, line, cells, existing, ctx)
        if outcome.sku == "A-2":
            fields["monthly_capacity"] = 2**40  # past the integer column, which no cell check allows
        return outcome, fields, tiers

    monkeypatch.setattr(imports.job, "_clean_row", overflowing_a_2)
    job = run(supplier, supplier_member, csv_file([row(f"A-{n}") for n in range(1, 4)]))

    assert job.status == ListingImport.Status.DONE
    assert set(Listing.objects.values_list("sku", flat=True)) == {"A-1", "A-3"}
    assert (job.processed_rows, job.created_count) == (3, 2)
    [refused] = job.error_rows
    assert (refused["sku"], refused["errors"]) == ("A-2", ["This row could not be saved: a value is out of range."])
    for listing in Listing.objects.all():  # what the triggers keep, the set-based write kept too
        assert listing.price_from is not None and listing.search_vector and listing.belt_id == supplier.belt_id


def test_a_set_based_import_leaves_every_denormalised_column_as_the_triggers_would(supplier, supplier_member, category):
    from django.db import connection

    job = run(supplier, supplier_member, csv_file([row(f"A-{n}") for n in range(1, 6)]))
    assert job.created_count == 5
    columns = "is_public, belt_id, province, level_rank, origin_mark, price_from, search_vector"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM catalog_listing ORDER BY id")  # noqa: S608
        imported = cursor.fetchall()
        # Touch every row so the listing trigger recomputes it row by row, then compare.
        cursor.execute("UPDATE catalog_listing SET search_vector = NULL")
        cursor.execute(f"SELECT id, {columns} FROM catalog_listing ORDER BY id")  # noqa: S608
        assert cursor.fetchall() == imported
