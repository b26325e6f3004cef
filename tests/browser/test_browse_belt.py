"""A buyer's first visit, in a real browser: home → Wuhan laser belt → a listing → 中文; and a
buyer who prices a typed quantity and compares listings, on a desktop and on a 390-pixel phone.

Runs on the demo world (`seed_demo`), so the screenshots in var/screenshots/ show what a
person sees after `make run`.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.models import Listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_browses_home_belt_listing_and_switches_to_chinese(live_server, page, screenshot, demo_world):
    page.goto(live_server.url + "/")
    cards = page.get_by_test_id("belt-card")
    assert cards.count() >= 7
    assert page.locator("link[rel=stylesheet][href^='/static/']").count() >= 1
    screenshot("01-home")

    page.locator("[data-belt='wuhan-laser']").click()
    page.wait_for_url(re.compile(r"/belts/wuhan-laser/$"))
    assert page.get_by_test_id("supplier-card").count() >= 1
    assert page.get_by_test_id("listing-card").count() >= 1
    screenshot("02-belt-wuhan-laser")

    page.get_by_test_id("listing-card").first.click()
    page.wait_for_url(re.compile(r"/listings/\d+/$"))
    assert page.get_by_test_id("price-tiers").locator("tbody tr").count() >= 2
    assert page.get_by_test_id("certification-badge").first.is_visible()
    title_en = page.get_by_test_id("listing-title").inner_text()
    screenshot("03-listing")

    # A cached page holds no CSRF token: the switch first fetches the visitor's own (js/csrf.js).
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    title_zh = page.get_by_test_id("listing-title").inner_text()
    assert title_zh != title_en
    assert re.search(r"[\u4e00-\u9fff]", title_zh), title_zh
    assert "批发价格" in page.content()  # "Wholesale prices", from the Chinese catalog
    screenshot("04-listing-zh")

    page.goto(live_server.url + "/")
    assert "产业带" in page.content()
    screenshot("05-home-zh")


def test_swagger_ui_renders_offline_under_the_content_security_policy(live_server, page, screenshot, db):
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    outside: list[str] = []
    page.on(
        "request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Belt Marketplace API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/listings/").first.wait_for()
    assert not blocked, blocked
    assert not [url for url in outside if not url.startswith("data:")], outside
    screenshot("06-api-docs")


def _type_a_quantity_that_reaches_the_second_tier(page, listing: Listing) -> tuple[int, Decimal]:
    """Type the second tier's quantity (into the first variant's field when there are variants);
    return it with the unit price the page must show."""
    tier = list(listing.tiers.order_by("min_quantity"))[1]
    variant = listing.variants.order_by("position", "id").first()
    field = page.locator(f"input[name='q-{variant.pk}']") if variant else page.locator("#qty")
    field.fill(str(tier.min_quantity))
    return tier.min_quantity, tier.unit_price


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _digits(locator) -> str:
    """The locator's text without thousands separators (Chinese number formats have none)."""
    return locator.inner_text().replace(",", "")


def test_buyer_prices_a_quantity_and_compares_two_listings(live_server, page, screenshot, demo_world):
    page.goto(live_server.url + "/")
    page.locator("[data-belt='wuhan-laser']").click()
    page.wait_for_url(re.compile(r"/belts/wuhan-laser/$"))
    figures = page.get_by_test_id("belt-figures")
    assert figures.get_by_test_id("figure-suppliers").inner_text() == "3"
    assert int(figures.get_by_test_id("figure-listings").inner_text()) >= 10
    assert int(figures.get_by_test_id("figure-categories").inner_text()) >= 3
    featured = page.get_by_test_id("supplier-card")
    assert featured.first.get_attribute("data-level") == "audited_factory"  # strongest first
    assert page.get_by_test_id("top-category").count() >= 3
    screenshot("browse-01-belt")

    page.locator("[data-testid='listing-card'] a", has_text="1500 W handheld fibre laser welder").click()
    page.wait_for_url(re.compile(r"/listings/\d+/$"))
    listing = Listing.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert page.get_by_test_id("certified-origin").first.is_visible()
    assert page.get_by_test_id("specifications").locator("tr").count() >= 5
    quantity, unit_price = _type_a_quantity_that_reaches_the_second_tier(page, listing)
    check = page.get_by_test_id("tier-check")
    expect(check).to_have_attribute("data-total", str(quantity))
    expect(check).to_have_attribute("data-tier", str(quantity))
    assert _money(unit_price) in _digits(page.get_by_test_id("tier-unit-price"))
    assert _money(unit_price * quantity) in _digits(page.get_by_test_id("tier-total"))
    expect(page.locator("#price-tiers tr.tier-active")).to_have_attribute("data-min", str(quantity))
    assert page.get_by_test_id("quantity-ok").is_visible()
    screenshot("browse-02-listing-priced")

    page.get_by_test_id("compare-add").click()
    expect(page.get_by_test_id("in-compare")).to_be_visible()
    expect(page.get_by_test_id("compare-nav")).to_have_text("Compare (1)")

    page.go_back()
    page.wait_for_url(re.compile(r"/belts/wuhan-laser/$"))
    other = page.locator("[data-testid='listing-card']", has_text="Laser Technology").first
    other.get_by_test_id("compare-add").click()
    expect(other.get_by_test_id("in-compare")).to_be_visible()
    expect(page.get_by_test_id("compare-nav")).to_have_text("Compare (2)")
    page.get_by_test_id("compare-nav").click()
    page.wait_for_url(re.compile(r"/compare/$"))
    assert page.get_by_test_id("compare-column").count() == 2
    assert page.get_by_test_id("compare-spec").count() >= 3
    screenshot("browse-03-compare")

    # A cached page holds no CSRF token: the switch first fetches the visitor's own (js/csrf.js).
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    titles = page.get_by_test_id("compare-column").locator("a.fw-semibold").all_inner_texts()
    assert all(re.search(r"[\u4e00-\u9fff]", title) for title in titles), titles
    screenshot("browse-04-compare-zh")

    page.goto(live_server.url + listing.get_absolute_url())
    quantity, unit_price = _type_a_quantity_that_reaches_the_second_tier(page, listing)
    expect(page.get_by_test_id("tier-check")).to_have_attribute("data-tier", str(quantity))
    assert _money(unit_price * quantity) in _digits(page.get_by_test_id("tier-total"))
    assert "激光功率" in page.get_by_test_id("specifications").inner_text()
    screenshot("browse-05-listing-zh")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (
        ("belt", "/belts/shishi-textiles/"),
        ("listing", listing.get_absolute_url()),
        ("compare", "/compare/"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name  # nothing runs off the phone
        screenshot(f"browse-06-phone-{name}")
