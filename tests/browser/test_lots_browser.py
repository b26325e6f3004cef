"""Acceptance: lot traceability for produce, in a real browser, in English and in Chinese.

A Xinjiang raisin maker records a harvest lot of its listing with an inspection certificate (from
its listings page, through the lots page); it ships a paid order from that lot, naming the lot and
quantity on the order page; the buyer sees the lot on its order and opens the public lot page,
which shows the vineyard, the harvest date, the grade, the certificate and the supplier's
certification, and whose QR code (read back from the screenshot with zxing-cpp) decodes to that
page's address. Screenshots go to var/screenshots/lots-*.png.
"""

import io
import re

import pytest
import zxingcpp
from PIL import Image

from catalog.models import Lot
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.catalog.lots import order_to_ship, produce_listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": ("en-GB", "en"), "zh": ("zh-CN", "zh-hans")}


@pytest.fixture
def world():
    belt = f.BeltFactory(slug="xinjiang-farm-produce", province="CN-XJ", name_en="Xinjiang dried fruit belt",
                         name_zh="新疆干果产业带")  # fmt: skip
    supplier = f.SupplierFactory(
        belt=belt, province="CN-XJ", name_en="Turpan Silk Road Raisin Co., Ltd.", name_zh="吐鲁番丝路葡萄干有限公司"
    )
    member = f.SupplierMemberFactory(supplier=supplier, user__email="produce@lots.test").user
    buyer = f.BuyerMemberFactory(user__email="buyer@lots.test").user
    listing = produce_listing(supplier, f.CategoryFactory())
    order = order_to_ship(buyer, supplier, listing, 1000)
    return {"supplier": supplier, "member": member, "listing": listing, "order": order}


def context_for(browser, language):
    locale, cookie = LOCALES[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page, cookie


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_produce_lot_from_its_record_to_its_public_page_and_qr_code(live_server, browser, world, language, tmp_path):
    base = live_server.url
    certificate = tmp_path / "inspection.pdf"
    certificate.write_bytes(f.pdf_upload().read())

    # 1. The supplier records a lot from its listings page, with its inspection certificate.
    context, supplier, cookie = context_for(browser, language)
    sign_in(supplier, base, "produce@lots.test")
    supplier.context.add_cookies([{"name": "django_language", "value": cookie, "url": base}])
    supplier.goto(base + "/dashboard/listings/")
    supplier.get_by_test_id("lots-link").click()
    supplier.wait_for_url(re.compile(r"/dashboard/lots/$"))
    supplier.get_by_test_id("new-lot").click()
    form = supplier.get_by_test_id("lot-fields")
    form.locator("input[name=code]").fill("TSR-2026-GV07")
    form.locator("select[name=listings]").select_option(str(world["listing"].pk))
    form.locator("input[name=quantity]").fill("8000")
    form.locator("select[name=unit]").select_option("kg")
    form.locator("input[name=grade]").fill("Grade A (特级)")
    form.locator("input[name=site_name]").fill("Grape Valley vineyard, block 7")
    form.locator("select[name=site_region]").select_option("CN-XJ")
    form.locator("input[name=site_address]").fill("Grape Valley, Gaochang, Turpan")
    form.locator("input[name=latitude]").fill("42.98140")
    form.locator("input[name=longitude]").fill("89.22310")
    form.locator("input[name=produced_on]").fill("2026-09-20")
    form.locator("input[name=packed_on]").fill("2026-10-25")
    form.locator("select[name=certificate-kind]").select_option("inspection")
    form.locator("input[name=certificate-number]").fill("XJCIQ-2026-0917-0412")
    form.locator("input[name=certificate-upload]").set_input_files(str(certificate))
    shot(supplier, f"lots-{language}-1-new-lot")
    supplier.get_by_test_id("lot-save").click()
    supplier.wait_for_url(re.compile(r"/dashboard/lots/\d+/$"))
    lot = Lot.objects.get(code="TSR-2026-GV07")
    assert supplier.get_by_test_id("lot-certificate").count() == 1
    assert "XJCIQ-2026-0917-0412" in supplier.get_by_test_id("lot-certificates").inner_text()
    shot(supplier, f"lots-{language}-2-lot-recorded")

    # 2. The supplier ships the paid order from the lot, naming it on the order page.
    order = world["order"]
    supplier.goto(f"{base}/orders/{order.number}/")
    ship = supplier.get_by_test_id("ship-form")
    ship.locator("input[name=carrier]").fill("SF Express")
    ship.locator("input[name=tracking_number]").fill("SF1402268831507")
    lots = ship.get_by_test_id("ship-lots")
    lots.locator("select").first.select_option(str(lot.pk))
    assert lots.locator("input").first.input_value() == "1000"
    shot(supplier, f"lots-{language}-3-ship-from-lot")
    supplier.get_by_test_id("action-ship").click()
    supplier.get_by_test_id("line-lot").wait_for()
    lot.refresh_from_db()
    assert lot.remaining == 7000
    shot(supplier, f"lots-{language}-4-order-shipped")
    context.close()

    # 3. The buyer follows the lot from its order to the public lot page.
    context, buyer, cookie = context_for(browser, language)
    sign_in(buyer, base, "buyer@lots.test")
    buyer.context.add_cookies([{"name": "django_language", "value": cookie, "url": base}])
    buyer.goto(f"{base}/orders/{order.number}/")
    buyer.get_by_test_id("line-lot").click()
    buyer.wait_for_url(re.compile(r"/lots/[\w-]+/$"))
    page_url = f"{base}/lots/{lot.token}/"
    assert buyer.url == page_url
    assert "Grape Valley vineyard, block 7" in buyer.get_by_test_id("lot-site").inner_text()
    assert buyer.get_by_test_id("lot-produced").inner_text() == "2026-09-20"
    assert "XJCIQ-2026-0917-0412" in buyer.get_by_test_id("lot-public-certificates").inner_text()
    assert buyer.get_by_test_id("certification-badge").is_visible()
    shot(buyer, f"lots-{language}-5-public-lot-page")

    # 4. Its QR code, as the screen shows it, decodes to the page's own address.
    qr = Image.open(io.BytesIO(buyer.get_by_test_id("lot-qr").screenshot()))
    decoded = [result.text for result in zxingcpp.read_barcodes(qr)]
    assert decoded == [page_url]
    context.close()
