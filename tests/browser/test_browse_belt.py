"""A buyer's first visit, in a real browser: home → Wuhan laser belt → a listing → 中文.

Runs on the demo world (`seed_demo`), so the screenshots in var/screenshots/ show what a
person sees after `make run`.
"""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world(filesystem_broker):
    # Thumbnail jobs the seed queues go to a private folder that no worker reads.
    call_command("seed_demo", "--quiet")


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

    page.get_by_test_id("lang-zh-hans").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
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
