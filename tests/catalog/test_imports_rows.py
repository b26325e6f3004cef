"""Each row of an import is checked on its own; every message names the column it is about.

The rows run through the real job (`listing_import_run`) on a one-row (or two-row) file; the
row report must carry the row number and the reason, and nothing is written for a bad row.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.imports import listing_import_create, listing_import_run
from catalog.models import Listing, ListingVariant
from tests import factories as f

GOOD = {
    "sku": "LC-3015",
    "title_en": "Fiber laser cutting machine",
    "title_zh": "光纤激光切割机",
    "category": "laser-cutters",
    "moq": "1",
    "tier1_qty": "1",
    "tier1_price": "128000",
    "tier2_qty": "5",
    "tier2_price": "121000",
}


def csv_file(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    columns = columns or list(dict.fromkeys([*GOOD, *(key for row in rows for key in row)]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def run(supplier, user, data: bytes, name: str = "listings.csv"):
    job = listing_import_create(supplier=supplier, actor=user, upload=SimpleUploadedFile(name, data))
    return listing_import_run(import_id=job.pk)


def errors_of(job) -> list[str]:
    assert len(job.error_rows) == 1, job.error_rows
    return job.error_rows[0]["errors"]


@pytest.fixture
def importer(supplier, supplier_member, category):
    """Import one row (GOOD with `changes`); return the finished job."""

    def go(**changes: str):
        return run(supplier, supplier_member, csv_file([{**GOOD, **changes}]))

    return go


def test_the_good_row_is_created(importer):
    job = importer()
    assert (job.status, job.created_count, job.error_rows) == ("done", 1, [])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sku": ""}, "sku: the SKU is missing"),
        ({"sku": "X" * 65}, "sku: at most 64 characters (this one has 65)."),
        ({"title_en": "", "title_zh": ""}, "title_en / title_zh: give a title in English or in Chinese."),
        ({"title_en": "x" * 201}, "title_en: at most 200 characters"),
        ({"category": ""}, "category: the category is missing."),
        ({"category": "spaceships"}, "category: there is no category “spaceships”"),
        ({"unit": "boxes"}, "unit: “boxes” is not one of: piece, set, pair, metre, kg, tonne, carton, unit."),
        ({"currency": "EUR"}, "currency: “EUR” is not one of: CNY, USD."),
        ({"moq": ""}, "moq: the minimum order quantity is missing."),
        ({"moq": "ten"}, "moq: “ten” is not a whole number."),
        ({"moq": "2.5"}, "moq: “2.5” is not a whole number."),
        ({"moq": "0"}, "moq: must be at least 1."),
        ({"moq_mode": "sometimes"}, "moq_mode: “sometimes” is not one of: mixed, per_variant."),
        ({"moq_mode": "per_variant"}, "moq_mode: a per-variant MOQ needs variants"),
        ({"order_multiple": "0"}, "order_multiple: must be at least 1."),
        ({"lead_time_days": "40000"}, "lead_time_days: must be at most 32,767."),
        ({"monthly_capacity": "lots"}, "monthly_capacity: “lots” is not a whole number."),
        ({"sample_available": "maybe"}, "sample_available: “maybe” is neither yes nor no."),
        ({"sample_available": "yes"}, "sample_price: give the sample price when a sample is available."),
        ({"sample_price": "cheap"}, "sample_price: “cheap” is not a price"),
        ({"sample_price": "-5"}, "sample_price: cannot be negative."),
        ({"sample_price": "1.234"}, "sample_price: at most two decimal places (“1.234”)."),
        ({"sample_price": "99999999999"}, "sample_price: “99999999999” is too large."),
        ({"oem": "perhaps"}, "oem: “perhaps” is neither yes nor no."),
        ({"odm": "?"}, "odm: “?” is neither yes nor no."),
        ({"tier1_qty": "", "tier1_price": "", "tier2_qty": "", "tier2_price": ""}, "give at least one price tier."),
        ({"tier2_price": ""}, "tier2_qty, tier2_price: give both the quantity and the unit price, or neither."),
        (
            {"tier1_qty": "", "tier1_price": ""},
            "tier2_qty: fill the price tiers in order, without gaps (tier 1 is empty).",
        ),
        ({"tier1_price": "0"}, "Tier 1: the unit price must be more than zero."),
        ({"tier2_qty": "1"}, "Tier 2: quantities must rise from tier to tier (1 is not above 1)."),
        ({"tier2_price": "130000"}, "Tier 2: a larger quantity may not cost more per unit"),
        ({"tier1_qty": "10", "moq": "5"}, "The MOQ (5) is below the first tier (10)"),
        ({"status": "live"}, "status: “live” is not one of: draft, published."),
    ],
)
def test_each_mistake_is_reported_naming_its_column(importer, changes, expected):
    job = importer(**changes)
    assert job.status == "done"
    assert job.created_count == 0
    assert job.error_rows[0]["line"] == 2
    assert any(expected in message for message in errors_of(job)), errors_of(job)
    assert not Listing.objects.exists()


def test_every_mistake_of_a_row_is_reported_at_once(importer):
    job = importer(unit="boxes", currency="EUR", oem="perhaps")
    assert len(errors_of(job)) == 3


def test_messages_name_the_column_as_the_file_wrote_it(supplier, supplier_member, category):
    data = "货号,中文标题,类目,起订量,阶梯1数量,阶梯1单价\nLC-1,切割机,laser-cutters,十,1,100\n".encode("gbk")
    job = run(supplier, supplier_member, data)
    assert errors_of(job) == ["起订量: “十” is not a whole number."]


def test_a_new_listing_needs_its_required_columns(supplier, supplier_member, category):
    job = run(supplier, supplier_member, b"sku,title_en\nNEW-1,Cutter\n")
    reasons = errors_of(job)
    assert "category: required to create a listing." in reasons
    assert "moq: required to create a listing." in reasons
    assert "tier1_qty, tier1_price: a new listing needs at least one price tier." in reasons


def test_the_same_sku_twice_in_a_file_reports_the_second_row(supplier, supplier_member, category):
    job = run(supplier, supplier_member, csv_file([GOOD, {**GOOD, "title_en": "Another"}]))
    assert job.created_count == 1
    assert job.error_rows == [
        {"line": 3, "sku": "LC-3015", "errors": ["sku: “LC-3015” is already on row 2 of this file."], "notes": []}
    ]


def test_an_archived_listing_is_not_brought_back_by_an_import(supplier, supplier_member, category):
    f.ListingFactory(supplier=supplier, category=category, sku="LC-3015", status=Listing.Status.ARCHIVED)
    job = run(supplier, supplier_member, csv_file([GOOD]))
    assert "is archived; restore it" in errors_of(job)[0]
    assert Listing.objects.get(sku="LC-3015").status == "archived"


def test_per_variant_moq_is_accepted_for_a_listing_that_has_variants(supplier, supplier_member, category):
    listing = f.ListingFactory(supplier=supplier, category=category, sku="LC-3015", moq=1, tiers=[(1, Decimal(5))])
    ListingVariant.objects.create(listing=listing, size="M")
    job = run(supplier, supplier_member, csv_file([{**GOOD, "moq_mode": "per_variant"}]))
    assert job.error_rows == []
    listing.refresh_from_db()
    assert listing.moq_mode == "per_variant"


def test_friendly_spellings_of_values_are_understood(supplier, supplier_member, category):
    row = {
        **GOOD,
        "unit": "套",
        "currency": "rmb",
        "moq_mode": "混批",
        "sample_available": "是",
        "sample_price": "¥1,280.50",
        "oem": "Yes",
        "odm": "否",
        "moq": "1,000",
        "tier1_qty": "1000",
        "tier2_qty": "5000",
        "status": "草稿",
    }
    job = run(supplier, supplier_member, csv_file([row]))
    assert job.error_rows == []
    listing = Listing.objects.get()
    assert (listing.unit, listing.currency, listing.moq_mode, listing.moq) == ("set", "CNY", "mixed", 1000)
    assert (listing.sample_available, listing.sample_price, listing.oem, listing.odm) == (
        True,
        Decimal("1280.50"),
        True,
        False,
    )
    assert listing.status == "draft"


def test_missing_tiers_are_reported_beside_other_mistakes(importer):
    job = importer(unit="boxes", tier1_qty="", tier1_price="", tier2_qty="", tier2_price="")
    reasons = errors_of(job)
    assert any(reason.startswith("unit:") for reason in reasons)
    assert "tier1_qty, tier1_price: give at least one price tier." in reasons
