"""Analytics in a real browser, in English and Chinese (screenshots under var/screenshots/): a
supplier's analytics with charts and their tables, reached from its dashboard; an operator's belt
analytics from the operator dashboard; the public belt statistics from the belt page."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics.services.compute import analytics_compute
from analytics.services.views import views_add
from tests import factories as f
from tests.analytics.factories import at, buyer_company, inquiry, order
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year_of_trade():
    """A laser belt with two certified suppliers, a year of orders from buyers in four countries,
    inquiries and a month of views; the analytics computed."""
    belt = f.BeltFactory(
        slug="wuhan-laser", name_en="Wuhan Optics Valley laser belt", name_zh="武汉光谷激光产业带",
        brand_en="Hubei laser", brand_zh="湖北激光",
    )  # fmt: skip
    cutters = f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机")
    markers = f.CategoryFactory(slug="laser-markers", name_en="Laser marking machines", name_zh="激光打标机")
    photonics = f.SupplierFactory(
        belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司"
    )
    member = f.SupplierMemberFactory(supplier=photonics, user__email="sales@photonics.test").user
    other = f.SupplierFactory(belt=belt, name_en="Hubei Precision Optics Co., Ltd.", name_zh="湖北精密光学有限公司")
    operator = f.BeltOperatorFactory(belt=belt, user__email="association@hubei-laser.test").user
    listings = [
        f.ListingFactory(
            supplier=photonics,
            category=cutters,
            title_en="Fibre laser cutter 3015, 3 kW",
            title_zh="光纤激光切割机3015，3千瓦",
        ),
        f.ListingFactory(
            supplier=photonics, category=markers, title_en="UV laser marker 5 W", title_zh="紫外激光打标机5瓦", moq=5
        ),
        f.ListingFactory(supplier=other, category=cutters, title_en="Tube laser cutter 6 m", title_zh="激光切管机6米"),
    ]
    rng = random.Random(15)
    buyers = [buyer_company(c) for c in ("NL", "DE", "US", "VN", "NL")]
    today = timezone.localdate()
    for back in range(0, 360, 9):
        day = today - datetime.timedelta(days=back)
        listing = rng.choice(listings)
        order(
            supplier=listing.supplier, buyer=rng.choice(buyers), when=at(day, rng.randint(8, 18)),
            total=f"{rng.randint(20, 160) * 1000}.00", listing=listing,
        )  # fmt: skip
        if back < 120:
            inquiry(
                supplier=photonics, buyer=rng.choice(buyers), when=at(day, 9), listing=listing,
                answered_after=datetime.timedelta(hours=rng.randint(1, 30)),
            )  # fmt: skip
    counts: Counter[tuple[str, str, str]] = Counter()
    for back in range(30):
        day = (today - datetime.timedelta(days=back)).isoformat()
        for listing in listings:
            counts[day, "l", str(listing.pk)] = rng.randint(5, 40)
        counts[day, "s", photonics.slug] = rng.randint(2, 15)
    views_add(counts=counts)
    analytics_compute(start=today - datetime.timedelta(days=365), end=today)
    return {"belt": belt, "member": member, "operator": operator}


def _chinese(page):
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_supplier_reads_its_analytics_with_charts_and_tables(live_server, page, screenshot, year_of_trade):
    sign_in(page, live_server.url, "sales@photonics.test")
    page.get_by_test_id("analytics-link").click()
    expect(page.get_by_role("heading", name="Views of your listings and profile")).to_be_visible()
    expect(page.locator("figure.analytics-chart svg").first).to_be_visible()
    page.get_by_test_id("period-365").click()
    expect(page.get_by_test_id("period-365")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("table-listings")).to_contain_text("Fibre laser cutter 3015, 3 kW")
    expect(page.get_by_test_id("table-countries")).to_contain_text("Netherlands")
    screenshot("analytics-supplier-en")
    with page.expect_download() as download:
        page.get_by_test_id("csv-listings").click()
    assert download.value.suggested_filename.endswith("-listings.csv")

    _chinese(page)
    expect(page.get_by_role("heading", name="浏览量：产品和公司主页").or_(page.locator("h1"))).to_be_visible()
    expect(page.get_by_test_id("table-listings")).to_contain_text("光纤激光切割机3015，3千瓦")
    expect(page.get_by_test_id("table-countries")).to_contain_text("荷兰")
    screenshot("analytics-supplier-zh")


def test_operator_reads_the_belt_analytics(live_server, page, screenshot, year_of_trade):
    sign_in(page, live_server.url, "association@hubei-laser.test")
    page.get_by_test_id("belt-analytics-link").click()
    expect(page.get_by_role("heading", name="Onboarding month by month")).to_be_visible()
    expect(page.get_by_test_id("table-categories")).to_contain_text("Laser cutting machines")
    expect(page.get_by_test_id("table-prices")).to_contain_text("Laser marking machines")
    screenshot("analytics-belt-operator-en")
    _chinese(page)
    expect(page.get_by_test_id("table-categories")).to_contain_text("激光切割机")
    screenshot("analytics-belt-operator-zh")


def test_anyone_reads_the_public_belt_statistics(live_server, page, screenshot, year_of_trade):
    page.goto(live_server.url + "/belts/wuhan-laser/")
    page.get_by_test_id("belt-statistics-link").click()
    expect(page.get_by_test_id("table-countries")).to_contain_text("Germany")
    expect(page.get_by_text("Onboarding month by month")).to_have_count(0)
    screenshot("analytics-belt-public-en")
    _chinese(page)
    expect(page.get_by_test_id("table-countries")).to_contain_text("德国")
    screenshot("analytics-belt-public-zh")
