"""A belt operator licences a member's use of the regional brand, in a real browser, in English and in
Chinese: the listing shows the mark to an anonymous buyer (from the page cache on a second visit), the
public check shows the licence, and the operator's revocation removes the mark on the buyer's very
next request (screenshots under var/screenshots/brand-licence-*)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import BrandLicence
from tests import factories as f
from tests.marketplace.pdf_corpus import pdf

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wuhan():
    belt = f.BeltFactory(
        slug="wuhan-laser", name_en="Wuhan Optics Valley laser belt", name_zh="武汉光谷激光产业带",
        brand_en="Hubei laser", brand_zh="湖北激光",
    )  # fmt: skip
    operator = f.BeltOperatorFactory(belt=belt, user__email="association@hubei-laser.test", user__full_name="Hu Min")
    cutters = f.CategoryFactory(slug="laser-cutting-machines", name_en="Laser cutting machines", name_zh="激光切割机")
    f.CategoryFactory(slug="laser-marking-machines", name_en="Laser marking machines", name_zh="激光打标机")
    supplier = f.SupplierFactory(
        belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司"
    )
    supplier.main_categories.add(cutters)
    listing = f.ListingFactory(
        supplier=supplier, category=cutters, title_en="Fibre laser cutting machine 3015, 3 kW",
        title_zh="光纤激光切割机 3015 型 3千瓦",
    )  # fmt: skip
    return operator.user, supplier, listing


def _in_language(context, base: str, language: str) -> None:
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_operator_licenses_a_member_and_revocation_removes_the_mark_on_the_next_request(
    live_server, browser, page, screenshot, wuhan, language, tmp_path
):
    operator, supplier, listing = wuhan
    base = live_server.url
    tag = "en" if language == "en" else "zh"
    _in_language(page.context, base, language)
    sign_in(page, base, operator.email)
    page.goto(base + "/dashboard/belt/")
    page.get_by_test_id("licences-link").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/wuhan-laser/licences/$"))
    expect(page.get_by_test_id("no-licences")).to_be_visible()

    form = page.get_by_test_id("grant-form")
    form.locator("select[name=supplier]").select_option(str(supplier.pk))
    form.get_by_label(re.compile("Laser cutting machines|激光切割机")).check()
    until = timezone.localdate() + datetime.timedelta(days=365)
    form.locator("input[name=valid_until]").fill(until.isoformat())
    document = tmp_path / "licence.pdf"
    document.write_bytes(pdf())
    form.locator("input[name=document]").set_input_files(str(document))
    screenshot(f"brand-licence-{tag}-1-grant-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/licences/\d+/$"))
    licence = BrandLicence.objects.get()
    expect(page.get_by_test_id("licence-number")).to_have_text(licence.number)
    expect(page.get_by_test_id("licence-standing")).to_have_attribute("data-standing", "valid")
    screenshot(f"brand-licence-{tag}-2-granted")

    # An anonymous buyer, in the same language: the listing carries the mark; a second visit is
    # answered from the page cache.
    buyer = browser.new_context(viewport={"width": 1280, "height": 900})
    _in_language(buyer, base, language)
    visitor = buyer.new_page()
    mark_text = "® Hubei laser" if language == "en" else "® 湖北激光"
    visitor.goto(f"{base}/listings/{listing.pk}/")
    expect(visitor.get_by_test_id("brand-mark")).to_have_text(mark_text)
    response = visitor.reload()
    assert response is not None and "public" in response.headers.get("cache-control", "")
    expect(visitor.get_by_test_id("brand-mark")).to_have_text(mark_text)
    visitor.screenshot(path=str(_path(f"brand-licence-{tag}-3-listing-marked")), full_page=True)
    visitor.get_by_test_id("brand-mark").click()  # the mark leads to the licence's public check
    visitor.wait_for_url(re.compile(rf"/verify/licences/{licence.number}/$"))
    expect(visitor.get_by_test_id("licence-verdict")).to_have_attribute("data-verdict", "valid")
    visitor.screenshot(path=str(_path(f"brand-licence-{tag}-4-public-check")), full_page=True)

    # The operator revokes, with the reason on record.
    page.get_by_test_id("revoke-form").locator("textarea[name=reason]").fill("Labels used on goods made outside Hubei")
    page.get_by_test_id("revoke-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("licence-standing")).to_have_attribute("data-standing", "revoked")
    expect(page.get_by_test_id("licence-revoke-reason")).to_have_text("Labels used on goods made outside Hubei")
    screenshot(f"brand-licence-{tag}-5-revoked")

    # The buyer's very next request: no mark, though the page was cached with it.
    visitor.goto(f"{base}/listings/{listing.pk}/")
    expect(visitor.get_by_test_id("listing-title")).to_be_visible()
    expect(visitor.get_by_test_id("brand-mark")).to_have_count(0)
    visitor.screenshot(path=str(_path(f"brand-licence-{tag}-6-listing-after-revocation")), full_page=True)
    visitor.goto(f"{base}/verify/licences/{licence.number}/")
    expect(visitor.get_by_test_id("licence-verdict")).to_have_attribute("data-verdict", "revoked")
    visitor.screenshot(path=str(_path(f"brand-licence-{tag}-7-public-check-revoked")), full_page=True)
    buyer.close()


def _path(name: str):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
