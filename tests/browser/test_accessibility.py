"""axe-core runs on every page the browser tests visit (tests/browser/axe.py); here, that it does
catch what it should, and a walk over the marketplace's pages in both languages and both sizes."""

import pytest

from tests.browser.conftest import AXE_LOG, SCREENSHOTS

pytestmark = [pytest.mark.browser]

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Grey on white</p></main></body></html>"""


def test_a_page_with_serious_violations_is_reported(page):
    page.route("http://axe.test/", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
    page.goto("http://axe.test/")
    AXE_LOG.settle()
    found = {v["id"] for v in AXE_LOG.violations}
    assert {"image-alt", "color-contrast"} <= found, AXE_LOG.failures()
    assert AXE_LOG.pages_checked == 1
    AXE_LOG.reset()  # this page is broken on purpose: the test's own teardown must not fail on it


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "viewport"), [("en-GB", DESKTOP), ("zh-CN", PHONE)], ids=["en-desktop", "zh-phone"]
)
def test_public_pages_pass_axe_in_both_languages_and_sizes(browser, live_server, demo_world, language, viewport):
    from catalog.models import Listing
    from suppliers.models import Supplier

    listing = Listing.objects.public().order_by("pk").first()
    supplier = Supplier.objects.filter(status="certified").order_by("pk").first()
    context = browser.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    paths = ["/", "/belts/wuhan-laser/", listing.get_absolute_url(), supplier.get_absolute_url(), "/search/?q=laser",
             "/search/?q=枸杞&sort=price", "/apply/", "/accounts/login/", "/accounts/signup/"]  # fmt: skip
    for path in paths:
        page.goto(live_server.url + path)
    AXE_LOG.settle()
    assert AXE_LOG.pages_checked == len(paths)  # no page skipped, however quickly the test moved on
    context.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_search_box_shows_and_the_filters_wait_in_a_drawer(browser, live_server, demo_world):
    from playwright.sync_api import expect

    page = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    page.goto(live_server.url + "/search/?q=laser")
    expect(page.get_by_test_id("site-search")).to_be_visible()  # no need to open the menu
    expect(page.get_by_test_id("search-filters")).to_be_hidden()
    first_card = page.get_by_test_id("listing-card").first
    assert first_card.bounding_box()["y"] < PHONE["height"]  # results on the first screen
    page.get_by_test_id("filters-open").click()
    expect(page.get_by_test_id("search-filters")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-search-filters-drawer.png"))
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_listing_keeps_order_and_contact_on_screen(browser, live_server, demo_world):
    from playwright.sync_api import expect

    from catalog.models import Listing

    listing = Listing.objects.public().order_by("pk").first()
    page = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    page.goto(live_server.url + listing.get_absolute_url())
    page.mouse.wheel(0, 1200)  # scrolled down into the facts and the description
    bar = page.get_by_test_id("sticky-actions")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1  # within the screen, at its bottom
    expect(bar.get_by_test_id("sticky-contact")).to_have_attribute(
        "href", f"/inquiries/new/?supplier={listing.supplier.slug}&listing={listing.pk}"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-listing-sticky-actions.png"))
    bar.get_by_test_id("sticky-order").click()
    expect(page.get_by_test_id("quantity-form")).to_be_in_viewport()
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_desktop_the_listing_has_no_phone_bar(page, live_server, demo_world):
    from playwright.sync_api import expect

    from catalog.models import Listing

    page.goto(live_server.url + Listing.objects.public().order_by("pk").first().get_absolute_url())
    expect(page.get_by_test_id("sticky-actions")).to_be_hidden()
