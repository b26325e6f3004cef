"""A belt operator, in a real browser, teaches the belt's search a buyer's word: from the dashboard
to the synonyms page, a refused entry with its message, a saved one, and the search that uses it
(screenshots in English and Chinese)."""

import re

import pytest

from catalog.models import SearchSynonym
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


@pytest.fixture
def wuhan():
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan Optics Valley laser belt", name_zh="武汉光谷激光产业带")
    f.BeltOperatorFactory(belt=belt, user__email="association@hubei-laser.test")
    supplier = f.SupplierFactory(belt=belt)
    f.ListingFactory(supplier=supplier, title_en="Galvo scan head", title_zh="激光振镜扫描头")
    return belt


def test_operator_adds_a_synonym_and_the_belt_search_uses_it(live_server, page, screenshot, wuhan):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "association@hubei-laser.test")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/belt/$"))

    page.get_by_test_id("synonyms-link").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/wuhan-laser/synonyms/$"))
    page.fill("textarea[name=terms]", "振镜头")
    page.get_by_role("button", name="Save").click()
    assert "Give at least two terms, one per line." in page.content()
    assert page.locator("textarea[name=terms]").input_value() == "振镜头"  # what was typed stays
    screenshot("synonyms-01-refused")

    page.fill("textarea[name=terms]", "振镜头\n扫描头\nscanner head")
    page.fill("input[name=note]", "买家常用说法")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/wuhan-laser/synonyms/$"))
    assert page.get_by_test_id("synonym").count() == 1
    assert SearchSynonym.objects.get(belt=wuhan).terms == ["振镜头", "扫描头", "scanner head"]
    screenshot("synonyms-02-saved")

    page.goto(live_server.url + "/search/?q=scanner+head&belt=wuhan-laser")
    assert page.get_by_test_id("listing-card").count() == 1
    screenshot("synonyms-03-search")

    page.goto(live_server.url + "/dashboard/belt/wuhan-laser/synonyms/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert "搜索同义词" in page.content()
    screenshot("synonyms-04-zh")
