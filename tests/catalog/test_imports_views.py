"""The import pages: only the supplier's own members, the upload's checks, the job page's polling
fragment and report, the template downloads, and fixed query budgets."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from catalog import tasks
from catalog.imports import COLUMN_KEYS, listing_import_run
from catalog.models import Listing, ListingImport
from tests import factories as f
from tests.catalog.workbooks import workbook
from tests.conftest import client_for

CSV = (
    "sku,title_en,title_zh,category,moq,tier1_qty,tier1_price\n"
    "A-1,Cutter,切割机,laser-cutters,1,1,100\n"
    "A-2,Cutter 2,切割机2,laser-cutters,ten,1,100\n"
).encode()


@pytest.fixture
def queued(monkeypatch):
    """Arguments handed to the import task's `.delay` (the broker is the outside world here)."""
    calls: list[tuple] = []
    monkeypatch.setattr(tasks.listing_import_run_task, "delay", lambda *args: calls.append(args))
    return calls


def make_job(supplier, user, data: bytes = CSV, **fields) -> ListingImport:
    fields = {"original_name": "listings.csv", "format": "csv", "total_rows": 2, **fields}
    job = ListingImport.objects.create(supplier=supplier, created_by=user, **fields)
    job.file.save("job.csv", io.BytesIO(data), save=True)
    return job


def upload(content: bytes = CSV, name: str = "listings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["catalog:listing_import", "catalog:listing_export", "catalog:listing_import_template"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    args = [] if name == "catalog:listing_import" else ["csv"]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_visitor_cannot_see_a_job(client, supplier, supplier_member):
    job = make_job(supplier, supplier_member)
    response = client.get(reverse("catalog:listing_import_detail", args=[job.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["buyer", "operator", "outsider"])
@pytest.mark.parametrize(
    "name", ["catalog:listing_import", "catalog:listing_export", "catalog:listing_import_template"]
)
def test_people_who_act_for_no_supplier_get_404(request, who, name, category):
    args = [] if name == "catalog:listing_import" else ["csv"]
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse(name, args=args)).status_code == 404
    if name == "catalog:listing_import":
        assert client.post(reverse(name), {"file": upload()}).status_code == 404
        assert not ListingImport.objects.exists()


def test_another_suppliers_job_answers_404_page_and_fragment(supplier, supplier_member, other_member):
    job = make_job(supplier, supplier_member)
    url = reverse("catalog:listing_import_detail", args=[job.pk])
    other = client_for(other_member)
    assert other.get(url).status_code == 404
    assert other.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert client_for(supplier_member).get(url).status_code == 200


def test_buyer_cannot_see_a_suppliers_job(supplier, supplier_member, buyer):
    job = make_job(supplier, supplier_member)
    assert client_for(buyer).get(reverse("catalog:listing_import_detail", args=[job.pk])).status_code == 404


def test_the_list_of_imports_shows_only_the_suppliers_own(supplier, supplier_member, other_supplier, other_member):
    mine = make_job(supplier, supplier_member, original_name="mine.csv")
    make_job(other_supplier, other_member, original_name="theirs.csv")
    html = client_for(supplier_member).get(reverse("catalog:listing_import")).content.decode()
    assert "mine.csv" in html and reverse("catalog:listing_import_detail", args=[mine.pk]) in html
    assert "theirs.csv" not in html


# --- upload -------------------------------------------------------------------------------------


def test_upload_page_explains_the_columns_and_lists_category_codes(supplier_member, category):
    html = client_for(supplier_member).get(reverse("catalog:listing_import")).content.decode()
    assert 'data-testid="import-form"' in html
    assert "tier1_price" in html and "阶梯1单价" in html
    assert "laser-cutters" in html
    assert reverse("catalog:listing_import_template", args=["xlsx"]) in html
    assert reverse("catalog:listing_export", args=["csv"]) in html


def test_a_good_file_is_stored_privately_queued_after_commit_and_shown(
    supplier, supplier_member, category, queued, settings, django_capture_on_commit_callbacks
):
    client = client_for(supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:listing_import"), {"file": upload()})
    job = ListingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:listing_import_detail", args=[job.pk])
    assert (job.supplier, job.created_by, job.original_name, job.format) == (supplier, supplier_member, "listings.csv",
                                                                          "csv")  # fmt: skip
    assert (job.status, job.total_rows) == ("queued", 2)
    assert queued == [(job.pk, "en")]
    stored = settings.PRIVATE_MEDIA_ROOT / job.file.name
    assert stored.read_bytes() == CSV
    assert "listings.csv" not in job.file.name  # a server-made name
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - private: no public address


def test_the_task_is_queued_with_the_uploaders_language(supplier_member, category, queued,
                                                        django_capture_on_commit_callbacks):  # fmt: skip
    client = client_for(supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalog:listing_import"), {"file": upload()}, headers={"Accept-Language": "zh-hans"})
    assert queued[0][1] == "zh-hans"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "photo.csv", "nor a text CSV file"),
        (b"PK\x03\x04not really a workbook", "listings.xlsx", "cannot be opened"),
        (
            workbook([["sku", "moq"], ["A-1", 1]], huge_string_bytes=150 * 1024 * 1024, huge_string_at="B3"),
            "listings.xlsx",
            "The workbook unpacks to far more data than its size suggests",
        ),
        (b"name,price\nA,1\n", "listings.csv", "sku (货号)"),
        (b"", "listings.csv", "The submitted file is empty."),
    ],
)
def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_queued(
    supplier_member, queued, content, name, message, django_capture_on_commit_callbacks
):
    client = client_for(supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:listing_import"), {"file": upload(content, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not ListingImport.objects.exists()
    assert queued == []


def test_a_too_large_file_is_refused(supplier_member, queued, monkeypatch):
    from catalog import imports

    monkeypatch.setattr(imports.reading, "MAX_FILE_BYTES", 100)
    response = client_for(supplier_member).post(reverse("catalog:listing_import"), {"file": upload(CSV * 5)})
    assert "The file is larger than 100" in response.content.decode()
    assert not ListingImport.objects.exists()


def test_upload_page_refuses_other_methods(supplier_member):
    assert client_for(supplier_member).put(reverse("catalog:listing_import")).status_code == 405


# --- the job page -------------------------------------------------------------------------------


def test_a_running_job_polls_every_second_with_a_progress_bar(supplier, supplier_member):
    job = make_job(supplier, supplier_member, status="running", processed_rows=1)
    url = reverse("catalog:listing_import_detail", args=[job.pk])
    html = client_for(supplier_member).get(url).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="50"' in html and "width: 50%" in html
    assert 'data-testid="import-summary"' not in html


def test_the_polled_fragment_is_just_the_job_and_varies_on_htmx(supplier, supplier_member):
    job = make_job(supplier, supplier_member, status="queued")
    url = reverse("catalog:listing_import_detail", args=[job.pk])
    response = client_for(supplier_member).get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-job"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_finished_job_stops_polling_and_shows_the_summary_and_row_report(supplier, supplier_member, category):
    job = make_job(supplier, supplier_member)
    listing_import_run(import_id=job.pk)
    html = client_for(supplier_member).get(reverse("catalog:listing_import_detail", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html
    assert 'data-testid="created-count">1<' in html
    assert 'data-testid="rejected-count">1<' in html
    assert 'data-line="3"' in html and "moq: “ten” is not a whole number." in html


def test_a_failed_job_shows_why(supplier, supplier_member):
    job = make_job(supplier, supplier_member, status="failed", failure="The import stopped unexpectedly.")
    html = client_for(supplier_member).get(reverse("catalog:listing_import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-failure"' in html and "The import stopped unexpectedly." in html


def test_job_page_query_budget_does_not_grow_with_the_report(supplier, supplier_member, django_assert_num_queries):
    report = [{"line": n, "sku": f"S{n}", "errors": ["moq: bad"], "notes": []} for n in range(2, 500)]
    job = make_job(supplier, supplier_member, status="done", processed_rows=498, error_rows=report)
    client = client_for(supplier_member)
    url = reverse("catalog:listing_import_detail", args=[job.pk])
    # session, user, supplier, import (+ the navigation's unread count on the full page)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


def test_upload_page_query_budget_does_not_grow_with_imports_or_categories(
    supplier, supplier_member, category, django_assert_num_queries
):
    for n in range(30):
        make_job(supplier, supplier_member, original_name=f"file-{n}.csv")
    for n in range(5):
        f.CategoryFactory(parent=category, slug=f"sub-{n}")
    client = client_for(supplier_member)
    # session, user, supplier, imports count, imports page, top categories, their children, navigation's unread count
    with django_assert_num_queries(8):
        response = client.get(reverse("catalog:listing_import"))
    assert len(response.context["page"]) == 20


# --- the template -------------------------------------------------------------------------------


def test_csv_template_has_the_header_and_an_example_that_imports_as_is(supplier, supplier_member, category):
    response = client_for(supplier_member).get(reverse("catalog:listing_import_template", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="listings-template.csv"'
    text = response.content.decode("utf-8-sig")
    header, example = text.splitlines()
    assert header.split(",") == list(COLUMN_KEYS)
    assert "laser-cutters" in example
    job = ListingImport.objects.create(
        supplier=supplier, created_by=supplier_member, original_name="t.csv", format="csv"
    )
    job.file.save("t.csv", io.BytesIO(response.content), save=True)
    job = listing_import_run(import_id=job.pk)
    assert (job.created_count, job.error_rows) == (1, [])
    assert Listing.objects.get().sku == "LC-3015-3KW"


def test_xlsx_template_is_a_workbook_with_the_header_and_example(supplier_member, category):
    response = client_for(supplier_member).get(reverse("catalog:listing_import_template", args=["xlsx"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))
    assert list(header) == list(COLUMN_KEYS)
    assert example[COLUMN_KEYS.index("moq")] == 1  # numbers are numbers
    assert example[COLUMN_KEYS.index("category")] == "laser-cutters"


def test_template_headers_are_chinese_for_a_chinese_reader(supplier_member, category):
    client = client_for(supplier_member)
    with translation.override("zh-hans"):
        response = client.get(
            reverse("catalog:listing_import_template", args=["csv"]), headers={"Accept-Language": "zh-hans"}
        )
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["货号", "英文标题", "中文标题", "类目"]


def test_unknown_template_format_is_404(supplier_member):
    assert client_for(supplier_member).get(reverse("catalog:listing_import_template", args=["pdf"])).status_code == 404
