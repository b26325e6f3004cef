"""The purchase order PDF: for both parties of a confirmed (or later) order, in the order's language."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from orders.pdf import purchase_order_pdf
from orders.selectors.orders import order_get_for_user
from tests import factories as f
from tests.conftest import client_for
from tests.orders.factories import OrderLineFactory, order_at
from tests.suppliers import factories as world


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("status", ["confirmed", "paid", "shipped", "delivered", "completed"])
def test_both_parties_download_the_purchase_order_once_confirmed(status, buyer, supplier, supplier_member):
    order = order_at(status, buyer=buyer, supplier=supplier)
    for person in (buyer, supplier_member):
        response = client_for(person).get(reverse("orders:order_pdf", args=[order.number]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{order.number}.pdf"' in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("status", ["placed", "cancelled"])
def test_no_purchase_order_before_confirmation_or_after_cancelling(status, buyer, supplier):
    order = order_at(status, buyer=buyer, supplier=supplier)
    response = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number]))
    assert response.status_code == 409


def test_strangers_get_404_for_the_purchase_order(buyer, supplier, other_member, outsider):
    order = order_at("confirmed", buyer=buyer, supplier=supplier)
    for person in (f.BuyerMemberFactory().user, other_member, outsider):
        assert client_for(person).get(reverse("orders:order_pdf", args=[order.number])).status_code == 404


def test_the_english_purchase_order_holds_number_parties_lines_totals_and_terms(buyer, supplier):
    order = order_at(
        "confirmed",
        buyer=buyer,
        supplier=supplier,
        lines=[],
        incoterm="FOB",
        incoterm_place="Shanghai",
        subtotal=Decimal("1250.00"),
        sample_credit=Decimal("50.00"),
        total=Decimal("1200.00"),
    )
    OrderLineFactory(order=order, title="Fiber laser source 3 kW", sku="FL-3000", quantity=5, unit_price=Decimal("250"))
    content = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number])).content
    text = _text(content)
    for expected in (
        "Purchase order",
        order.number,
        buyer.buyer_membership.company.name,
        "Wuhan Guanggu Photonics Co., Ltd.",
        "Fiber laser source 3 kW",
        "FL-3000",
        "1,250.00",
        "50.00",
        "1,200.00",
        "CNY",
        "FOB",
        "Shanghai",
        "Keizersgracht 1",
    ):
        assert expected in text, expected


def test_a_chinese_order_has_a_chinese_purchase_order_in_the_built_in_song_font(buyer, supplier):
    order = order_at("confirmed", buyer=buyer, supplier=supplier, language="zh-hans", lines=[])
    OrderLineFactory(order=order, title="光纤激光切割机 3015", quantity=2, unit_price=Decimal("98000"))
    order = order_get_for_user(number=order.number, user=buyer)
    content = purchase_order_pdf(order)
    assert content.startswith(b"%PDF")
    assert b"STSong-Light" in content  # the CID font, not a shipped font file
    text = _text(content)
    assert order.number in text
    assert "武汉光谷光电科技有限公司" in text  # the supplier's name in the buyer's language
    assert "光纤激光切割机" in text
    assert "供应商" in text and "单价" in text  # labels in Chinese ("Supplier", "Unit price")


def test_chinese_words_in_an_english_order_still_get_glyphs(buyer, supplier):
    order = order_at("confirmed", buyer=buyer, supplier=supplier, lines=[], shipping_address="上海市浦东新区 1 号")
    OrderLineFactory(order=order, title="Goji berries 枸杞", quantity=2)
    content = purchase_order_pdf(order_get_for_user(number=order.number, user=buyer))
    assert b"STSong-Light" in content
    assert "枸杞" in _text(content)


def _rectangles(content: bytes) -> int:
    """How many filled rectangles the first page draws (a QR code is drawn as one per run of dark modules)."""
    page = PdfReader(io.BytesIO(content)).pages[0]
    return page.get_contents().get_data().count(b" re")


def test_the_purchase_order_carries_the_qr_code_of_the_suppliers_current_certificate(buyer, belt, staff):
    certified = world.certified_supplier(belt, staff)
    certification = certified.current_certification
    f.SupplierMemberFactory(supplier=certified)
    order = order_at("confirmed", buyer=buyer, supplier=certified)

    content = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number])).content

    text = _text(content)
    assert "Supplier's certificate" in text
    assert certification.code_display in text
    assert f"http://testserver/verify/{certification.code}/" in text.replace("\n", "")
    plain = order_at("confirmed", buyer=buyer, supplier=f.SupplierFactory(belt=belt))
    without = client_for(buyer).get(reverse("orders:order_pdf", args=[plain.number])).content
    assert _rectangles(content) - _rectangles(without) > 100  # the QR code's modules


def test_no_qr_code_when_the_supplier_holds_no_current_certificate(buyer, supplier):
    order = order_at("confirmed", buyer=buyer, supplier=supplier)
    text = _text(client_for(buyer).get(reverse("orders:order_pdf", args=[order.number])).content)
    assert "Supplier's certificate" not in text


def test_the_certificate_costs_the_purchase_order_no_query(buyer, belt, staff):
    """The supplier's current certification comes with the order (one join), with or without one."""
    orders = [
        order_at("confirmed", buyer=buyer, supplier=world.certified_supplier(belt, staff)),
        order_at("confirmed", buyer=buyer, supplier=f.SupplierFactory(belt=belt)),
    ]
    client = client_for(buyer)
    counts = []
    for order in orders:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("orders:order_pdf", args=[order.number])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- terms, addresses and payment instructions -----------------------------------------------------


def _placed_text(content: bytes) -> dict[str, tuple[float, float]]:
    """Each line of text on the first page with where it starts (x, y), in points."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), (round(cm[4] + tm[4]), round(cm[5] + tm[5])))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return found


def _cif_deposit(buyer, supplier, status="confirmed", **fields):
    return order_at(
        status, buyer=buyer, supplier=supplier, incoterm="CIF", incoterm_place="Rotterdam", payment_terms="deposit",
        deposit_percent=30, billing_address="Damrak 1\n1012 LG Amsterdam", freight=Decimal("200.00"),
        insurance=Decimal("12.50"), total=Decimal("1212.50"), **fields,
    )  # fmt: skip


def _pdf(order, user) -> bytes:
    return purchase_order_pdf(order_get_for_user(number=order.number, user=user))


def test_bill_to_ship_to_and_the_suppliers_address_each_stand_under_their_own_heading(buyer, supplier):
    """Three columns: the supplier with its registered address, the buyer's billing address under
    "Bill to", the shipping address under "Ship to" — never swapped, never merged."""
    supplier.registered_address = "No. 1 Guanggu Avenue, East Lake High-tech Zone, Wuhan"
    supplier.save()
    placed = _placed_text(_pdf(_cif_deposit(buyer, supplier), buyer))
    supplier_x, bill_x, ship_x = placed["Supplier"][0], placed["Bill to"][0], placed["Ship to"][0]
    assert supplier_x < bill_x < ship_x
    assert placed["Damrak 1"][0] == placed["1012 LG Amsterdam"][0] == bill_x
    assert placed["Keizersgracht 1"][0] == placed["Netherlands"][0] == ship_x
    assert placed["Wuhan Guanggu Photonics Co., Ltd."][0] == supplier_x
    assert any(text.startswith("No. 1 Guanggu Avenue") and x == supplier_x for text, (x, _y) in placed.items())
    assert placed["China"][0] == supplier_x
    assert all(placed[text][1] < placed["Bill to"][1] for text in ("Damrak 1", "Keizersgracht 1"))


def test_a_supplier_without_a_registered_address_shows_its_city_and_province(buyer, supplier):
    text = _text(_pdf(order_at("confirmed", buyer=buyer, supplier=supplier), buyer))
    assert "Wuhan, Hubei" in text and "China" in text


def test_the_purchase_order_states_the_terms_the_charges_and_the_total(buyer, supplier):
    text = _text(_pdf(_cif_deposit(buyer, supplier), buyer))
    for expected in (
        "CIF — Cost, insurance and freight Rotterdam",
        "Deposit, balance before shipping",
        "Deposit 30 %: CNY 363.75; balance CNY 848.75",
        "Freight",
        "200.00",
        "Insurance",
        "12.50",
        "Total (CNY)",
        "1,212.50",
        "Payment instructions",
        "the deposit once the order is confirmed, the balance before",
    ):
        assert expected in text, expected
    fob = _text(_pdf(order_at("confirmed", buyer=buyer, supplier=supplier), buyer))
    assert "Freight" not in fob and "Insurance" not in fob
    assert "in full before the goods ship" in fob


def test_net_terms_show_when_payment_falls_due(buyer, supplier):
    confirmed = order_at("confirmed", buyer=buyer, supplier=supplier, payment_terms="net60")
    assert "Due 60 days after shipping" in _text(_pdf(confirmed, buyer))
    shipped = order_at("shipped", buyer=buyer, supplier=supplier, payment_terms="net30")
    text = _text(_pdf(shipped, buyer))
    assert f"Due {shipped.payment_due_at:%Y-%m-%d}" in text and "within 30 days after shipping" in text
    lc = order_at("confirmed", buyer=buyer, supplier=supplier, payment_terms="lc")
    assert "letter of credit" in _text(_pdf(lc, buyer))


def test_a_protected_order_says_to_pay_into_the_protection_account_quoting_the_order_number(
    buyer, supplier, supplier_member, settings
):
    from orders.services.protection import protection_open
    from orders.services.transitions import order_confirm

    settings.PAYMENT_PROTECTION_ACCOUNT = {
        "bank_name": "Bank of Example", "account_name": "Belt Marketplace Ltd.",
        "account_number": "0123456789", "swift": "EXAMCNSHXXX",
    }  # fmt: skip
    order = order_at("placed", buyer=buyer, supplier=supplier, payment_terms="deposit", deposit_percent=30)
    protection_open(order=order, actor=buyer)
    order_confirm(order=order, actor=supplier_member)
    placed = _placed_text(_pdf(order, buyer))
    for value in ("Bank of Example", "Belt Marketplace Ltd.", "0123456789", "EXAMCNSHXXX"):
        assert value in placed, value
    lines = _text(_pdf(order, buyer)).splitlines()
    reference = lines.index("Reference")
    assert lines[reference + 1] == order.number  # the reference to quote is the order number
    assert "payment protection account" in " ".join(lines)


def test_a_deposit_paid_order_has_its_purchase_order(buyer, supplier):
    order = _cif_deposit(buyer, supplier, "deposit_paid")
    response = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
