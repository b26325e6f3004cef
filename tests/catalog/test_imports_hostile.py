"""Hostile spreadsheets: a workbook of a few hundred kilobytes that unpacks to one huge cell must
not take the web worker's memory, and must fail its job, not the worker, when it gets that far.

The request path runs in a child process under an address-space limit, so a check that lets the
file through to openpyxl fails the test with a MemoryError instead of taking the machine's memory.
"""

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import imports
from catalog.imports import check_upload, listing_import_create, listing_import_run, read_sheet
from catalog.models import Listing, ListingImport
from tests.catalog.workbooks import workbook

# A child Python with Django set up uses a few hundred MB of address space; the file under test
# may add at most this much before the limit stops it.
CHILD_HEADROOM_BYTES = 256 * 1024 * 1024

CHECK_IN_A_CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from catalog.imports import check_upload

    data = open(sys.argv[1], "rb").read()
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (size + int(sys.argv[2]), resource.RLIM_INFINITY))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        check_upload(SimpleUploadedFile("listings.xlsx", data))
        outcome = {"result": "accepted"}
    except ValidationError as exc:
        outcome = {"result": "refused", "code": exc.code, "messages": exc.messages}
    except MemoryError:
        outcome = {"result": "MemoryError"}
    outcome["seconds"] = round(time.monotonic() - started, 3)
    outcome["peak_growth_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps(outcome))
    """
)


def _check_in_a_child(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHECK_IN_A_CHILD, str(path), str(CHILD_HEADROOM_BYTES)],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "PATH": "/usr/bin:/bin",
             "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused", "REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_small_workbook_that_unpacks_to_one_huge_cell_is_refused_before_openpyxl_reads_it(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(workbook([["sku", "moq"], ["A-1", 1]], huge_string_bytes=150 * 1024 * 1024, huge_string_at="B3"))
    assert path.stat().st_size < 400 * 1024  # a few hundred KB on the wire

    outcome = _check_in_a_child(path)

    print(
        f"\nhostile workbook: {path.stat().st_size / 1024:.0f} KB on the wire, 150 MB shared string; "
        f"upload check {outcome['result']} in {outcome['seconds']} s, peak memory +{outcome['peak_growth_kb']} KB"
    )
    assert outcome["result"] == "refused", outcome
    assert outcome["code"] == "too_large"
    assert outcome["peak_growth_kb"] < 32 * 1024  # the part was never unpacked
    assert outcome["seconds"] < 2


HEADER = ["sku", "title_en", "category", "moq", "tier1_qty", "tier1_price"]


def good_row(n: int) -> list[object]:
    return [f"H-{n}", f"Cutter {n}", "laser-cutters", 1, 1, 1000 + n]


def _upload_and_run(supplier, user, data: bytes) -> ListingImport:
    job = listing_import_create(supplier=supplier, actor=user, upload=SimpleUploadedFile("listings.xlsx", data))
    finished = listing_import_run(import_id=job.pk)
    assert finished is not None
    return finished


def test_a_cell_longer_than_a_spreadsheet_cell_can_be_fails_the_job_naming_its_row(supplier, supplier_member, category):
    rows = [HEADER, *[good_row(n) for n in range(5)], ["H-long", "x" * 40_000, "laser-cutters", 1, 1, 1]]
    job = _upload_and_run(supplier, supplier_member, workbook(rows))
    assert job.status == ListingImport.Status.FAILED
    assert job.failure.startswith("Row 7: a cell is longer than 32,767 characters.")
    assert not Listing.objects.filter(supplier=supplier).exists()


def test_a_row_wider_than_the_column_cap_fails_the_job_naming_its_row(supplier, supplier_member, category):
    wide = [*good_row(9), *[""] * 140, "a note far to the right"]
    job = _upload_and_run(supplier, supplier_member, workbook([HEADER, good_row(1), wide]))
    assert job.status == ListingImport.Status.FAILED
    assert job.failure.startswith("Row 3: it has more than 100 columns.")


def test_a_sheet_that_claims_every_column_is_read_without_padding_its_rows(supplier, supplier_member, category):
    data = workbook([HEADER, good_row(1), good_row(2)], dimension="A1:XFD3")
    job = _upload_and_run(supplier, supplier_member, data)
    assert (job.status, job.created_count) == (ListingImport.Status.DONE, 2), job.failure


def test_a_row_numbered_far_below_the_last_fails_the_job_without_walking_every_empty_row(
    supplier, supplier_member, category
):
    data = workbook([HEADER, good_row(1)], huge_string_bytes=10, huge_string_at="A5000000")
    started = time.monotonic()
    job = _upload_and_run(supplier, supplier_member, data)
    seconds = time.monotonic() - started
    assert job.status == ListingImport.Status.FAILED
    assert job.failure.startswith("The sheet goes on past row 100,000.")
    assert seconds < 10


def test_a_part_packed_a_thousand_times_tighter_than_a_real_sheet_is_refused_at_upload():
    # 4 MB of one letter: under the per-part cap, over the ratio cap.
    data = workbook([HEADER, good_row(1)], huge_string_bytes=4 * 1024 * 1024, huge_string_at="B3")
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("listings.xlsx", data))
    assert exc.value.code == "too_large"
    assert "unpacks to far more data" in exc.value.messages[0]


def test_a_workbook_part_with_a_dtd_is_refused_at_upload():
    """Entity expansion ("billion laughs") needs a DTD; no workbook part has one."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook([HEADER]))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = bomb.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, content)
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("listings.xlsx", out.getvalue()))
    assert exc.value.code == "bad_xlsx"


def test_a_header_beyond_the_upload_checks_budget_is_judged_by_the_job_with_the_same_message(
    supplier, supplier_member, category, monkeypatch
):
    monkeypatch.setattr(imports.reading, "XLSX_HEADER_BUDGET_BYTES", 64)  # the header lies past it
    data = workbook([["name", "price"], ["A", 1]])
    checked = check_upload(SimpleUploadedFile("listings.xlsx", data))
    assert checked.format == "xlsx"  # accepted for now: nothing was read beyond the budget

    job = _upload_and_run(supplier, supplier_member, data)

    assert job.status == ListingImport.Status.FAILED
    assert job.failure == (
        "The first row must name the columns, and one of them must be sku (货号). Download the template."
    )


def test_the_upload_check_reads_the_header_from_shared_and_inline_strings_and_numbers():
    sheet_xml = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:C3"/><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>起订</t></r><r><t>量</t></r></is></c>'
        '<c r="D1" t="s"><v>1</v></c></row></sheetData></worksheet>'
    )
    strings_xml = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>*SKU</t><rPh><t>phonetic</t></rPh></si><si><r><t>tier1_</t></r><r><t>qty</t></r></si></sst>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook([HEADER]))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            replaced = {"xl/worksheets/sheet1.xml": sheet_xml, "xl/sharedStrings.xml": strings_xml}
            target.writestr(info.filename, replaced.get(info.filename) or source.read(info))
    sheet = read_sheet(out.getvalue(), "xlsx", header_only=True)
    assert sheet.columns == {"sku": 0, "moq": 1, "tier1_qty": 3}
    assert sheet.labels["moq"] == "起订量"
    assert sheet.declared_rows == 2
