"""Acceptance: a buyer posts a CIF request with a drawing and a specification and a quantity typed
"2,000"; a routed supplier sees the files, quotes FOB without freight, is warned what the buyer
asked and what is missing, and sends on these terms only once it confirms; the buyer's comparison
says the quote is not comparable. In English for the buyer and in Chinese for the supplier.
Screenshots go to var/screenshots/rfq-*.png (and /work/shots/rfq/ when that folder exists)."""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from orders.models import Quote, Rfq, RfqAttachment
from orders.services.rfq import rfq_route
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.marketplace.pdf_corpus import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
SHOTS = Path("/work/shots/rfq")


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def world(filesystem_broker):
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带")
    machines = f.CategoryFactory(slug="machinery", name_en="Machinery", name_zh="机械")
    cutters = f.CategoryFactory(
        slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机", parent=machines
    )
    f.CategoryFactory(slug="food", name_en="Food", name_zh="食品")
    buyer = f.BuyerMemberFactory(company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@terms.test").user
    supplier = f.SupplierFactory(belt=belt, name_en="Hubei Lasertech Co., Ltd.", slug="terms-supplier")
    supplier.main_categories.set([cutters])
    member = f.SupplierMemberFactory(
        supplier=supplier, user__email="lasertech@terms.test", user__preferred_language="zh-hans"
    ).user
    return {"buyer": buyer, "cutters": cutters, "supplier": supplier, "member": member}


def test_terms_warning_and_files_in_the_browser(live_server, page, browser, world):
    base = live_server.url

    # 1. The buyer posts a CIF request with two files; the category picker is grouped by parent.
    sign_in(page, base, "buyer@terms.test")
    page.goto(base + "/rfqs/new/")
    assert page.locator("select[name=category] optgroup[label=Machinery] option").count() == 2
    page.fill("input[name=title]", "3 kW fibre laser cutting machine, 3015 bed")
    page.select_option("select[name=category]", str(world["cutters"].pk))
    page.fill("input[name=quantity]", "2,000")
    page.select_option("select[name=unit]", "piece")
    page.select_option("select[name=currency]", "USD")
    page.select_option("select[name=destination_country]", "NL")
    page.select_option("select[name=incoterm]", "CIF")
    page.fill("input[name=incoterm_place]", "Rotterdam")
    page.select_option("select[name=required_level]", "verified")
    page.fill("input[name=deadline]", (timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    spec = pdf(objects={4: (b"<< /Length 12000 >>", b"x" * 12000)})
    page.get_by_test_id("input-attachments").set_input_files(
        [{"name": "bed-spec.pdf", "mimeType": "application/pdf", "buffer": spec}]
    )
    shoot(page, "rfq-01-new-en")
    page.get_by_test_id("rfq-submit").click()
    page.wait_for_url(re.compile(r"/rfqs/\d+/$"))
    rfq = Rfq.objects.get()
    assert (rfq.quantity, rfq.incoterm) == (2000, "CIF")
    attachment = RfqAttachment.objects.get(rfq=rfq)
    assert attachment.file_check == "clean" and attachment.name == "bed-spec.pdf"
    page.reload()
    assert page.get_by_test_id("rfq-attachment-link").inner_text() == "bed-spec.pdf"
    assert rfq_route(rfq_id=rfq.pk) == 1

    # 2. The supplier, in Chinese, sees the file and quotes FOB without freight: warned, not sent.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    supplier_page = context.new_page()
    supplier_page.set_default_timeout(15_000)
    sign_in(supplier_page, base, "lasertech@terms.test")
    supplier_page.goto(base + f"/dashboard/rfqs/{rfq.pk}/")
    with supplier_page.expect_download() as download:
        supplier_page.get_by_test_id("rfq-attachment-link").click()
    assert download.value.suggested_filename == "bed-spec.pdf"
    form = supplier_page.get_by_test_id("quote-form")
    form.locator("input[name=unit_price]").fill("19800")
    form.locator("input[name=moq]").fill("1")
    form.locator("input[name=quantity]").fill("2 000")
    form.locator("input[name=lead_time_days]").fill("25")
    form.locator("select[name=incoterm]").select_option("FOB")
    supplier_page.get_by_test_id("quote-submit").click()
    warning = supplier_page.get_by_test_id("terms-warning")
    warning.wait_for()
    assert "CIF" in supplier_page.get_by_test_id("terms-asked").inner_text()
    assert "FOB" in supplier_page.get_by_test_id("terms-quoted").inner_text()
    assert form.locator("input[name=unit_price]").input_value() == "19800"
    assert not Quote.objects.exists()
    shoot(supplier_page, "rfq-02-terms-warning-zh")

    # 3. It confirms and sends on these terms.
    supplier_page.get_by_test_id("input-confirm_terms").check()
    supplier_page.get_by_test_id("quote-submit").click()
    supplier_page.get_by_test_id("my-quote").wait_for()
    quote = Quote.objects.get()
    assert (quote.incoterm, quote.freight_total, quote.quantity) == ("FOB", None, 2000)
    shoot(supplier_page, "rfq-03-sent-zh")
    context.close()

    # 4. The buyer's comparison says plainly that the quote is FOB without freight.
    page.reload()
    assert "quoted FOB without freight" in page.get_by_test_id("not-comparable").inner_text()
    shoot(page, "rfq-04-compare-en")
