"""factory_boy factories of the trade (shared by the placing/cart tests and the order-state tests).

`OrderFactory` builds an order directly (no rules applied): for tests of what happens *after*
placing. Tests of placing itself go through `orders.services.placing.purchase_place`.
"""

import uuid
from decimal import Decimal

import factory

from orders.models import CartLine, Incoterm, Order, OrderEvent, OrderKind, OrderLine, Purchase
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


# ==== helper "hs": orders at any point of their life (order-state, page, API and PDF tests) ====

_STAMPS_UP_TO = {
    "placed": (),
    "confirmed": ("confirmed_at",),
    "paid": ("confirmed_at", "paid_at"),
    "shipped": ("confirmed_at", "paid_at", "shipped_at"),
    "delivered": ("confirmed_at", "paid_at", "shipped_at", "delivered_at"),
    "completed": ("confirmed_at", "paid_at", "shipped_at", "delivered_at", "completed_at"),
    "cancelled": ("cancelled_at",),
}


def order_at(status: str, *, buyer, supplier, **kwargs) -> Order:
    """An order of `buyer`'s company (a buyer member user) from `supplier`, already in `status`
    with the timestamps that status implies (built directly, as the transition tests' start)."""
    from django.utils import timezone

    now = timezone.now()
    stamps: dict = dict.fromkeys(_STAMPS_UP_TO[status], now)
    if status in ("shipped", "delivered", "completed"):
        stamps.update(carrier="COSCO", tracking_number="COSU6123456780")
    if status == "cancelled":
        stamps.update(cancel_reason="Changed plans", cancelled_by_party="buyer")
    return OrderFactory(purchase__placed_by=buyer, supplier=supplier, status=status, **{**stamps, **kwargs})
