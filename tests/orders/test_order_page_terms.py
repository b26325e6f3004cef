"""The order page around the order's terms: the progress stepper of its payment terms, the terms
panel, the supplier's confirm form with the charges its Incoterm needs, the buyer's proposal box,
the deposit step, the payment panel and the tracking link.

Charlie must see nothing: another company's buyer, another supplier's member and a signed-up
outsider get 404 on the new steps too.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from orders.services.protection import protection_open, protection_payment_record
from orders.services.transitions import order_confirm
from tests import factories as f
from tests.conftest import client_for

from .factories import OrderLineFactory, listing_with, order_at, place

pytestmark = pytest.mark.django_db


def _page(client, order):
    response = client.get(reverse("orders:order_detail", args=[order.number]))
    assert response.status_code == 200
    return response


def _post(client, name, order, **data):
    return client.post(reverse(f"orders:order_{name}", args=[order.number]), {"expected_status": order.status, **data})


def _steps(response):
    return [(step.status, step.state) for step in response.context["progress"]]


def _cif_deposit(buyer, supplier, status="placed", **fields):
    return order_at(
        status, buyer=buyer, supplier=supplier, incoterm="CIF", incoterm_place="Rotterdam",
        payment_terms="deposit", deposit_percent=30, billing_address="Damrak 1\n1012 LG Amsterdam", **fields,
    )  # fmt: skip


# --- the stepper --------------------------------------------------------------------------------


def test_the_stepper_follows_the_payment_terms_and_highlights_the_current_step(buyer, supplier):
    """A CIF deposit order passes "proposed" and "deposit paid"; a FOB prepaid one neither; net
    terms put "paid" after delivery. The current step is marked for assistive technology too."""
    cif = _page(client_for(buyer), _cif_deposit(buyer, supplier))
    assert _steps(cif) == [
        ("placed", "current"), ("proposed", "upcoming"), ("confirmed", "upcoming"), ("deposit_paid", "upcoming"),
        ("paid", "upcoming"), ("shipped", "upcoming"), ("delivered", "upcoming"), ("completed", "upcoming"),
    ]  # fmt: skip
    html = cif.content.decode()
    assert re.search(r'data-status="placed" data-state="current" aria-current="step"', html)

    fob = _page(client_for(buyer), order_at("paid", buyer=buyer, supplier=supplier))
    assert _steps(fob) == [
        ("placed", "done"), ("confirmed", "done"), ("paid", "current"),
        ("shipped", "upcoming"), ("delivered", "upcoming"), ("completed", "upcoming"),
    ]  # fmt: skip

    net = _page(client_for(buyer), order_at("shipped", buyer=buyer, supplier=supplier, payment_terms="net30"))
    assert [status for status, _state in _steps(net)] == [
        "placed",
        "confirmed",
        "shipped",
        "delivered",
        "paid",
        "completed",
    ]


def test_a_proposal_confirmed_without_change_shows_the_proposed_step_as_skipped(buyer, supplier, supplier_member):
    order = _cif_deposit(buyer, supplier)
    order_confirm(order=order, actor=supplier_member, freight="0", insurance="0")
    steps = dict(_steps(_page(client_for(buyer), order)))
    assert (steps["placed"], steps["proposed"], steps["confirmed"]) == ("done", "skipped", "current")


def test_a_cancelled_proposal_skipped_is_not_shown_as_done(buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier, incoterm="CFR", payment_terms="deposit")
    order_confirm(order=order, actor=supplier_member, freight="0")
    assert _post(client_for(supplier_member), "cancel", Order.objects.get(pk=order.pk), reason="No stock").status_code
    steps = _steps(_page(client_for(buyer), order))
    assert steps[:4] == [("placed", "done"), ("proposed", "skipped"), ("confirmed", "done"), ("cancelled", "cancelled")]


def test_a_cancelled_order_shows_where_it_stopped_and_strikes_the_rest(buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    order_confirm(order=order, actor=supplier_member)
    client = client_for(buyer)
    assert _post(client, "cancel", Order.objects.get(pk=order.pk), reason="Found another supplier").status_code == 302
    response = _page(client, order)
    assert _steps(response) == [
        ("placed", "done"), ("confirmed", "done"), ("cancelled", "cancelled"),
        ("paid", "upcoming"), ("shipped", "upcoming"), ("delivered", "upcoming"), ("completed", "upcoming"),
    ]  # fmt: skip
    html = response.content.decode()
    assert 'data-testid="cancelled"' in html and "Found another supplier" in html
    assert "text-bg-danger" in html  # the status badge says it in red


# --- the terms panel ----------------------------------------------------------------------------


def test_the_terms_panel_shows_incoterm_payment_terms_deposit_charges_and_both_addresses(buyer, supplier):
    order = _cif_deposit(buyer, supplier)
    html = _page(client_for(buyer), order).content.decode()
    terms = html[html.index('data-testid="order-terms"') :]
    assert "CIF — Cost, insurance and freight" in terms and "Rotterdam" in terms
    assert "Deposit, balance before shipping" in terms
    assert "Deposit 30 %: CNY 300.00" in terms
    assert terms.count("set by the supplier") == 2  # freight and insurance, not set yet
    assert 'data-testid="order-total">CNY 1,000.00' in terms
    billing = terms[terms.index('data-testid="billing-address"') :]
    assert "Damrak 1" in billing[: billing.index("</address>")]
    shipping = terms[terms.index('data-testid="shipping-address"') :]
    assert "Keizersgracht 1" in shipping[: shipping.index("</address>")] and "Netherlands" in shipping


def test_the_terms_panel_shows_set_charges_and_a_net_terms_due_date(buyer, supplier):
    cif = _cif_deposit(
        buyer, supplier, "confirmed", freight=Decimal("200.00"), insurance=Decimal("12.50"), total=Decimal("1212.50")
    )
    html = _page(client_for(buyer), cif).content.decode()
    assert re.search(r'data-testid="freight">.*CNY 200.00', html)
    assert re.search(r'data-testid="insurance">.*CNY 12.50', html)
    assert 'data-testid="order-total">CNY 1,212.50' in html
    net = order_at("shipped", buyer=buyer, supplier=supplier, payment_terms="net60")
    html = _page(client_for(buyer), net).content.decode()
    assert f'data-testid="payment-due">{timezone.localtime(net.payment_due_at):%Y-%m-%d}' in html
    fob = order_at("placed", buyer=buyer, supplier=supplier)
    html = _page(client_for(buyer), fob).content.decode()
    assert 'data-testid="freight"' not in html and 'data-testid="insurance"' not in html


# --- the supplier's confirm form -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incoterm", "fields"), [("CIF", {"freight", "insurance"}), ("CFR", {"freight"}), ("FOB", set())]
)
def test_the_confirm_form_asks_for_the_charges_the_incoterm_needs(incoterm, fields, buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier, incoterm=incoterm)
    response = _page(client_for(supplier_member), order)
    form = response.context["confirm_form"]
    assert set(form.fields) == fields | {"lead_time_days"}
    assert all(form.fields[name].required for name in fields)
    html = response.content.decode()
    assert 'data-testid="confirm-form"' in html and "sent to the buyer, who accepts them" in html
    assert ('name="freight"' in html) == ("freight" in fields)
    assert ('name="insurance"' in html) == ("insurance" in fields)


def test_confirming_cif_without_insurance_keeps_what_was_typed(buyer, supplier, supplier_member):
    order = _cif_deposit(buyer, supplier)
    client = client_for(supplier_member)
    response = _post(client, "confirm", order, freight="1,250.50", insurance="", lead_time_days="25")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the insurance (0 if it is in the prices)." in html
    assert 'value="1,250.50"' in html and 'value="25"' in html
    assert Order.objects.get(pk=order.pk).status == "placed"


@pytest.mark.parametrize("freight", ["-5", "１２", "twelve", "12.505"])
def test_a_freight_that_is_not_an_amount_is_refused_beside_its_field(freight, buyer, supplier, supplier_member):
    order = _cif_deposit(buyer, supplier)
    response = _post(client_for(supplier_member), "confirm", order, freight=freight, insurance="0")
    assert response.status_code == 400
    assert response.context["confirm_form"].errors["freight"]
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_charges_that_change_the_total_go_to_the_buyer_and_the_supplier_is_told_so(buyer, supplier, supplier_member):
    order = _cif_deposit(buyer, supplier)
    client = client_for(supplier_member)
    response = _post(client, "confirm", order, freight="1,250.50", insurance="12.5", lead_time_days="25")
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.freight, order.insurance, order.total, order.lead_time_days) == (
        "proposed", Decimal("1250.50"), Decimal("12.50"), Decimal("2263.00"), 25,
    )  # fmt: skip
    html = client.get(response["Location"]).content.decode()
    assert "Your terms were sent to the buyer" in html
    assert "Waiting for the buyer to accept your proposed terms." in html
    assert "Revise your proposal" in html and 'value="1250.50"' in html  # the revision starts from the proposal
    assert 'data-testid="action-accept_terms"' not in html


def test_an_unchanged_fob_order_is_confirmed_at_once(buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    client = client_for(supplier_member)
    response = _post(client, "confirm", order, lead_time_days="")
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert "Order confirmed." in client.get(response["Location"]).content.decode()


# --- the buyer's proposal box ---------------------------------------------------------------------


@pytest.fixture
def proposed(buyer, supplier, supplier_member, category):
    """A CIF deposit order placed through the service (lead time 20 days as placed) and proposed
    with freight 200, insurance 12.50 and 30 days."""
    listing = listing_with(supplier, category, lead_time_days=20)
    purchase, _created = place(
        buyer, [(listing, None, 10)], incoterm="CIF", incoterm_place="Rotterdam", payment_terms="deposit",
        deposit_percent=30,
    )  # fmt: skip
    order = purchase.orders.get()
    return order_confirm(order=order, actor=supplier_member, freight="200", insurance="12.50", lead_time_days=30)


def test_the_buyer_sees_what_changed_and_accepts_the_new_total(proposed, buyer):
    client = client_for(buyer)
    response = _page(client, proposed)
    html = response.content.decode()
    box = html[html.index('data-testid="proposal"') : html.index("</section>", html.index('data-testid="proposal"'))]
    assert "The supplier proposes new terms" in box
    assert 'data-testid="placed-total">CNY 1,000.00' in box and 'data-testid="proposed-total">CNY 1,212.50' in box
    assert "CNY 200.00" in box and "CNY 12.50" in box
    assert "20 days" in box and "30 days" in box
    assert "The deposit (30 %) becomes CNY 363.75." in box
    assert 'name="expected_total" value="1212.50"' in box
    assert 'data-testid="action-cancel"' in box  # decline and cancel, in the box
    assert html.count('data-testid="action-cancel"') == 1

    response = _post(client, "accept_terms", proposed, expected_total="1212.50")
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.status, proposed.total) == ("confirmed", Decimal("1212.50"))
    assert "You accepted the new terms" in client.get(response["Location"]).content.decode()


def test_a_stale_total_is_refused_and_the_page_shows_the_current_proposal(proposed, buyer, supplier_member):
    client = client_for(buyer)
    seen = _page(client, proposed).context["order"].total
    order_confirm(order=proposed, actor=supplier_member, freight="300", insurance="12.50", lead_time_days=30)
    response = _post(client, "accept_terms", proposed, expected_total=str(seen))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The supplier changed the proposed terms meanwhile: the total is now 1312.50 CNY." in html
    assert 'data-testid="proposed-total">CNY 1,312.50' in html
    assert 'name="expected_total" value="1312.50"' in html
    assert Order.objects.get(pk=proposed.pk).status == "proposed"


def test_the_buyer_may_decline_the_proposal_by_cancelling(proposed, buyer):
    response = _post(client_for(buyer), "cancel", proposed, reason="Freight too high")
    assert response.status_code == 302
    assert Order.objects.get(pk=proposed.pk).status == "cancelled"


def test_only_the_buyer_accepts_terms_and_only_the_supplier_records_the_deposit(proposed, buyer, supplier_member):
    supplier_client = client_for(supplier_member)
    response = _post(supplier_client, "accept_terms", proposed, expected_total="1212.50")
    assert response.status_code == 302
    assert "Only the buyer can accept the proposed terms." in supplier_client.get(response["Location"]).content.decode()
    assert Order.objects.get(pk=proposed.pk).status == "proposed"

    confirmed = order_at("confirmed", buyer=buyer, supplier=proposed.supplier, payment_terms="deposit")
    client = client_for(buyer)
    response = _post(client, "mark_deposit_paid", confirmed)
    assert response.status_code == 302
    assert "Only the supplier can record the deposit" in client.get(response["Location"]).content.decode()
    assert Order.objects.get(pk=confirmed.pk).status == "confirmed"


def test_strangers_get_404_on_the_new_steps(proposed, buyer, other_member, outsider):
    deposit = order_at("confirmed", buyer=buyer, supplier=proposed.supplier, payment_terms="deposit")
    for person in (f.BuyerMemberFactory().user, other_member, outsider):
        client = client_for(person)
        assert _post(client, "accept_terms", proposed, expected_total="1212.50").status_code == 404
        assert _post(client, "mark_deposit_paid", deposit).status_code == 404
    assert Order.objects.get(pk=proposed.pk).status == "proposed"
    assert Order.objects.get(pk=deposit.pk).status == "confirmed"


# --- the deposit and the payment panel --------------------------------------------------------------


def test_the_supplier_records_the_deposit_then_the_balance(buyer, supplier, supplier_member):
    order = _cif_deposit(
        buyer, supplier, "confirmed", freight=Decimal("200.00"), insurance=Decimal("0.00"), total=Decimal("1200.00")
    )
    buyer_html = _page(client_for(buyer), order).content.decode()
    assert 'data-testid="payment-now">' in buyer_html
    assert "Pay the deposit now:" in buyer_html and 'data-testid="payment-amount">CNY 360.00' in buyer_html
    assert "Waiting for the supplier to record your deposit." in buyer_html
    assert 'data-testid="payment-direct"' in buyer_html  # not protected: paid to the supplier
    client = client_for(supplier_member)
    html = _page(client, order).content.decode()
    assert 'data-testid="action-mark_deposit_paid"' in html and "Deposit received (CNY 360.00)" in html
    response = _post(client, "mark_deposit_paid", order)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "deposit_paid" and order.deposit_paid_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Deposit recorded." in html and "Balance received" in html
    buyer_html = _page(client_for(buyer), order).content.decode()
    assert "Pay the balance now:" in buyer_html and 'data-testid="payment-amount">CNY 840.00' in buyer_html
    assert _post(client, "mark_paid", order).status_code == 302
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_a_protected_deposit_order_shows_the_platforms_account_with_the_order_number(
    buyer, supplier, supplier_member, staff, settings
):
    settings.PAYMENT_PROTECTION_ACCOUNT = {
        "bank_name": "Bank of Example", "account_name": "Belt Marketplace Ltd.",
        "account_number": "0123456789", "swift": "EXAMCNSHXXX",
    }  # fmt: skip
    order = _cif_deposit(buyer, supplier)
    protection_open(order=order, actor=buyer)
    order = order_confirm(order=order, actor=supplier_member, freight="0", insurance="0")
    html = _page(client_for(buyer), order).content.decode()
    account = html[html.index('data-testid="protection-account"') :]
    for text in ("Bank of Example", "Belt Marketplace Ltd.", "0123456789", "EXAMCNSHXXX"):
        assert text in account
    assert f'data-testid="payment-reference">{order.number}' in account
    assert 'data-testid="payment-amount">CNY 300.00' in html  # the deposit first
    assert "Waiting for the platform to record your deposit." in html
    supplier_html = _page(client_for(supplier_member), order).content.decode()
    assert 'data-testid="protection-account"' not in supplier_html  # the buyer's instructions
    assert 'data-testid="action-mark_deposit_paid"' not in supplier_html  # the platform records it

    protection_payment_record(order=order, actor=staff, amount="300")
    html = _page(client_for(buyer), Order.objects.get(pk=order.pk)).content.decode()
    assert "Pay the balance now:" in html and 'data-testid="payment-amount">CNY 700.00' in html


def test_the_demo_account_is_the_default_and_says_it_is_fictional(buyer, supplier, supplier_member):
    order = order_at("placed", buyer=buyer, supplier=supplier)
    protection_open(order=order, actor=buyer)
    html = _page(client_for(buyer), order).content.decode()
    assert "Example Demo Bank (fictional, do not pay)" in html


def test_net_and_lc_orders_say_when_and_how_they_are_paid_and_offer_no_protection(buyer, supplier):
    net = order_at("shipped", buyer=buyer, supplier=supplier, payment_terms="net30")
    html = _page(client_for(buyer), net).content.decode()
    assert f"is due on {timezone.localtime(net.payment_due_at):%Y-%m-%d}" in html
    confirmed_net = order_at("confirmed", buyer=buyer, supplier=supplier, payment_terms="net30")
    assert "CNY 1,000.00 is due 30 days after shipping." in _page(client_for(buyer), confirmed_net).content.decode()
    lc = order_at("confirmed", buyer=buyer, supplier=supplier, payment_terms="lc")
    html = _page(client_for(buyer), lc).content.decode()
    assert 'data-testid="payment-lc"' in html and "letter of credit" in html
    assert 'data-testid="action-protection_open"' not in html  # protection holds payments before shipping only
    prepaid = order_at("placed", buyer=buyer, supplier=supplier)
    assert 'data-testid="action-protection_open"' in _page(client_for(buyer), prepaid).content.decode()


# --- shipping: the carrier list and the tracking link -----------------------------------------------


def test_the_ship_form_suggests_carriers_and_the_page_links_a_known_carriers_tracking(buyer, supplier, supplier_member):
    order = order_at("paid", buyer=buyer, supplier=supplier)
    client = client_for(supplier_member)
    html = _page(client, order).content.decode()
    assert 'list="carrier-options"' in html and '<datalist id="carrier-options"' in html
    for name in ("COSCO Shipping", "Maersk", "Hapag-Lloyd", "SF Express", "EMS / China Post"):
        assert f'<option value="{name}">' in html
    assert _post(client, "ship", order, carrier="Maersk", tracking_number="MAEU 240 1234").status_code == 302
    html = _page(client_for(buyer), order).content.decode()
    assert 'href="https://www.maersk.com/tracking/MAEU%20240%201234"' in html
    assert 'data-testid="tracking-link"' in html


def test_an_unknown_carrier_shows_the_number_without_a_link(buyer, supplier):
    order = order_at("shipped", buyer=buyer, supplier=supplier, carrier="Acme Freight", tracking_number="AF-1")
    html = _page(client_for(buyer), order).content.decode()
    assert "AF-1" in html and 'data-testid="tracking-link"' not in html


# --- cost ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 8])
def test_a_proposed_protected_order_page_costs_a_fixed_number_of_queries(n, proposed, buyer, django_assert_num_queries):
    protection_open(order=proposed, actor=buyer)
    for position in range(1, n):
        OrderLineFactory(order=proposed, position=position, unit_price=Decimal("0.00"))
    client = client_for(buyer)
    # session, user, order (+ parties, rating, protection, viewer's side), lines, events with
    # actors, ledger lines, disputes
    with django_assert_num_queries(8):
        assert client.get(reverse("orders:order_detail", args=[proposed.number])).status_code == 200


def test_proposed_and_deposit_paid_orders_are_in_the_suppliers_open_tab(buyer, supplier, supplier_member):
    """Orders waiting for the buyer's acceptance or for the balance are still in progress."""
    proposed = order_at("proposed", buyer=buyer, supplier=supplier)
    deposit = order_at("deposit_paid", buyer=buyer, supplier=supplier, payment_terms="deposit")
    response = client_for(supplier_member).get(reverse("orders:supplier_order_list"))
    assert {t["key"]: t["count"] for t in response.context["tabs"]}["open"] == 2
    html = response.content.decode()
    assert proposed.number in html and deposit.number in html
