"""order_create: the one function that inserts an order, for a checkout and for an RFQ award alike."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.exceptions import ApplicationError
from marketplace.mail.models import OutboundMail
from orders.models import Order, OrderLine, Purchase
from orders.services.award import rfq_award
from orders.services.create import OrderLineDraft, order_create

from .factories import PLACING_TERMS as TERMS
from .factories import RFQ_TERMS as AWARD_TERMS
from .factories import listing_with, make_rfq, pay, place, quote_for, supplier_with_member

pytestmark = pytest.mark.django_db


def _order_updates(queries) -> list[str]:
    """The UPDATEs of the orders table itself (not of its lines or events)."""
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "orders_order" ')]


def _shape(order: Order) -> dict:
    """What every order has, whichever way it was made: lines in positions from 0, totals that add
    up, one `placed` event by the buyer naming its purchase and source."""
    lines = list(order.lines.order_by("position"))
    (event,) = order.events.filter(kind="placed")
    return {
        "positions": [line.position for line in lines] == list(range(len(lines))),
        "line_totals": all(line.line_total == line.unit_price * line.quantity for line in lines),
        "subtotal": order.subtotal == sum(line.line_total for line in lines),
        "total": order.total == order.subtotal - order.sample_credit,
        "status": order.status,
        "event": (event.party, event.actor_id == order.placed_by_id, event.to_status),
        "event_data": sorted(set(event.data) - {"quote"}),
        "source_matches": event.data["source"] == order.purchase.source,
        "number": order.number.startswith("PO-"),
    }


@pytest.fixture
def awarded_rfq(buyer, category):
    """An RFQ with one EXW quote that gives freight to the RFQ's FOB, ready to award."""
    supplier, member = supplier_with_member()
    rfq = make_rfq(buyer, category=category, routed_to=[supplier])
    quote = quote_for(rfq, member, unit_price="9.50", incoterm="EXW", freight_total="400.00", quantity=500)
    return rfq, quote


def _award(buyer, rfq, quote, quantity):
    return rfq_award(
        rfq=rfq, actor=buyer, awards=[(quote, quantity)], idempotency_key=uuid.uuid4().hex, language="en",
        **AWARD_TERMS,
    )  # fmt: skip


def test_checkout_and_award_make_orders_of_the_same_shape(buyer, listing, awarded_rfq):
    rfq, quote = awarded_rfq
    cart_order = place(buyer, [(listing, None, 10)])[0].orders.get()
    award_order = _award(buyer, rfq, quote, 400)[0].orders.get()

    assert _shape(cart_order) == _shape(award_order)
    assert cart_order.purchase.source == "api" and award_order.purchase.source == Purchase.Source.RFQ
    assert award_order.events.get(kind="placed").data["quote"] == quote.pk


def test_an_award_with_freight_has_its_totals_from_the_first_insert(buyer, awarded_rfq):
    rfq, quote = awarded_rfq
    with CaptureQueriesContext(connection) as queries:
        purchase, _created = _award(buyer, rfq, quote, 400)

    assert _order_updates(queries.captured_queries) == []  # saved once: no second save with the freight
    order = purchase.orders.get()
    assert list(order.lines.values_list("position", "quantity", "unit_price", "line_total")) == [
        (0, 400, Decimal("9.50"), Decimal("3800.00")),
        (1, 1, Decimal("400.00"), Decimal("400.00")),
    ]
    assert (order.subtotal, order.total, order.quote, order.incoterm) == (
        Decimal("4200.00"),
        Decimal("4200.00"),
        quote,
        "FOB",
    )


def test_a_sample_credit_is_in_the_first_insert_too(buyer, supplier, category, supplier_member):
    sampled = listing_with(
        supplier, category, sample_available=True, sample_price=Decimal("35.50"), sample_fee_credited=True
    )
    pay(place(buyer, [(sampled, None, 1)], kind="sample")[0], supplier_member)
    with CaptureQueriesContext(connection) as queries:
        purchase, _created = place(buyer, [(sampled, None, 10)])

    assert _order_updates(queries.captured_queries) == []
    order = purchase.orders.get()
    assert (order.subtotal, order.sample_credit, order.total) == (
        Decimal("1000.00"),
        Decimal("35.50"),
        Decimal("964.50"),
    )
    assert OrderLine.objects.get(order__kind="sample").credited_to == order.lines.get()


def _create(buyer, supplier, **overrides):
    company = buyer.buyer_membership.company
    purchase = Purchase.objects.create(
        buyer=company, placed_by=buyer, idempotency_key=uuid.uuid4().hex, fingerprint="x", source="api"
    )
    arguments = {
        "purchase": purchase,
        "buyer": company,
        "actor": buyer,
        "supplier": supplier,
        "kind": "bulk",
        "currency": "USD",
        "lines": [OrderLineDraft(title="Laser", unit="piece", quantity=2, unit_price=Decimal("5.00"))],
        "terms": TERMS,
        "lead_time_days": 10,
        "language": "en",
        **overrides,
    }
    return order_create(**arguments)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"lines": []}, ApplicationError),
        ({"currency": "XXX"}, ApplicationError),
        ({"kind": "gift"}, ValidationError),
        ({"lines": [OrderLineDraft(title="x", unit="piece", quantity=0, unit_price=Decimal("1"))]}, ApplicationError),
        ({"lines": [OrderLineDraft(title="x", unit="piece", quantity=1, unit_price=Decimal("-1"))]}, ApplicationError),
        ({"terms": {**TERMS, "ship_to_country": "ZZ"}}, ValidationError),
        ({"terms": {**TERMS, "shipping_address": " "}}, ValidationError),
    ],
)
def test_order_create_refuses_bad_lines_and_terms_and_writes_nothing(buyer, supplier, overrides, error):
    with pytest.raises(error):
        _create(buyer, supplier, **overrides)
    assert not Order.objects.exists()


def test_order_create_writes_order_lines_and_one_placed_event(buyer, supplier, supplier_member):
    order = _create(buyer, supplier)
    assert (order.subtotal, order.total, order.lead_time_days) == (Decimal("10.00"), Decimal("10.00"), 10)
    assert list(order.events.values_list("kind", flat=True)) == ["placed"]
    # The supplier's new-order email, written to the outbox with the order.
    mail = OutboundMail.objects.get(kind="order_placed")
    assert mail.to == [supplier_member.email] and order.number in mail.subject + mail.body
