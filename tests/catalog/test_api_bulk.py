"""Imports and exports over the API (catalog/api/bulk.py), through the dashboard's catalog.imports
and catalog.exports: an upload is checked whole (an unreadable file refused with the reason and
nothing queued), queued after commit, and its status and row report read back once the job ran;
the export and the template download in both formats. Another supplier's import answers 404, a
buyer 404 on everything (it acts for no supplier), anonymous 403; the list has a fixed budget."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalog import tasks
from catalog.imports import listing_import_run
from catalog.models import Listing, ListingImport
from tests import factories as f

pytestmark = pytest.mark.django_db

IMPORTS, EXPORT, TEMPLATE = (
    "/api/v1/me/listing-imports/",
    "/api/v1/me/listings/export/",
    "/api/v1/me/listings/import-template/",
)


def csv_for(category) -> bytes:
    return (
        "sku,title_en,title_zh,category,moq,tier1_qty,tier1_price\n"
        f"A-1,Cutter,切割机,{category.slug},1,1,100\n"
        f"A-2,Cutter 2,切割机2,{category.slug},ten,1,100\n"
    ).encode()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def upload(content: bytes, name: str = "listings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def queued(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(tasks.listing_import_run_task, "delay", lambda *args: calls.append(args))
    return calls


def test_an_upload_is_queued_and_its_report_read_back(supplier, supplier_member, category, queued,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    client = api(supplier_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORTS, {"file": upload(csv_for(category))}, format="multipart")
    assert response.status_code == 201, response.json()
    job = response.json()
    assert (job["status"], job["total_rows"], job["file_format"], job["rows"]) == ("queued", 2, "csv", [])
    assert [args[0] for args in queued] == [job["id"]]
    listing_import_run(import_id=job["id"])  # what the worker runs
    done = client.get(f"{IMPORTS}{job['id']}/").json()
    assert (done["status"], done["created_count"], done["rejected_count"], done["percent"]) == ("done", 1, 1, 100)
    [row] = done["rows"]
    assert row["line"] == 3 and row["sku"] == "A-2" and row["errors"]
    assert Listing.objects.filter(supplier=supplier, sku="A-1").exists()
    assert [j["id"] for j in client.get(IMPORTS).json()["results"]] == [job["id"]]


def test_a_file_that_cannot_be_read_is_refused_and_nothing_queued(supplier_member, queued):
    response = api(supplier_member).post(IMPORTS, {"file": upload(b"\x00\x01garbage", "x.csv")}, format="multipart")
    assert response.status_code == 400
    assert not ListingImport.objects.exists() and queued == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_template_download_in_both_formats(supplier, supplier_member, category, fmt):
    f.ListingFactory(supplier=supplier, category=category, sku="EXP-1")
    client = api(supplier_member)
    export = client.get(EXPORT, {"file_format": fmt})
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    template = client.get(TEMPLATE, {"file_format": fmt})
    assert template.status_code == 200
    if fmt == "csv":
        assert b"EXP-1" in export.content and export["Content-Type"].startswith("text/csv")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        assert "EXP-1" in [cell.value for cell in sheet["A"]]
    assert client.get(EXPORT, {"file_format": "pdf"}).status_code == 400


def test_another_suppliers_import_answers_404(supplier, supplier_member, other_member, category, queued):
    job = api(supplier_member).post(IMPORTS, {"file": upload(csv_for(category))}, format="multipart").json()
    assert api(other_member).get(f"{IMPORTS}{job['id']}/").status_code == 404
    assert api(other_member).get(IMPORTS).json()["results"] == []


def test_a_buyer_gets_404_and_anonymous_403(buyer, category, queued):
    for client, code in ((api(buyer), 404), (api(), 403)):
        assert client.get(IMPORTS).status_code == code
        assert client.post(IMPORTS, {"file": upload(csv_for(category))}, format="multipart").status_code == code
        assert client.get(EXPORT).status_code == code
        assert client.get(TEMPLATE).status_code == code
    assert not ListingImport.objects.exists()


def test_the_list_has_a_fixed_query_budget(supplier_member, category, queued):
    client = api(supplier_member)
    client.post(IMPORTS, {"file": upload(csv_for(category))}, format="multipart")
    with CaptureQueriesContext(connection) as few:
        client.get(IMPORTS)
    for _ in range(4):
        client.post(IMPORTS, {"file": upload(csv_for(category))}, format="multipart")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(IMPORTS).json()["results"]) == 5
    assert len(few) == len(many) <= 4
