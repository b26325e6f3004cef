"""Export of a supplier's own listings in the import's columns; importing the export back updates
the same listings (the round trip), in CSV and in XLSX."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from catalog.imports import COLUMN_KEYS, listing_import_run
from catalog.models import Listing, ListingEvent, ListingImport
from tests import factories as f
from tests.conftest import client_for


@pytest.fixture
def listings(supplier, category):
    first = f.ListingFactory(
        supplier=supplier, category=category, sku="A-1", title_en="Cutter, 3 kW", title_zh="切割机", moq=10,
        sample_available=True, sample_price=Decimal("500.00"), oem=True, lead_time_days=30, monthly_capacity=80,
        tiers=[(10, Decimal("100.00")), (50, Decimal("95.50")), (100, Decimal("90.00"))],
    )  # fmt: skip
    second = f.ListingFactory(
        supplier=supplier, category=category, sku="B-2", status=Listing.Status.DRAFT, description_en='Line 1\n"2"',
        unit="set", currency="USD",
    )  # fmt: skip
    f.ListingFactory(supplier=supplier, category=category, sku="Z-archived", status=Listing.Status.ARCHIVED)
    return [first, second]


def export(user, fmt: str):
    return client_for(user).get(reverse("catalog:listing_export", args=[fmt]))


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens Chinese intact
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=False)) for row in rows]


def reimport(supplier, user, content: bytes, fmt: str) -> ListingImport:
    job = ListingImport.objects.create(supplier=supplier, created_by=user, original_name=f"e.{fmt}", format=fmt)
    job.file.save(f"e.{fmt}", io.BytesIO(content), save=True)
    return listing_import_run(import_id=job.pk)


def test_csv_export_has_the_import_columns_and_the_suppliers_active_listings(supplier_member, listings, other_supplier):
    f.ListingFactory(supplier=other_supplier, sku="THEIRS")
    response = export(supplier_member, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="listings-')
    rows = csv_rows(response.content)
    assert list(rows[0]) == list(COLUMN_KEYS)
    assert [row["sku"] for row in rows] == ["A-1", "B-2"]  # not archived, not another supplier's
    first = rows[0]
    assert (first["title_en"], first["title_zh"], first["category"], first["moq"]) == ("Cutter, 3 kW", "切割机",
                                                                                     "laser-cutters", "10")  # fmt: skip
    assert (first["sample_available"], first["sample_price"], first["oem"], first["odm"]) == ("yes", "500.00", "yes",
                                                                                             "no")  # fmt: skip
    assert (first["tier3_qty"], first["tier3_price"], first["tier4_qty"]) == ("100", "90.00", "")
    assert rows[1]["description_en"] == 'Line 1\n"2"'


def test_xlsx_export_holds_numbers_as_numbers(supplier_member, listings):
    response = export(supplier_member, "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = xlsx_rows(response.content)
    assert [row["sku"] for row in rows] == ["A-1", "B-2"]
    assert rows[0]["moq"] == 10 and rows[0]["tier2_price"] == 95.5
    assert rows[0]["title_zh"] == "切割机"


def test_cells_a_spreadsheet_would_run_as_formulas_are_exported_as_text(supplier, supplier_member, category):
    f.ListingFactory(supplier=supplier, category=category, sku="F-1", title_en='=HYPERLINK("http://evil","x")')
    csv_row = csv_rows(export(supplier_member, "csv").content)[0]
    assert csv_row["title_en"] == '\'=HYPERLINK("http://evil","x")'
    content = export(supplier_member, "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cell = sheet.cell(row=2, column=COLUMN_KEYS.index("title_en") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_updates_the_same_listings_unchanged(supplier, supplier_member, listings, fmt):
    before = {
        listing.sku: (listing.pk, listing.title_en, listing.description_en, listing.moq, listing.unit,
                      listing.currency, listing.sample_price, listing.oem, listing.status,
                      [(t.min_quantity, t.unit_price) for t in listing.tiers.all()])
        for listing in Listing.objects.exclude(status="archived").prefetch_related("tiers")
    }  # fmt: skip
    job = reimport(supplier, supplier_member, export(supplier_member, fmt).content, fmt)
    assert (job.status, job.created_count, job.updated_count, job.error_rows) == ("done", 0, 2, [])
    after = {
        listing.sku: (listing.pk, listing.title_en, listing.description_en, listing.moq, listing.unit,
                      listing.currency, listing.sample_price, listing.oem, listing.status,
                      [(t.min_quantity, t.unit_price) for t in listing.tiers.all()])
        for listing in Listing.objects.exclude(status="archived").prefetch_related("tiers")
    }  # fmt: skip
    assert after == before
    assert Listing.objects.count() == 3
    assert ListingEvent.objects.filter(kind="imported").count() == 2


def test_round_trip_keeps_a_formula_looking_title(supplier, supplier_member, category):
    f.ListingFactory(supplier=supplier, category=category, sku="F-1", title_en="-10% off cutter")
    reimport(supplier, supplier_member, export(supplier_member, "csv").content, "csv")
    assert Listing.objects.get(sku="F-1").title_en == "-10% off cutter"


def test_an_edited_export_updates_prices(supplier, supplier_member, listings):
    rows = csv_rows(export(supplier_member, "csv").content)
    rows[0]["tier1_price"] = "99.00"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    job = reimport(supplier, supplier_member, out.getvalue().encode(), "csv")
    assert job.updated_count == 2
    assert Listing.objects.get(sku="A-1").tiers.first().unit_price == Decimal("99.00")


def test_other_people_cannot_export(client, buyer, operator, db):
    assert client.get(reverse("catalog:listing_export", args=["csv"])).status_code == 302
    assert export(buyer, "csv").status_code == 404
    assert export(operator, "xlsx").status_code == 404


def test_unknown_export_format_is_404(supplier_member):
    assert export(supplier_member, "json").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_budget_does_not_grow_with_listings(supplier, supplier_member, category, fmt,
                                                         django_assert_num_queries):  # fmt: skip
    for _ in range(25):
        f.ListingFactory(supplier=supplier, category=category)
    client = client_for(supplier_member)
    # session, user, supplier, listings with their category, their tiers
    with django_assert_num_queries(5):
        response = client.get(reverse("catalog:listing_export", args=[fmt]))
    assert response.status_code == 200


def test_round_trip_keeps_a_formula_looking_sku(supplier, supplier_member, category):
    listing = f.ListingFactory(supplier=supplier, category=category, sku="=A1")
    job = reimport(supplier, supplier_member, export(supplier_member, "csv").content, "csv")
    assert (job.created_count, job.updated_count, job.error_rows) == (0, 1, [])
    assert list(Listing.objects.values_list("pk", flat=True)) == [listing.pk]
