"""Acceptance: a wholesale purchase from the listing to released funds and a partly refunded dispute,
in a real browser, in English and Chinese, on a desktop screen and on a phone.

The buyer sees the listing's price range and the price for 5 sets, types 3 (below the MOQ) and is
refused with the nearest valid quantity, takes it, adds a second supplier's item, and checks out
both suppliers with CIF Rotterdam on a 30 % deposit. Each supplier sets freight and insurance on
confirming; the buyer accepts each new total and pays into payment protection, which staff record
in the admin. The first order ships, the buyer confirms the delivery and the funds go to the
supplier. The second ships, the buyer opens a dispute, the supplier answers and staff decide a
partial refund. Both orders' ledgers balance. Screenshots of the listing, cart, checkout, order and
dispute pages go to var/screenshots/walk-<language>-<size>-*.png.
"""

import re
import time
from decimal import Decimal

import pytest

from buyers.services.addresses import address_save
from orders.models import Dispute, Order
from orders.services.protection import ledger_balances
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, evidence_photo, sign_in, staff_sign_in
from tests.orders.factories import listing_with
from tests.orders.protection_helpers import assert_ledger_balances

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUNS = {
    "en-desktop": ("en-GB", {"width": 1280, "height": 900}),
    "en-phone": ("en-GB", {"width": 390, "height": 844}),
    "zh-desktop": ("zh-CN", {"width": 1280, "height": 900}),
    "zh-phone": ("zh-CN", {"width": 390, "height": 844}),
}


@pytest.fixture
def world(belt, category, staff):
    buyer = f.BuyerMemberFactory(company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@walk.test").user
    address_save(
        company=buyer.buyer_membership.company,
        actor=buyer,
        data={"label": "Rotterdam warehouse", "address": "Waalhaven Oostzijde 51\n3087 BM Rotterdam", "country": "NL"},
    )
    laser = f.SupplierFactory(belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", slug="walk-laser")
    optics = f.SupplierFactory(belt=belt, name_en="Wuhan Ruiguang Optics Co., Ltd.", slug="walk-optics")
    f.SupplierMemberFactory(supplier=laser, user__email="laser@walk.test")
    f.SupplierMemberFactory(supplier=optics, user__email="optics@walk.test")
    marker = listing_with(
        laser, category, moq=5, order_multiple=5, unit="set", title_en="Fibre laser marking machine",
        title_zh="光纤激光打标机", tiers=((5, "1200.00"), (50, "1100.00")),
    )  # fmt: skip
    lens = listing_with(optics, category, moq=10, unit="piece", title_en="Focus lens", tiers=((10, "300.00"),))
    return {"staff": staff, "laser": laser, "optics": optics, "marker": marker, "lens": lens}


def _until(check, timeout: float = 15.0) -> None:
    """Wait until `check()` holds: the page's POST has committed."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _status(order: Order, status: str):
    return lambda: Order.objects.get(pk=order.pk).status == status


def _digits(text: str) -> str:
    return text.replace(",", "")


@pytest.mark.parametrize("run", RUNS)
def test_a_purchase_from_listing_to_release_and_a_partial_refund(live_server, browser, world, run, tmp_path):
    locale, viewport = RUNS[run]
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def open_as(email: str, *, admin: bool = False):
        context = browser.new_context(viewport=viewport if not admin else {"width": 1280, "height": 900},
                                      locale=locale if not admin else "en-GB")  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(20_000)
        if admin:
            staff_sign_in(page, base, email)
        else:
            sign_in(page, base, email)
        return page

    def shot(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"walk-{run}-{name}.png"), full_page=True)

    buyer = open_as("buyer@walk.test")
    laser = open_as("laser@walk.test")
    optics = open_as("optics@walk.test")
    staff = open_as(world["staff"].email, admin=True)

    # 1. The listing shows its price range and the price for 5 sets.
    buyer.goto(base + world["marker"].get_absolute_url())
    price_range = _digits(buyer.get_by_test_id("price-range").inner_text())
    assert re.search(r"1100(\.00)?\s*[–-]\s*1200(\.00)?", price_range), price_range
    assert buyer.get_by_test_id("quantity").input_value() == "5"
    assert "1200.00" in _digits(buyer.get_by_test_id("tier-unit-price").inner_text())
    shot(buyer, "1-listing")

    # 2. Three sets are below the MOQ: refused with the nearest valid quantity; the buyer takes it.
    buyer.get_by_test_id("quantity").fill("3")
    buyer.get_by_test_id("nearest-option").first.wait_for()
    buyer.get_by_test_id("add-to-cart-button").click()
    buyer.get_by_test_id("refused").wait_for()
    assert buyer.get_by_test_id("nearest-option").all_inner_texts() in (["5 sets"], ["5 套"])
    buyer.get_by_test_id("nearest-option").click()
    buyer.get_by_test_id("quantity-ok").wait_for()
    buyer.get_by_test_id("add-to-cart-button").click()
    buyer.wait_for_url(re.compile(r"/cart/$"))

    # 3. A second supplier's item; the cart holds both.
    buyer.goto(base + world["lens"].get_absolute_url())
    buyer.get_by_test_id("quantity-ok").wait_for()
    buyer.get_by_test_id("add-to-cart-button").click()
    buyer.wait_for_url(re.compile(r"/cart/$"))
    assert buyer.get_by_test_id("cart-line-quantity").count() == 2
    shot(buyer, "2-cart")

    # 4. Checkout: CIF Rotterdam on a 30 % deposit with both suppliers, to the saved address.
    buyer.goto(base + "/checkout/")
    for supplier in (world["laser"], world["optics"]):
        section = buyer.locator(f'[data-testid="supplier-terms"][data-supplier="{supplier.pk}"]')
        section.get_by_test_id("incoterm").select_option("CIF")
        section.get_by_test_id("incoterm-place").fill("Rotterdam")
        section.get_by_test_id("supplier-payment-terms").select_option("deposit")
        section.get_by_test_id("supplier-deposit-percent").select_option("30")
    assert "Waalhaven" in buyer.get_by_test_id("shipping-address").input_value()
    shot(buyer, "3-checkout")
    buyer.get_by_test_id("place-order").click()
    buyer.wait_for_url(re.compile(r"/checkout/done/\d+/$"))
    first = Order.objects.get(supplier=world["laser"])
    second = Order.objects.get(supplier=world["optics"])
    for order in (first, second):
        assert order.shipping_address.endswith("Rotterdam") and order.ship_to_country == "NL"  # country once
        assert (order.incoterm, order.payment_terms, order.deposit_percent, order.status) == (
            "CIF", "deposit", 30, "placed",
        )  # fmt: skip

    # 5. Each supplier sets freight and insurance; the buyer accepts the new total and pays into
    #    payment protection, which staff record in the admin.
    for order, seller, freight in ((first, laser, "850.00"), (second, optics, "400.00")):
        seller.goto(f"{base}/orders/{order.number}/")
        form = seller.get_by_test_id("confirm-form")
        form.locator("input[name=freight]").fill(freight)
        form.locator("input[name=insurance]").fill("25.00")
        seller.get_by_test_id("action-confirm").click()
        _until(_status(order, "proposed"))

        buyer.goto(f"{base}/orders/{order.number}/")
        proposal = buyer.get_by_test_id("proposal")
        expected = order.subtotal + Decimal(freight) + Decimal("25.00")
        assert f"{expected:.2f}" in _digits(proposal.get_by_test_id("proposed-total").inner_text())
        if order == first:
            shot(buyer, "4-order-proposed")
        buyer.get_by_test_id("action-accept_terms").click()
        _until(_status(order, "confirmed"))
        buyer.goto(f"{base}/orders/{order.number}/")
        buyer.get_by_test_id("action-protection_open").click()
        buyer.get_by_test_id("protection-instructions").wait_for()

        order.refresh_from_db()
        staff.goto(f"{base}/admin/orders/protection/{order.protection.pk}/change/")
        staff.get_by_test_id("record-payment").click()
        staff.fill("#id_reference", f"HSBC-NL-{order.number}")
        staff.get_by_test_id("submit").click()
        staff.wait_for_url(re.compile(r"/change/$"))
        _until(_status(order, "paid"))
        order.refresh_from_db()
        assert order.total == expected and ledger_balances(order=order).held == expected

        # The supplier ships.
        seller.goto(f"{base}/orders/{order.number}/")
        seller.fill("#id_ship_carrier", "COSCO Shipping")
        seller.fill("#id_ship_tracking_number", f"COSU61234567{order.pk % 100:02d}")
        seller.get_by_test_id("action-ship").click()
        _until(_status(order, "shipped"))

    # 6. The buyer confirms the first delivery: the funds go to the laser maker.
    buyer.goto(f"{base}/orders/{first.number}/")
    assert buyer.get_by_test_id("tracking-link").get_attribute("href", timeout=5_000)
    buyer.get_by_test_id("action-confirm_delivery").click()
    _until(_status(first, "delivered"))
    buyer.goto(f"{base}/orders/{first.number}/")
    buyer.get_by_test_id("released").wait_for()
    first.refresh_from_db()
    assert f"{first.total:.2f}" in _digits(buyer.get_by_test_id("released").inner_text())
    shot(buyer, "5-order-released")

    # 7. The second order goes to a dispute: evidence, the supplier's answer, a partial refund.
    buyer.goto(f"{base}/orders/{second.number}/")
    buyer.get_by_test_id("dispute-open-form").locator("summary").click()
    buyer.select_option("#id_dispute_open_reason", "quality")
    buyer.fill("#id_dispute_open_description", "3 of 10 lenses arrived scratched; photos attached.")
    buyer.fill("#id_dispute_open_refund_requested", "900")
    buyer.set_input_files("#id_dispute_open_evidence", evidence_photo(tmp_path, "cracked-lens.png"))
    buyer.get_by_test_id("action-dispute_open").click()
    buyer.get_by_test_id("dispute").wait_for()

    optics.goto(f"{base}/orders/{second.number}/")
    optics.fill("#id_dispute_answer_answer", "Packed to spec; we accept 2 were scratched.")
    optics.get_by_test_id("action-dispute_answer").click()
    optics.get_by_test_id("dispute-answer").wait_for()

    staff.goto(f"{base}/admin/orders/dispute/{Dispute.objects.get(order=second).pk}/change/")
    staff.get_by_test_id("decide-dispute").click()
    staff.check("input[name=decision][value=partial_refund]")
    staff.fill("#id_refund_amount", "600")
    staff.fill("#id_reason", "Photos show 2 lenses scratched; the supplier accepts 2.")
    staff.get_by_test_id("submit").click()
    staff.wait_for_url(re.compile(r"/change/$"))

    buyer.goto(f"{base}/orders/{second.number}/")
    assert "600.00" in _digits(buyer.get_by_test_id("dispute-decision").inner_text())
    buyer.get_by_test_id("ledger").locator("summary").click()
    shot(buyer, "6-dispute-decided")

    # 8. Each order's ledger balances.
    for order in (first, second):
        assert_ledger_balances(order)
    balances = ledger_balances(order=second)
    second.refresh_from_db()
    assert (balances.refunded, balances.released, balances.held) == (
        Decimal("600.00"), second.total - Decimal("600.00"), 0,
    )  # fmt: skip
    assert ledger_balances(order=first).released == first.total
    for page in (buyer, laser, optics, staff):
        page.context.close()
