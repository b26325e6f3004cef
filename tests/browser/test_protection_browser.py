"""Acceptance: payment protection and a dispute in a real browser.

Order 1: the buyer chooses payment protection on the order page, the supplier confirms, staff
record the buyer's payment in the admin, the supplier ships, the buyer confirms the delivery and
the funds are released to the supplier. Order 2 (paid into protection and shipped beforehand):
the buyer opens a dispute with a photo, the supplier answers, staff decide a partial refund in the
admin with reasons, and both sides see the decision and the ledger. Screenshots go to
var/screenshots/protection-*.png.
"""

import re
from decimal import Decimal

import pytest

from orders.models import Dispute, Order
from orders.services.protection import ledger_balances
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, evidence_photo, sign_in, staff_sign_in
from tests.orders.factories import order_at
from tests.orders.protection_helpers import protected

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(staff):
    buyer = f.BuyerMemberFactory(company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@pp.test").user
    supplier = f.SupplierFactory(name_en="Wuhan Guanggu Photonics Co., Ltd.", slug="pp-supplier")
    member = f.SupplierMemberFactory(supplier=supplier, user__email="supplier@pp.test").user
    return {"buyer": buyer, "supplier": supplier, "supplier_member": member, "staff": staff}


def context_for(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_protected_payment_release_and_a_dispute_with_partial_refund(
    live_server, page, browser, screenshot, world, tmp_path
):
    base = live_server.url
    order = order_at("placed", buyer=world["buyer"], supplier=world["supplier"], subtotal=Decimal("12000.00"))
    supplier_context, supplier_page = context_for(browser)
    staff_context, staff_page = context_for(browser)
    sign_in(supplier_page, base, "supplier@pp.test")
    staff_sign_in(staff_page, base, world["staff"].email)

    # 1. The buyer chooses payment protection.
    sign_in(page, base, "buyer@pp.test")
    page.goto(f"{base}/orders/{order.number}/")
    page.get_by_test_id("action-protection_open").click()
    page.get_by_test_id("protection-instructions").wait_for()
    assert "Awaiting payment" in page.get_by_test_id("protection-status").inner_text()

    # 2. The supplier confirms; no "payment received" button on a protected order.
    supplier_page.goto(f"{base}/orders/{order.number}/")
    supplier_page.get_by_test_id("action-confirm").click()
    supplier_page.get_by_test_id("protection").wait_for()
    assert supplier_page.get_by_test_id("action-mark_paid").count() == 0

    # 3. Staff record the buyer's payment in the admin.
    order.refresh_from_db()
    staff_page.goto(f"{base}/admin/orders/protection/{order.protection.pk}/change/")
    staff_page.get_by_test_id("record-payment").click()
    staff_page.fill("#id_reference", "HSBC-NL-2026-0042")
    staff_page.screenshot(path=str(SCREENSHOTS / "protection-02-admin-payment.png"), full_page=True)
    staff_page.get_by_test_id("submit").click()
    staff_page.wait_for_url(re.compile(r"/change/$"))
    assert Order.objects.get(pk=order.pk).status == "paid"

    # 4. The supplier ships.
    supplier_page.reload()
    supplier_page.fill("#id_ship_carrier", "COSCO Shipping")
    supplier_page.fill("#id_ship_tracking_number", "COSU6123456780")
    supplier_page.get_by_test_id("action-ship").click()
    supplier_page.get_by_test_id("tracking").wait_for()

    # 5. The buyer confirms the delivery: the funds go to the supplier.
    page.reload()
    assert "Funds held" in page.get_by_test_id("protection-status").inner_text()
    screenshot("protection-01-buyer-funds-held")
    page.get_by_test_id("action-confirm_delivery").click()
    page.get_by_test_id("protection-status").wait_for()
    assert "Released to the supplier" in page.get_by_test_id("protection-status").inner_text()
    assert "12,000.00" in page.get_by_test_id("released").inner_text()
    screenshot("protection-03-released")
    assert ledger_balances(order=order).released == Decimal("12000.00")

    # 6. Another order, paid into protection and shipped: the buyer opens a dispute with a photo.
    other = protected(**world, stage="shipped", total="5000.00")
    page.goto(f"{base}/orders/{other.number}/")
    page.get_by_test_id("dispute-open-form").locator("summary").click()
    page.select_option("#id_dispute_open_reason", "quality")
    page.fill("#id_dispute_open_description", "4 of 10 housings arrived cracked; photos attached.")
    page.fill("#id_dispute_open_refund_requested", "2000")
    page.set_input_files("#id_dispute_open_evidence", evidence_photo(tmp_path))
    page.get_by_test_id("action-dispute_open").click()
    page.get_by_test_id("dispute").wait_for()
    screenshot("protection-04-dispute-opened")

    # 7. The supplier answers.
    supplier_page.goto(f"{base}/orders/{other.number}/")
    assert "cracked-housing.png" in supplier_page.get_by_test_id("evidence").inner_text()
    supplier_page.fill("#id_dispute_answer_answer", "Packed to spec; we accept 2 were damaged in our warehouse.")
    supplier_page.get_by_test_id("action-dispute_answer").click()
    supplier_page.get_by_test_id("dispute-answer").wait_for()
    supplier_context.close()

    # 8. Staff decide a partial refund with reasons.
    dispute = Dispute.objects.get(order=other)
    staff_page.goto(f"{base}/admin/orders/dispute/{dispute.pk}/change/")
    staff_page.get_by_test_id("decide-dispute").click()
    staff_page.check("input[name=decision][value=partial_refund]")
    staff_page.fill("#id_refund_amount", "1000")
    staff_page.fill("#id_reason", "Photos show 2 housings cracked in the crate; the supplier accepts 2.")
    staff_page.screenshot(path=str(SCREENSHOTS / "protection-05-admin-decision.png"), full_page=True)
    staff_page.get_by_test_id("submit").click()
    staff_page.wait_for_url(re.compile(r"/change/$"))
    staff_context.close()

    # 9. The buyer sees the decision and the ledger.
    page.reload()
    decision = page.get_by_test_id("dispute-decision").inner_text()
    assert "Refund part to the buyer" in decision and "1,000.00" in decision
    assert "Partly refunded" in page.get_by_test_id("protection-status").inner_text()
    page.get_by_test_id("ledger").locator("summary").click()
    screenshot("protection-06-partial-refund")
    balances = ledger_balances(order=other)
    assert (balances.refunded, balances.released, balances.held) == (Decimal("1000.00"), Decimal("4000.00"), 0)
