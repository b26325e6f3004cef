"""Acceptance: the trade from a request for quotation to a rating, in a real browser.

A buyer posts an RFQ on the form; two suppliers, each signed in in its own browser context, send
quotes; the buyer compares them side by side and accepts one; that supplier confirms the order,
records the payment and ships it with a carrier and tracking number; the buyer sees the tracking
number, confirms the delivery, completes the order and rates the supplier. Screenshots go to
var/screenshots/trade-*.png.

Routing runs by calling the job's service (`rfq_route`) in the test process right after the
RFQ is posted, not through the `worker` fixture: the live server queues the real Celery message
after commit (to a private queue folder nobody reads), and routing by a real worker process is
proven on its own in tests/orders/test_rfq_worker.py. Calling the service directly keeps this
long test about the trade, deterministic and without a minute of worker start-up and polling.
"""

import datetime
import re

import pytest
from django.utils import timezone

from orders.models import Order, Quote, Rating, Rfq, RfqRecipient
from orders.services.rfq import rfq_route
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def world(filesystem_broker):
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带")
    category = f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机")
    buyer = f.BuyerMemberFactory(company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@trade.test").user
    suppliers = []
    for n, (name, email) in enumerate(
        [
            ("Wuhan Guanggu Photonics Co., Ltd.", "guanggu@trade.test"),
            ("Hubei Lasertech Co., Ltd.", "lasertech@trade.test"),
        ]
    ):
        supplier = f.SupplierFactory(
            belt=belt, name_en=name, slug=f"trade-supplier-{n}", certification_level="certified_origin"
        )
        supplier.main_categories.set([category])
        f.SupplierMemberFactory(supplier=supplier, user__email=email)
        suppliers.append(supplier)
    return {"buyer": buyer, "category": category, "suppliers": suppliers}


def supplier_quotes(browser, base: str, email: str, price: str, lead_time: str, screenshot_name: str | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, email)
    page.get_by_test_id("nav-rfqs").click()
    page.get_by_test_id("opportunity-row").first.click()
    page.wait_for_url(re.compile(r"/dashboard/rfqs/\d+/$"))
    form = page.get_by_test_id("quote-form")
    form.locator("input[name=unit_price]").fill(price)
    form.locator("input[name=moq]").fill("1")
    form.locator("input[name=lead_time_days]").fill(lead_time)
    form.locator("textarea[name=note]").fill("3 kW IPG source, 3015 bed, wooden crate")
    page.get_by_test_id("quote-submit").click()
    page.get_by_test_id("my-quote").wait_for()
    assert "Submitted" in page.get_by_test_id("my-quote").inner_text()
    if screenshot_name:
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot_name}.png"), full_page=True)
    return context, page


def test_rfq_to_rating_in_the_browser(live_server, page, browser, screenshot, world):
    base = live_server.url
    cheap, dear = world["suppliers"][1], world["suppliers"][0]

    # 1. The buyer posts an RFQ.
    sign_in(page, base, "buyer@trade.test")
    page.get_by_test_id("nav-rfqs").click()
    page.get_by_test_id("rfq-new").click()
    page.fill("input[name=title]", "3 kW fibre laser cutting machine, 3015 bed")
    page.fill("textarea[name=details]", "IPG or Raycus source, CE marking, 380 V / 50 Hz.")
    page.select_option("select[name=category]", str(world["category"].pk))
    page.fill("input[name=quantity]", "4")
    page.select_option("select[name=unit]", "set")
    page.fill("input[name=target_price]", "20000")
    page.select_option("select[name=currency]", "USD")
    page.select_option("select[name=destination_country]", "NL")
    page.select_option("select[name=incoterm]", "FOB")
    page.fill("input[name=incoterm_place]", "Shanghai")
    page.select_option("select[name=required_level]", "certified_origin")
    page.fill("input[name=deadline]", (timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    page.get_by_test_id("input-allow_split").uncheck()  # one factory makes all four
    page.get_by_test_id("rfq-submit").click()
    page.wait_for_url(re.compile(r"/rfqs/\d+/$"))
    rfq = Rfq.objects.get()
    assert (rfq.quantity, rfq.unit, rfq.allow_split, rfq.created_by) == (4, "set", False, world["buyer"])

    # 2. The routing job (see the module docstring) reaches both certified laser makers.
    assert rfq_route(rfq_id=rfq.pk) == 2
    assert set(RfqRecipient.objects.filter(rfq=rfq).values_list("supplier_id", flat=True)) == {cheap.pk, dear.pk}

    # 3. Two suppliers quote, each in its own browser context.
    dear_context, _dear_page = supplier_quotes(browser, base, "guanggu@trade.test", "21500", "30")
    cheap_context, cheap_page = supplier_quotes(
        browser, base, "lasertech@trade.test", "19800", "25", screenshot_name="trade-02-supplier-quote"
    )
    dear_context.close()
    assert Quote.objects.filter(rfq=rfq, status="submitted").count() == 2

    # 4. The buyer compares the quotes side by side and accepts the cheaper one.
    page.reload()
    rows = page.get_by_test_id("quote-row")
    assert rows.count() == 2
    assert "Sent to 2 matching certified suppliers." in page.get_by_test_id("routed-count").inner_text()
    best = rows.filter(has=page.get_by_test_id("best-quote"))
    assert "Hubei Lasertech" in best.inner_text() and "79,200.00" in best.inner_text()
    screenshot("trade-01-compare-quotes")
    best.get_by_test_id("award-choice").check()
    page.fill("textarea[name=shipping_address]", "Rotterdam Industrial Supply B.V.\nWaalhaven 12\n3089 KH Rotterdam")
    page.get_by_test_id("award-submit").click()
    page.get_by_test_id("rfq-orders").wait_for()
    order = Order.objects.get()
    assert (order.supplier, order.total, order.quote.rfq) == (cheap, 79200, rfq)
    page.get_by_test_id("rfq-order-link").click()
    page.wait_for_url(re.compile(rf"/orders/{order.number}/$"))

    # 5. The supplier confirms, records the payment and ships with carrier and tracking number.
    cheap_page.goto(base + f"/orders/{order.number}/")
    cheap_page.get_by_test_id("action-confirm").click()
    cheap_page.get_by_test_id("action-mark_paid").click()
    cheap_page.fill("#id_ship_carrier", "COSCO Shipping")
    cheap_page.fill("#id_ship_tracking_number", "COSU6123456780")
    cheap_page.get_by_test_id("action-ship").click()
    cheap_page.get_by_test_id("tracking").wait_for()
    cheap_context.close()

    # 6. The buyer sees the tracking number, confirms the delivery, completes and rates.
    page.reload()
    assert "COSU6123456780" in page.get_by_test_id("tracking").inner_text()
    screenshot("trade-03-buyer-sees-tracking")
    page.get_by_test_id("action-confirm_delivery").click()
    page.get_by_test_id("action-complete").click()
    page.get_by_test_id("rate-form").locator("input[name=stars][value='5']").check()
    page.fill("#id_rate_text", "Well packed, on time, exactly as quoted.")
    page.get_by_test_id("action-rate").click()
    page.get_by_test_id("rating").wait_for()
    screenshot("trade-04-rated")

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.tracking_number == "COSU6123456780"
    rating = Rating.objects.get(order=order)
    assert (rating.stars, rating.supplier) == (5, cheap)
    assert Quote.objects.get(rfq=rfq, supplier=dear).status == "declined"
