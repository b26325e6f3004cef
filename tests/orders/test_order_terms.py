"""Checkout terms in the services: payment terms per supplier order, net terms for approved
companies only, freight and insurance set by the supplier and accepted by the buyer before they
bind, the deposit step, and payment protection following the accepted total and the deposit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.exceptions import ConflictError
from orders.models import OrderEvent, ProtectionEvent
from orders.services.protection import ledger_balances, protection_open, protection_payment_record
from orders.services.transitions import (
    OrderStateConflict,
    order_accept_terms,
    order_confirm,
    order_mark_deposit_paid,
    order_ship,
)
from tests import factories as f

from .factories import listing_with, place, supplier_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_suppliers():
    category = f.CategoryFactory()
    first, first_user = supplier_with_member()
    second, second_user = supplier_with_member()
    return (
        (listing_with(first, category), first_user),
        (listing_with(second, category), second_user),
    )


@pytest.fixture
def buyer_user():
    return f.BuyerMemberFactory().user


def test_each_supplier_s_order_gets_its_own_incoterm_payment_terms_and_note(buyer_user, two_suppliers):
    (first, _u1), (second, _u2) = two_suppliers
    purchase, _created = place(
        buyer_user,
        [(first, None, 10), (second, None, 10)],
        billing_address="Damrak 1, Amsterdam",
        supplier_terms={
            first.supplier_id: {"incoterm": "CIF", "incoterm_place": "Rotterdam", "payment_terms": "deposit",
                                "deposit_percent": 30, "note": "Pack on pallets"},
            second.supplier_id: {"payment_terms": "lc", "note": "Labels in Dutch"},
        },
    )  # fmt: skip
    orders = {o.supplier_id: o for o in purchase.orders.all()}
    cif, lc = orders[first.supplier_id], orders[second.supplier_id]
    assert (cif.incoterm, cif.incoterm_place, cif.payment_terms, cif.deposit_percent, cif.note) == (
        "CIF",
        "Rotterdam",
        "deposit",
        30,
        "Pack on pallets",
    )
    assert (lc.incoterm, lc.payment_terms, lc.deposit_percent, lc.note) == ("FOB", "lc", None, "Labels in Dutch")
    assert cif.billing_address == lc.billing_address == "Damrak 1, Amsterdam"
    assert cif.charges_needed == ("freight", "insurance") and lc.charges_needed == ()
    assert cif.deposit_amount == Decimal("300.00")
    assert cif.freight is None and cif.total == cif.subtotal  # nothing binds before the supplier sets freight


def test_net_terms_are_refused_to_a_company_not_approved_and_open_to_an_approved_one(buyer_user, two_suppliers):
    (first, _u1), _second = two_suppliers
    with pytest.raises(ValidationError) as refused:
        place(buyer_user, [(first, None, 10)], supplier_terms={first.supplier_id: {"payment_terms": "net30"}})
    assert list(refused.value.message_dict) == [f"payment_terms-{first.supplier_id}"]
    assert "approved for credit" in refused.value.message_dict[f"payment_terms-{first.supplier_id}"][0]
    with pytest.raises(ValidationError) as common:
        place(buyer_user, [(first, None, 10)], payment_terms="net60")
    assert "payment_terms" in common.value.message_dict

    company = buyer_user.buyer_membership.company
    company.net_terms_approved = True
    company.save()
    purchase, _created = place(buyer_user, [(first, None, 10)], payment_terms="net60")
    assert purchase.orders.get().payment_terms == "net60"


@pytest.mark.parametrize("percent", [None, 5, 95, "abc"])
def test_a_deposit_needs_a_percent_of_10_to_90(buyer_user, two_suppliers, percent):
    (first, _u1), _second = two_suppliers
    with pytest.raises(ValidationError) as refused:
        place(buyer_user, [(first, None, 10)], payment_terms="deposit", deposit_percent=percent)
    assert "deposit_percent" in refused.value.message_dict


def test_under_cif_the_supplier_must_set_freight_and_insurance_and_the_buyer_accepts_the_new_total(
    buyer_user, two_suppliers, django_capture_on_commit_callbacks
):
    (first, supplier_user), _second = two_suppliers
    purchase, _created = place(buyer_user, [(first, None, 10)], incoterm="CIF")
    order = purchase.orders.get()
    with pytest.raises(ValidationError) as missing:
        order_confirm(order=order, actor=supplier_user, freight="120")
    assert list(missing.value.message_dict) == ["insurance"]
    with pytest.raises(ValidationError):
        order_confirm(order=order, actor=supplier_user, freight="-1", insurance="0")

    order = order_confirm(order=order, actor=supplier_user, freight="1,250.50", insurance="12.5", lead_time_days=25)
    assert order.status == "proposed"
    assert (order.freight, order.insurance, order.total) == (
        Decimal("1250.50"),
        Decimal("12.50"),
        Decimal("2263.00"),
    )
    # The supplier revises its proposal; the buyer's acceptance of the older total is refused.
    order = order_confirm(order=order, actor=supplier_user, freight="900", insurance="12.50", lead_time_days=25)
    assert order.status == "proposed" and order.total == Decimal("1912.50")
    with pytest.raises(OrderStateConflict, match="changed the proposed terms"):
        order_accept_terms(order=order, actor=buyer_user, expected_total="2263.00")
    order = order_accept_terms(order=order, actor=buyer_user, expected_total="1912.50")
    assert order.status == "confirmed" and order.lead_time_days == 25
    accepted = order.events.latest("id")
    assert (accepted.party, accepted.from_status, accepted.data["total"]) == ("buyer", "proposed", "1912.50")


def test_under_fob_freight_is_refused_and_an_unchanged_order_confirms_at_once(buyer_user, two_suppliers):
    (first, supplier_user), _second = two_suppliers
    purchase, _created = place(buyer_user, [(first, None, 10)])
    order = purchase.orders.get()
    with pytest.raises(ValidationError) as refused:
        order_confirm(order=order, actor=supplier_user, freight="100")
    assert "freight" in refused.value.message_dict
    order = order_confirm(order=order, actor=supplier_user, lead_time_days=order.lead_time_days)
    assert order.status == "confirmed"


def test_a_longer_lead_time_alone_goes_to_the_buyer_for_acceptance(buyer_user, two_suppliers):
    (first, supplier_user), _second = two_suppliers
    purchase, _created = place(buyer_user, [(first, None, 10)])
    order = purchase.orders.get()
    order = order_confirm(order=order, actor=supplier_user, lead_time_days=(order.lead_time_days or 0) + 10)
    assert order.status == "proposed" and order.freight is None


def test_protection_follows_the_accepted_total_and_a_deposit_order_steps_with_the_payments(buyer_user, two_suppliers):
    (first, supplier_user), _second = two_suppliers
    staff = f.UserFactory(is_staff=True)
    purchase, _created = place(
        buyer_user, [(first, None, 10)], incoterm="CIF", payment_terms="deposit", deposit_percent=30
    )
    order = purchase.orders.get()
    protection = protection_open(order=order, actor=buyer_user)
    assert protection.amount == Decimal("1000.00")
    order = order_confirm(order=order, actor=supplier_user, freight="200", insurance="0")
    order = order_accept_terms(order=order, actor=buyer_user, expected_total="1200.00")
    protection.refresh_from_db()
    assert protection.amount == Decimal("1200.00") == order.total
    assert protection.events.filter(kind=ProtectionEvent.Kind.AMOUNT_SET).count() == 1

    # The supplier no longer records the deposit itself: the platform does.
    with pytest.raises(ConflictError, match="the platform records the payment"):
        order_mark_deposit_paid(order=order, actor=supplier_user)
    assert order.deposit_amount == Decimal("360.00")  # 30 % of the accepted total, freight included
    protection_payment_record(order=order, actor=staff, amount="359.99")
    order.refresh_from_db()
    assert order.status == "confirmed"
    protection_payment_record(order=order, actor=staff, amount="0.01")
    order.refresh_from_db()
    assert order.status == "deposit_paid" and order.deposit_paid_at is not None
    with pytest.raises(OrderStateConflict):  # the balance comes before shipping
        order_ship(order=order, actor=supplier_user, carrier="COSCO", tracking_number="C1")
    protection_payment_record(order=order, actor=staff, amount="840.00")
    order.refresh_from_db()
    assert order.status == "paid" and ledger_balances(order=order).held == Decimal("1200.00")
    kinds = list(order.events.values_list("to_status", flat=True))
    assert kinds == ["placed", "proposed", "confirmed", "deposit_paid", "paid"]
    assert OrderEvent.objects.filter(order=order, to_status="deposit_paid", party="staff").exists()


def test_protection_is_not_offered_for_terms_paid_after_shipping(buyer_user, two_suppliers):
    (first, _u1), _second = two_suppliers
    purchase, _created = place(buyer_user, [(first, None, 10)], payment_terms="lc")
    with pytest.raises(ConflictError, match="before shipping"):
        protection_open(order=purchase.orders.get(), actor=buyer_user)


def test_net_terms_ship_before_payment_and_fall_due_their_days_after_shipping(buyer_user, two_suppliers):
    (first, supplier_user), _second = two_suppliers
    company = buyer_user.buyer_membership.company
    company.net_terms_approved = True
    company.save()
    purchase, _created = place(buyer_user, [(first, None, 10)], payment_terms="net30")
    order = order_confirm(order=purchase.orders.get(), actor=supplier_user)
    order = order_ship(order=order, actor=supplier_user, carrier="DHL", tracking_number="1234567890")
    assert order.status == "shipped" and order.paid_at is None
    assert (order.payment_due_at - order.shipped_at).days == 30
