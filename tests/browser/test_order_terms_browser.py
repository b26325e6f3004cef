"""Acceptance: a CIF order on deposit terms from confirmation to delivery, in a real browser, on a
desktop screen (1280 px) and a phone (390 px).

The supplier confirms with freight, insurance and a longer lead time; the buyer sees what changed
in the proposal box and accepts the new total; the supplier records the deposit, then the balance,
and ships with a carrier picked from the form's suggestions; the buyer follows the tracking link's
address and confirms the delivery. Screenshots go to var/screenshots/order-*.png.
"""

from decimal import Decimal

import pytest

from orders.models import Order
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.orders.factories import listing_with, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def world():
    buyer = f.BuyerMemberFactory(company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@terms.test").user
    supplier = f.SupplierFactory(name_en="Wuhan Guanggu Photonics Co., Ltd.", slug="terms-supplier")
    f.SupplierMemberFactory(supplier=supplier, user__email="supplier@terms.test")
    listing = listing_with(
        supplier, f.CategoryFactory(), title_en="Fibre laser source 3 kW", lead_time_days=20,
        tiers=((10, "1000.00"),),
    )  # fmt: skip
    purchase, _created = place(
        buyer, [(listing, None, 10)], incoterm="CIF", incoterm_place="Rotterdam", payment_terms="deposit",
        deposit_percent=30, billing_address="Rotterdam Industrial Supply B.V.\nDamrak 1\n1012 LG Amsterdam",
        shipping_address="Waalhaven 12\n3089 KH Rotterdam",
    )  # fmt: skip
    return {"order": purchase.orders.get()}


def context_for(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fits(page) -> None:
    """Nothing makes the page scroll sideways (the lines table scrolls in its own box)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_cif_deposit_order_from_proposal_to_delivery(live_server, browser, world, viewport):
    base, order = live_server.url, world["order"]
    url = f"{base}/orders/{order.number}/"
    width = viewport["width"]
    supplier_context, supplier = context_for(browser, viewport)
    buyer_context, buyer = context_for(browser, viewport)
    sign_in(supplier, base, "supplier@terms.test")
    sign_in(buyer, base, "buyer@terms.test")

    # 1. The supplier confirms with freight and insurance (CIF) and a longer lead time.
    supplier.goto(url)
    form = supplier.get_by_test_id("confirm-form")
    assert "sent to the buyer" in form.inner_text()
    form.locator("input[name=freight]").fill("1,250.00")
    form.locator("input[name=insurance]").fill("35.50")
    form.locator("input[name=lead_time_days]").fill("25")
    fits(supplier)
    shot(supplier, f"order-supplier-confirm-{width}")
    supplier.get_by_test_id("action-confirm").click()
    supplier.get_by_text("Your terms were sent to the buyer").wait_for()
    assert supplier.get_by_test_id("order-status").inner_text() == "Terms proposed"

    # 2. The buyer sees what changed and accepts the new total.
    buyer.goto(url)
    proposal = buyer.get_by_test_id("proposal")
    assert "CNY 10,000.00" in proposal.get_by_test_id("placed-total").inner_text()
    assert "CNY 11,285.50" in proposal.get_by_test_id("proposed-total").inner_text()
    assert "20 days" in proposal.inner_text() and "25 days" in proposal.inner_text()
    current = buyer.locator("[data-testid=order-progress] [aria-current=step]")
    assert current.get_attribute("data-status") == "proposed"
    fits(buyer)
    shot(buyer, f"order-buyer-proposed-{width}")
    buyer.get_by_test_id("action-accept_terms").click()
    buyer.get_by_text("You accepted the new terms").wait_for()
    payment = buyer.get_by_test_id("payment")
    assert "Pay the deposit now:" in payment.inner_text() and "CNY 3,385.65" in payment.inner_text()

    # 3. The supplier records the deposit, then the balance.
    supplier.goto(url)
    supplier.get_by_test_id("action-mark_deposit_paid").click()
    supplier.get_by_text("Deposit recorded.").wait_for()
    supplier.get_by_test_id("action-mark_paid").click()
    supplier.get_by_text("Payment recorded.").wait_for()

    # 4. The supplier ships with a carrier from the form's suggestions.
    suggestions = supplier.locator("#carrier-options option")
    assert suggestions.count() >= 12
    maersk = next(v for v in suggestions.evaluate_all("os => os.map(o => o.value)") if v.startswith("Maersk"))
    assert supplier.locator("#id_ship_carrier").get_attribute("list") == "carrier-options"
    supplier.fill("#id_ship_carrier", maersk)
    supplier.fill("#id_ship_tracking_number", "MAEU240123456")
    shot(supplier, f"order-supplier-ship-{width}")
    supplier.get_by_test_id("action-ship").click()
    supplier.get_by_test_id("tracking").wait_for()
    supplier_context.close()

    # 5. The buyer sees the tracking link and confirms the delivery.
    buyer.reload()
    link = buyer.get_by_test_id("tracking-link")
    assert link.get_attribute("href") == "https://www.maersk.com/tracking/MAEU240123456"
    assert link.get_attribute("target") == "_blank"
    shot(buyer, f"order-buyer-shipped-{width}")
    buyer.get_by_test_id("action-confirm_delivery").click()
    buyer.get_by_text("Delivery confirmed.").wait_for()
    assert buyer.locator("[data-testid=order-progress] [aria-current=step]").get_attribute("data-status") == (
        "delivered"
    )
    buyer_context.close()

    order.refresh_from_db()
    assert (order.status, order.total, order.freight, order.insurance) == (
        Order.Status.DELIVERED, Decimal("11285.50"), Decimal("1250.00"), Decimal("35.50"),
    )  # fmt: skip
    kinds = list(order.events.values_list("to_status", flat=True))
    assert kinds == ["placed", "proposed", "confirmed", "deposit_paid", "paid", "shipped", "delivered"]
