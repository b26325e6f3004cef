"""Acceptance: checkout with terms per supplier, in a real browser, at desktop and phone width.

A buyer with two suppliers' items in the cart picks one of the company's saved addresses (the page
fills its text and country in), sets CIF to Rotterdam on a 30 % deposit for one supplier (the page
says that supplier will quote freight and insurance) and FOB Ningbo prepaid for the other, places
the order and finds both orders with their terms on the done page. The page must not scroll
sideways at 390 px. Screenshots of the checkout and done pages go to var/screenshots/checkout-*.png.
"""

import re

import pytest

from buyers.services.addresses import address_save
from orders.models import Order
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.orders.factories import CartLineFactory, listing_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(belt, category):
    buyer = f.BuyerMemberFactory(
        company__name="Rotterdam Industrial Supply B.V.", user__email="buyer@checkout.test"
    ).user
    company = buyer.buyer_membership.company
    address_save(
        company=company,
        actor=buyer,
        data={"label": "Rotterdam warehouse", "recipient": "Goods in", "address": "Maasvlakte 2\n3199 LZ Rotterdam",
              "country": "NL", "phone": "+31 10 123 4567"},
    )  # fmt: skip
    antwerp = address_save(
        company=company,
        actor=buyer,
        data={"label": "Antwerp depot", "address": "Haven 1000\n2030 Antwerpen", "country": "BE"},
    )
    cif = f.SupplierFactory(belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", slug="guanggu")
    fob = f.SupplierFactory(belt=belt, name_en="Ningbo Sewing Machine Works", slug="ningbo-sewing")
    for supplier, title in ((cif, "Fibre laser cutter 3015"), (fob, "Industrial lockstitch machine")):
        CartLineFactory(user=buyer, listing=listing_with(supplier, category, title_en=title), quantity=10)
    return {"antwerp": antwerp, "cif": cif, "fob": fob}


def _section(page, supplier):
    return page.locator(f'[data-testid="supplier-terms"][data-supplier="{supplier.pk}"]')


@pytest.mark.parametrize("size", SIZES)
def test_checkout_with_a_saved_address_and_terms_per_supplier(live_server, browser, world, size):
    context = browser.new_context(viewport=SIZES[size], locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base, cif, fob = live_server.url, world["cif"], world["fob"]

    sign_in(page, base, "buyer@checkout.test")
    page.goto(base + "/checkout/")
    assert page.get_by_test_id("supplier-terms").count() == 2

    # 1. Ship to the Antwerp depot: its text and country fill in; the "save this address" box goes.
    assert page.get_by_test_id("ship-address").input_value() != str(world["antwerp"].pk)  # the default first
    page.get_by_test_id("ship-address").select_option(str(world["antwerp"].pk))
    assert page.get_by_test_id("shipping-address").input_value() == "Haven 1000\n2030 Antwerpen"
    assert page.get_by_test_id("ship-to-country").input_value() == "BE"
    assert not page.get_by_test_id("save-address").is_visible()

    # 2. Net terms are offered but closed to a company not approved for credit.
    assert page.locator("#pt-net30").is_disabled() and page.locator("#pt-prepaid").is_checked()

    # 3. CIF Rotterdam on a 30 % deposit for the laser maker: it will quote freight and insurance.
    first = _section(page, cif)
    assert not first.get_by_test_id("charges-note-insurance").is_visible()
    assert not first.get_by_test_id("supplier-deposit-percent").is_visible()
    first.get_by_test_id("incoterm").select_option("CIF")
    assert first.get_by_test_id("charges-note-insurance").is_visible()
    first.get_by_test_id("incoterm-place").fill("Rotterdam")
    first.get_by_test_id("supplier-payment-terms").select_option("deposit")
    first.get_by_test_id("supplier-deposit-percent").select_option("30")
    first.get_by_test_id("supplier-note").fill("Wooden crates, please")

    # 4. FOB Ningbo, prepaid, for the other.
    second = _section(page, fob)
    second.get_by_test_id("incoterm").select_option("FOB")
    second.get_by_test_id("incoterm-place").fill("Ningbo")
    second.get_by_test_id("supplier-payment-terms").select_option("prepaid")
    assert not second.get_by_test_id("charges-note-freight").is_visible()

    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"checkout-{size}.png"), full_page=True)

    # 5. Place the order: the done page lists both orders with their terms.
    page.get_by_test_id("place-order").click()
    page.wait_for_url(re.compile(r"/checkout/done/\d+/$"))
    cards = {
        supplier.pk: page.locator(f'[data-testid="purchase-order"][data-supplier="{supplier.pk}"]')
        for supplier in (cif, fob)
    }
    assert (
        cards[cif.pk].get_by_test_id("order-incoterm").inner_text() == "CIF — Cost, insurance and freight · Rotterdam"
    )
    assert cards[cif.pk].get_by_test_id("order-payment-terms").inner_text() == (
        "Deposit, balance before shipping · 30 % deposit"
    )
    assert "freight and the insurance" in cards[cif.pk].get_by_test_id("order-charges-next").inner_text()
    assert cards[fob.pk].get_by_test_id("order-incoterm").inner_text() == "FOB — Free on board · Ningbo"
    assert cards[fob.pk].get_by_test_id("order-payment-terms").inner_text() == "Prepaid: full payment before shipping"
    assert cards[fob.pk].get_by_test_id("order-charges-next").count() == 0
    assert "Antwerpen" in cards[fob.pk].get_by_test_id("order-ship-to").inner_text()
    assert page.get_by_test_id("what-happens-next").is_visible()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"checkout-done-{size}.png"), full_page=True)

    orders = {order.supplier_id: order for order in Order.objects.all()}
    assert (orders[cif.pk].incoterm, orders[cif.pk].payment_terms, orders[cif.pk].deposit_percent) == (
        "CIF",
        "deposit",
        30,
    )
    assert (orders[fob.pk].incoterm, orders[fob.pk].payment_terms, orders[fob.pk].ship_to_country) == (
        "FOB",
        "prepaid",
        "BE",
    )
    context.close()
