"""factory_boy factories and builders of the trade tests (placing, cart, stock, order states, RFQs).

`OrderFactory` builds an order directly (no rules applied): for tests of what happens *after*
placing. Tests of placing itself go through `orders.services.placing.purchase_place`.
"""

import datetime
import uuid
from decimal import Decimal

import factory
import pytest
from django.utils import timezone

from catalog.models import Listing, ListingVariant
from orders.models import (
    FLOWS,
    CartLine,
    Incoterm,
    Order,
    OrderEvent,
    OrderKind,
    OrderLine,
    Purchase,
    Rfq,
    RfqRecipient,
)
from orders.services.placing import LineRequest, purchase_place
from orders.services.rfq import quote_submit
from tests import factories as f


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purchase

    placed_by = factory.SubFactory(f.UserFactory)
    buyer = factory.LazyAttribute(
        lambda o: (
            f.BuyerMemberFactory(user=o.placed_by).company
            if not hasattr(o.placed_by, "buyer_membership")
            else o.placed_by.buyer_membership.company
        )
    )
    source = Purchase.Source.CART
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)
    fingerprint = "0" * 64


class OrderFactory(factory.django.DjangoModelFactory):
    """A placed bulk order of 10 units at 100.00 from a certified supplier (one line, no listing
    unless `listing` is given via OrderLineFactory)."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    purchase = factory.SubFactory(PurchaseFactory)
    buyer = factory.SelfAttribute("purchase.buyer")
    placed_by = factory.SelfAttribute("purchase.placed_by")
    supplier = factory.SubFactory(f.SupplierFactory)
    number = factory.Sequence(lambda n: f"PO-TEST-{n:06d}")
    kind = OrderKind.BULK
    status = Order.Status.PLACED
    currency = "CNY"
    incoterm = Incoterm.FOB
    incoterm_place = "Wuhan"
    shipping_address = "Keizersgracht 1\n1015 CJ Amsterdam"
    ship_to_country = "NL"
    subtotal = Decimal("1000.00")
    sample_credit = Decimal("0.00")
    total = factory.LazyAttribute(lambda o: o.subtotal - o.sample_credit)
    language = "en"

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        """One line matching the subtotal unless `lines=[]` or a list of OrderLine kwargs is given."""
        if not create:
            return
        specs = (
            extracted
            if extracted is not None
            else [{"title": "Fiber laser module", "quantity": 10, "unit_price": obj.subtotal / 10}]
        )
        for position, spec in enumerate(specs):
            OrderLineFactory(order=obj, position=position, **spec)

    @factory.post_generation
    def placed_event(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            OrderEvent.objects.create(
                order=obj,
                actor=obj.placed_by,
                party=OrderEvent.Party.BUYER,
                kind=OrderEvent.Kind.PLACED,
                to_status=Order.Status.PLACED,
            )


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory, lines=[])
    title = "Fiber laser module"
    unit = "piece"
    quantity = 10
    unit_price = Decimal("100.00")
    line_total = factory.LazyAttribute(lambda o: (o.unit_price * o.quantity).quantize(Decimal("0.01")))


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    user = factory.SubFactory(f.UserFactory)
    listing = factory.SubFactory(f.ListingFactory)
    quantity = 10
    kind = OrderKind.BULK


# ==== orders at any point of their life (order-state, page, API and PDF tests) ====================

_STAMPS_UP_TO = {
    "placed": (),
    "proposed": (),
    "confirmed": ("confirmed_at",),
    "deposit_paid": ("confirmed_at", "deposit_paid_at"),
    "paid": ("confirmed_at", "paid_at"),
    "shipped": ("confirmed_at", "paid_at", "shipped_at"),
    "delivered": ("confirmed_at", "paid_at", "shipped_at", "delivered_at"),
    "completed": ("confirmed_at", "paid_at", "shipped_at", "delivered_at", "completed_at"),
    "cancelled": ("cancelled_at",),
}


def order_at(status: str, *, buyer, supplier, **kwargs) -> Order:
    """An order of `buyer`'s company (a buyer member user) from `supplier`, already in `status`
    with the timestamps that status implies (built directly, as the transition tests' start)."""
    now = timezone.now()
    stamps: dict = dict.fromkeys(_STAMPS_UP_TO[status], now)
    terms = kwargs.get("payment_terms", "prepaid")
    if terms == "deposit":
        kwargs.setdefault("deposit_percent", 30)
    if status in FLOWS[terms]:  # the stamps of every status this term's flow has passed
        reached = FLOWS[terms][1 : FLOWS[terms].index(status) + 1]
        stamps = dict.fromkeys((f"{s}_at" for s in reached), now)
    if "shipped_at" in stamps:
        stamps.update(carrier="COSCO", tracking_number="COSU6123456780")
    if status == "cancelled":
        stamps.update(cancel_reason="Changed plans", cancelled_by_party="buyer")
    return OrderFactory(purchase__placed_by=buyer, supplier=supplier, status=status, **{**stamps, **kwargs})


# ==== placing, cart and stock =====================================================================
# The order terms the placing tests send (the RFQ tests send RFQ_TERMS); the `listing` and
# `other_listing` fixtures reach the tests through tests/orders/conftest.py.

PLACING_TERMS = {
    "shipping_address": "Keizersgracht 1\n1015 CJ Amsterdam",
    "ship_to_country": "NL",
    "incoterm": "FOB",
    "incoterm_place": "Wuhan",
    "note": "",
}


def checkout_page_data(page) -> dict[str, str]:
    """What the checkout page's form posts as it was shown (a GET response of /checkout/): each
    field's value, the suppliers' fieldsets included, without the unticked checkbox."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = "on" if value is True else str(value)
    return data


def listing_with(supplier, category, *, tiers=((10, "100.00"), (100, "90.00")), variants=(), **fields) -> Listing:
    """A published listing of `supplier` with `tiers` and variants (dicts of ListingVariant fields)."""
    listing = f.ListingFactory(
        supplier=supplier, category=category, tiers=[(q, Decimal(p)) for q, p in tiers], **fields
    )
    for position, variant in enumerate(variants):
        ListingVariant.objects.create(listing=listing, position=position, **variant)
    listing.save()  # the trigger recomputes price_from
    return Listing.objects.get(pk=listing.pk)


def place(buyer_user, lines, *, kind="bulk", key=None, **terms):
    """purchase_place for `buyer_user` with PLACING_TERMS: lines (listing, variant|None, quantity[, from_stock])."""
    requests = [
        LineRequest(listing_id=line[0].pk, variant_id=line[1].pk if line[1] else None, quantity=line[2],
                    from_stock=line[3] if len(line) > 3 else False)
        for line in lines
    ]  # fmt: skip
    return purchase_place(
        buyer=buyer_user.buyer_membership.company,
        actor=buyer_user,
        lines=requests,
        kind=kind,
        idempotency_key=key or uuid.uuid4().hex,
        source="api",
        language="en",
        **{**PLACING_TERMS, **terms},
    )


def pay(purchase, supplier_user):
    """The supplier confirms each order of `purchase` and records its payment (placed → paid)."""
    from orders.services.transitions import order_confirm, order_mark_paid

    for order in purchase.orders.all():
        order_mark_paid(order=order_confirm(order=order, actor=supplier_user), actor=supplier_user)
    return purchase


@pytest.fixture
def listing(supplier, category):
    """100.00 from 10 units, 90.00 from 100; MOQ 10."""
    return listing_with(supplier, category)


@pytest.fixture
def other_listing(other_supplier, category):
    return listing_with(other_supplier, category, tiers=((5, "12.50"),), moq=5)


# ==== a routed RFQ and quotes made through the services ===========================================

RFQ_TERMS = {"shipping_address": "Keizersgracht 1\n1015 CJ Amsterdam", "ship_to_country": "NL"}


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_rfq(buyer_user, *, category, routed_to=(), **fields) -> Rfq:
    """An open RFQ of `buyer_user`'s company (built directly), routed to `routed_to` suppliers."""
    values = {
        "title": "Fibre laser cutting machine 3015, 3 kW",
        "quantity": 1000,
        "unit": "piece",
        "currency": "USD",
        "destination_country": "NL",
        "incoterm": "FOB",
        "incoterm_place": "Shanghai",
        "required_level": "verified",
        "deadline": in_days(7),
        "allow_split": True,
        **fields,
    }
    rfq = Rfq.objects.create(
        buyer=buyer_user.buyer_membership.company, created_by=buyer_user, category=category, **values
    )
    now = timezone.now()
    for supplier in routed_to:
        RfqRecipient.objects.create(rfq=rfq, supplier=supplier, routed_at=now)
    if routed_to:
        rfq.routed_at = now
        rfq.save(update_fields=["routed_at"])
    return rfq


def quote_for(rfq, member_user, **fields):
    """quote_submit with sensible defaults (FOB 10.00, the whole quantity)."""
    values = {
        "unit_price": Decimal("10.00"),
        "currency": rfq.currency,
        "moq": 100,
        "quantity": rfq.quantity,
        "lead_time_days": 30,
        "incoterm": rfq.incoterm,
        "incoterm_place": "Shanghai",
        "freight_total": None,
        "valid_until": in_days(30),
        "note": "",
        **fields,
    }
    quote, _created = quote_submit(rfq=rfq, actor=member_user, **values)
    return quote


def supplier_with_member(**fields):
    """A certified supplier (VERIFIED unless told) and one member user."""
    supplier = f.SupplierFactory(**fields)
    return supplier, f.SupplierMemberFactory(supplier=supplier).user
