"""A supplier manages its listings in a real browser: creates one with price tiers (a tier error is
fixed without retyping the rest), adds a picture (a placeholder until a separate Celery worker
process has made the thumbnail), previews the draft, publishes it (a buyer now sees it), edits,
duplicates and archives it. An applicant that is not verified yet sees why it cannot publish.

Screenshots go to var/screenshots/manage-*.png.
"""

import re
import time
from pathlib import Path

import pytest

from catalog.models import Listing, ListingImage
from suppliers.models import Supplier
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


@pytest.fixture
def world(belt):
    laser = f.CategoryFactory(slug="laser-equipment", name_en="Laser equipment", name_zh="激光设备")
    f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机", parent=laser)
    supplier = f.SupplierFactory(
        belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司"
    )
    f.ProductionSiteFactory(supplier=supplier, name="Donghu plant", city="Wuhan")
    member = f.SupplierMemberFactory(supplier=supplier, user__email="chen@guanggu.test").user
    return {"supplier": supplier, "member": member}


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def submit(page) -> None:
    page.get_by_test_id("save").click()
    page.wait_for_load_state()


def test_a_supplier_creates_previews_publishes_edits_duplicates_and_archives_a_listing(
    live_server, page, browser, screenshot, world, worker
):
    base = live_server.url
    sign_in(page, base, "chen@guanggu.test")
    page.wait_for_url(re.compile(r"/dashboard/supplier/$"))
    page.get_by_test_id("my-listings").click()
    page.wait_for_url(re.compile(r"/dashboard/listings/$"))
    screenshot("manage-01-empty-list")
    page.get_by_test_id("new-listing").click()
    page.wait_for_url(re.compile(r"/dashboard/listings/new/$"))

    # Everything a listing has; the second tier costs more than the first: refused.
    page.fill("input[name=title_en]", "Fiber laser cutting machine 3015, 3 kW")
    page.fill("input[name=title_zh]", "3015光纤激光切割机 3千瓦")
    page.fill("input[name=sku]", "LC-3015-3KW")
    page.select_option("select[name=category]", label="Laser equipment › Laser cutting machines")
    page.fill("textarea[name=description_en]", "3 kW fiber source, 3000 × 1500 mm bed, CE marked.")
    page.select_option("select[name=unit]", "set")
    page.fill("input[name=moq]", "1")
    page.fill("input[name=tiers-0-min_quantity]", "1")
    page.fill("input[name=tiers-0-unit_price]", "128000")
    page.fill("input[name=tiers-1-min_quantity]", "5")
    page.fill("input[name=tiers-1-unit_price]", "131000")
    page.fill("input[name=tiers-2-min_quantity]", "20")
    page.fill("input[name=tiers-2-unit_price]", "115000")
    page.get_by_test_id("add-tier").click()  # a fourth row, added in the page
    page.fill("input[name=tiers-3-min_quantity]", "50")
    page.fill("input[name=tiers-3-unit_price]", "109000")
    page.fill("input[name=variants-0-model]", "3 kW")
    page.get_by_test_id("add-variant").click()
    page.fill("input[name=variants-1-model]", "6 kW")
    page.fill("input[name=specs-0-name_en]", "Laser power")
    page.fill("input[name=specs-0-name_zh]", "激光功率")
    page.fill("input[name=specs-0-value]", "3 kW")
    page.check("input[name=sample_available]")
    page.fill("input[name=sample_price]", "128000")
    page.fill("input[name=lead_time_days]", "25")
    page.select_option("select[name=production_site]", label="Donghu plant, Wuhan")
    page.check("input[name=oem]")
    submit(page)

    errors = page.get_by_test_id("tiers-errors")
    assert "Tier 2: a larger quantity may not cost more per unit" in errors.inner_text()
    # Nothing typed is lost: the other fields, the tiers (the fourth too), variants and specifications.
    assert page.input_value("input[name=title_zh]") == "3015光纤激光切割机 3千瓦"
    assert page.input_value("input[name=tiers-3-unit_price]") == "109000"
    assert page.input_value("input[name=variants-1-model]") == "6 kW"
    assert page.input_value("input[name=specs-0-name_zh]") == "激光功率"
    assert page.input_value("input[name=sample_price]") == "128000"
    screenshot("manage-02-tier-error")

    page.fill("input[name=tiers-1-unit_price]", "121000")
    submit(page)
    page.wait_for_url(re.compile(r"/dashboard/listings/\d+/$"))
    assert "Draft saved" in page.content()
    listing = Listing.objects.get(sku="LC-3015-3KW")
    assert [t.min_quantity for t in listing.tiers.all()] == [1, 5, 20, 50]
    assert [v.model for v in listing.variants.all()] == ["3 kW", "6 kW"]

    # A picture: a placeholder until the worker has made the thumbnail.
    picture = Path(worker[1]).parent / "front.jpg"
    picture.write_bytes(f.image_bytes(size=(1200, 900), color="steelblue"))
    page.set_input_files("input[name=image]", str(picture))
    page.fill("input[name=alt_text]", "The machine from the front")
    page.get_by_test_id("upload-picture").click()
    page.wait_for_load_state()
    assert "Picture received" in page.content()
    screenshot("manage-03-draft-saved-picture-pending")
    deadline = time.monotonic() + 30
    while not ListingImage.objects.filter(listing=listing).exclude(thumbnail="").exists():
        assert time.monotonic() < deadline, Path(worker[1]).read_text()[-2000:]
        time.sleep(0.3)
    page.reload()
    assert page.get_by_test_id("thumbnail-pending").count() == 0
    assert page.get_by_test_id("picture").locator("img").count() == 1

    # Preview: the public page, marked as not public; a buyer gets 404 for now.
    page.get_by_test_id("preview").click()
    page.wait_for_url(re.compile(rf"/listings/{listing.pk}/$"))
    assert "buyers cannot see it" in page.content()
    screenshot("manage-04-preview")
    anonymous = browser.new_context(locale="en-GB").new_page()
    assert anonymous.goto(f"{base}/listings/{listing.pk}/").status == 404
    page.go_back()

    # Publish: buyers see it.
    page.get_by_test_id("publish").click()
    page.wait_for_load_state()
    assert "Published: buyers can now find this listing." in page.content()
    assert page.get_by_test_id("listing-status").first.inner_text() == "Published"
    screenshot("manage-05-published")
    assert anonymous.goto(f"{base}/listings/{listing.pk}/").status == 200
    assert "Fiber laser cutting machine 3015, 3 kW" in anonymous.content()
    anonymous.context.close()

    # Edit a published listing.
    page.fill("input[name=title_en]", "Fiber laser cutting machine 3015, 3 kW, exchange table")
    submit(page)
    assert "Changes saved." in page.content()
    listing.refresh_from_db()
    assert listing.title_en.endswith("exchange table") and listing.status == Listing.Status.PUBLISHED

    # Duplicate: a new draft with the tiers, variants and a free SKU.
    page.get_by_test_id("duplicate").click()
    page.wait_for_load_state()
    assert "Copied as a new draft" in page.content()
    assert page.input_value("input[name=sku]") == "LC-3015-3KW-copy"
    assert page.input_value("input[name=tiers-3-unit_price]") == "109000.00"
    assert page.input_value("input[name=variants-1-model]") == "6 kW"
    screenshot("manage-06-duplicated")

    # Archive the copy: it leaves the active list and waits under "Archived".
    page.get_by_test_id("archive").click()
    page.wait_for_url(re.compile(r"/dashboard/listings/$"))
    rows = page.get_by_test_id("manage-listings").locator("tbody tr")
    assert rows.count() == 1 and "exchange table" in rows.first.inner_text()
    assert "1" in page.get_by_test_id("tab-archived").inner_text()
    screenshot("manage-07-list-after-archive")
    page.get_by_test_id("tab-archived").click()
    page.wait_for_load_state()
    assert "(copy)" in page.get_by_test_id("manage-listings").inner_text()


def test_an_unverified_supplier_sees_why_it_cannot_publish(live_server, page, screenshot, world):
    Supplier.objects.filter(pk=world["supplier"].pk).update(
        status=Supplier.Status.UNDER_VERIFICATION, certification_level="none"
    )
    sign_in(page, live_server.url, "chen@guanggu.test")
    page.wait_for_url(re.compile(r"/dashboard/supplier/$"))
    page.goto(live_server.url + "/dashboard/listings/new/")
    assert "Only companies verified by our certification team" in page.get_by_test_id("publish-blocker").inner_text()
    page.fill("input[name=title_en]", "Handheld laser welder 1500 W")
    page.select_option("select[name=category]", label="Laser equipment › Laser cutting machines")
    page.fill("input[name=moq]", "1")
    page.fill("input[name=tiers-0-min_quantity]", "1")
    page.fill("input[name=tiers-0-unit_price]", "23000")
    submit(page)
    page.wait_for_url(re.compile(r"/dashboard/listings/\d+/$"))
    assert page.get_by_test_id("publish").is_disabled()
    assert "Only companies verified" in page.get_by_test_id("publish-blockers").inner_text()
    screenshot("manage-08-unverified-cannot-publish")
