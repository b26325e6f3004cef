"""A listing's trade data in a real browser, in English and in Chinese: the HS code its category
gives it, its origin, export markets, certificates for export (one valid, one expired) and the
Incoterm basis of its prices; the card in the search shows the price basis, and the search's
trade filters find it. Screenshots in var/screenshots/ (trade-data-*)."""

import datetime

import pytest
from django.utils import timezone

from catalog.certificates import listing_certificate_add
from catalog.models import ListingCertificate
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dates_listing(db):
    belt = f.BeltFactory(slug="xinjiang-produce", province="CN-XJ", name_en="Xinjiang dried fruit belt")
    supplier = f.SupplierFactory(
        belt=belt, name_en="Aksu Tianshan Walnut & Jujube Co.", name_zh="阿克苏天山核桃红枣有限公司"
    )
    fruit = f.CategoryFactory(slug="dried-fruit", name_en="Dried fruit", name_zh="干果", hs_code="081340")
    jujubes = f.CategoryFactory(slug="jujubes", name_en="Red dates (jujubes)", name_zh="红枣", parent=fruit)
    listing = f.ListingFactory(
        supplier=supplier,
        category=jujubes,
        title_en="Hetian grey jujubes, grade 1, 10 kg cartons",
        title_zh="和田骏枣 一级 10公斤箱装",
        unit="carton",
        origin_region="CN-XJ",
        export_markets=["KZ", "UZ", "RU", "AE", "TR"],
        price_incoterm="FCA",
        price_incoterm_place="Horgos",
    )
    today = timezone.localdate()
    for kind, number, issuer, days in (
        ("phytosanitary", "6500260-0417", "Urumqi Customs (GACC)", 60),
        ("halal", "XJIA-H-26-0417", "Xinjiang Islamic Association", 270),
        ("organic", "ECO-XJ-25-0417", "ECOCERT China", 30),
    ):
        listing_certificate_add(
            listing=listing, actor=None, kind=kind, number=number, issuer=issuer,
            valid_until=today + datetime.timedelta(days=days), upload=f.pdf_upload(),
        )  # fmt: skip
    # The organic certificate ran out yesterday: it shows as expired without anyone writing.
    ListingCertificate.objects.filter(listing=listing, kind="organic").update(
        valid_until=today - datetime.timedelta(days=1)
    )
    return listing


def test_trade_data_on_the_listing_page_in_english_and_chinese(live_server, browser, dates_listing):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = live_server.url + dates_listing.get_absolute_url()
    for locale, language in (("en-GB", "en"), ("zh-CN", "zh")):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(url)
        block = page.get_by_test_id("trade-data")
        block.scroll_into_view_if_needed()
        assert page.get_by_test_id("trade-hs-code").inner_text().startswith("0813.40")
        assert page.get_by_test_id("trade-price-basis").inner_text() == "FCA Horgos"
        assert page.get_by_test_id("price-basis").is_visible()
        rows = page.get_by_test_id("trade-certificate")
        assert rows.count() == 3
        assert page.locator("[data-testid=trade-certificate][data-valid=false]").count() == 1
        origin = page.get_by_test_id("trade-origin").inner_text()
        markets = page.get_by_test_id("trade-markets").inner_text()
        if language == "en":
            assert origin == "Xinjiang Uygur Autonomous Region, China"
            assert "Kazakhstan" in markets and ("Türkiye" in markets or "Turkey" in markets)
        else:
            assert "新疆维吾尔自治区" in origin and "中国" in origin
            assert "哈萨克斯坦" in markets and "、" in markets
        block.screenshot(path=str(SCREENSHOTS / f"trade-data-{language}.png"))
        page.screenshot(path=str(SCREENSHOTS / f"trade-data-page-{language}.png"), full_page=True)

        # The card and the search's trade filters.
        page.goto(live_server.url + "/search/?hs=0813&market=KZ&certificate=phytosanitary")
        cards = page.get_by_test_id("listing-card")
        assert cards.count() == 1
        assert cards.first.get_by_test_id("card-price-basis").inner_text() == "FCA Horgos"
        page.goto(live_server.url + "/search/?certificate=organic")
        assert page.get_by_test_id("listing-card").count() == 0  # expired: not a valid organic certificate
        page.goto(live_server.url + "/search/?hs=0813&market=KZ")
        page.get_by_test_id("trade-filters").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"trade-data-search-{language}.png"), full_page=True)
        context.close()
