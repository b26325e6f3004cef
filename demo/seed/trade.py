"""Trade in flight: orders at several stages, inquiries and an open RFQ with two quotes, made through
the same services as the pages (so every event, email and figure is as real as a user's)."""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accounts.models import User
from belts.models import Belt, Category
from buyers.models import BuyerCompany, Inquiry
from buyers.services.inquiries import inquiry_reply, inquiry_start
from catalog.models import Listing
from demo.seed.run import Run
from orders.models import Order, OrderKind, PaymentTerms, Purchase, Rfq
from orders.services.placing import LineRequest, purchase_place
from orders.services.rfq import quote_submit, rfq_post, rfq_route
from orders.services.transitions import (
    order_accept_terms,
    order_complete,
    order_confirm,
    order_confirm_delivery,
    order_mark_deposit_paid,
    order_mark_paid,
    order_rate,
    order_ship,
)
from suppliers.models import Supplier, SupplierMember


def trade_sync(run: Run, company: BuyerCompany, *, buyer: User, seller: User, supplier: Supplier) -> None:
    """Orders at several stages and inquiries, made through the same services as the pages (so
    every event, email and figure is as real as a user's). A purchase already made (by its
    idempotency key) or an inquiry already started (by its subject) is left as it is."""
    for data in run.world.trade_orders:
        if Purchase.objects.filter(placed_by=buyer, idempotency_key=data["key"]).exists():
            continue
        lines = [_trade_line(sku_or_belt, quantity) for sku_or_belt, quantity in data["lines"]]
        purchase, _created = purchase_place(
            buyer=company, actor=buyer, lines=[line for line in lines if line], kind=OrderKind.BULK,
            incoterm=data["incoterm"], incoterm_place=data["incoterm_place"], note=data["note"],
            payment_terms=data.get("payment_terms", PaymentTerms.PREPAID), deposit_percent=data.get("deposit_percent"),
            idempotency_key=data["key"], source=Purchase.Source.CART, language="en",
            shipping_address=run.world.shipping["shipping_address"],
            ship_to_country=run.world.shipping["ship_to_country"],
        )  # fmt: skip
        run.tally["created demo purchase"] += 1
        order = purchase.orders.get(supplier=supplier)
        _trade_stage(order, data, buyer=buyer, seller=seller)
    _trade_rfq(run, company, buyer=buyer, seller=seller)
    for data in run.world.trade_inquiries:
        if Inquiry.objects.filter(buyer=company, supplier=supplier, subject=data["subject"]).exists():
            continue
        listing = Listing.objects.get(supplier=supplier, sku=data["sku"])
        inquiry = inquiry_start(
            buyer=company, actor=buyer, supplier=supplier, listing=listing, subject=data["subject"],
            body=data["body"],
        )  # fmt: skip
        if data["reply"]:
            inquiry_reply(inquiry=inquiry, actor=seller, body=data["reply"])
        run.tally["created demo inquiry"] += 1


def _trade_rfq(run: Run, company: BuyerCompany, *, buyer: User, seller: User) -> None:
    """The open RFQ and its quotes (left alone once the RFQ exists, by its title)."""
    data = run.world.trade_rfq
    if Rfq.objects.filter(buyer=company, title=data["title"]).exists():
        return
    today = timezone.localdate()
    rfq = rfq_post(
        buyer=company, actor=buyer, title=data["title"], details=data["details"],
        category=Category.objects.get(slug=data["category"]), belt=Belt.objects.get(slug=data["belt"]),
        quantity=data["quantity"], unit=data["unit"], target_price=data["target_price"],
        currency=data["currency"], destination_country=run.world.shipping["ship_to_country"],
        incoterm=data["incoterm"], incoterm_place=data["incoterm_place"],
        required_level=data["required_level"], deadline=today + datetime.timedelta(days=data["deadline_days"]),
    )  # fmt: skip
    rfq_route(rfq_id=rfq.pk)  # now, so the quotes below can follow (the queued job finds it routed)
    run.tally["created demo request for quotation"] += 1
    for quote in data["quotes"]:
        actor = seller if "sales_email" not in quote else _sales_member(run, quote)
        fields = {key: quote[key] for key in ("unit_price", "moq", "quantity", "lead_time_days", "incoterm",
                                              "incoterm_place", "freight_total", "note")}  # fmt: skip
        quote_submit(
            rfq=rfq, actor=actor, currency=data["currency"],
            valid_until=today + datetime.timedelta(days=quote["valid_days"]), **fields,
        )  # fmt: skip
        run.tally["created demo quote"] += 1


def _sales_member(run: Run, quote: dict[str, Any]) -> User:
    """A supplier's sales desk that quotes in the demo but never signs in (no usable password)."""
    supplier = Supplier.objects.get(slug=quote["supplier"])
    user = User.objects.filter(email=quote["sales_email"]).first()
    if user is None:
        user = User.objects.create_user(
            quote["sales_email"], None, full_name=quote["sales_name"], role=User.Role.SUPPLIER
        )
        run.tally["created user"] += 1
    run.sync(SupplierMember, {"user_id": user.pk}, {"supplier_id": supplier.pk, "role": SupplierMember.Role.STAFF})
    return user


def _trade_line(sku_or_belt: str, quantity: int | None) -> LineRequest | None:
    """A line of `quantity` of the listing with this SKU, or of a belt's first orderable listing
    (no variants) at its smallest quantity that meets MOQ, first tier and order multiple."""
    if quantity is not None:  # all of it of the first variant, when the listing has variants
        by_sku = Listing.objects.public().get(sku=sku_or_belt)
        variant = by_sku.variants.order_by("position", "id").first()
        return LineRequest(listing_id=by_sku.pk, variant_id=variant.pk if variant else None, quantity=quantity)
    listing = Listing.objects.public().filter(belt__slug=sku_or_belt, variants__isnull=True).order_by("sku").first()
    if listing is None:
        return None
    smallest = max([listing.moq, *(tier.min_quantity for tier in listing.tiers.all()[:1])])
    multiple = listing.order_multiple or 1
    return LineRequest(listing_id=listing.pk, variant_id=None, quantity=-(-smallest // multiple) * multiple)


def _trade_stage(order: Order, data: dict[str, Any], *, buyer: User, seller: User) -> None:
    """Walk the order along its payment terms' flow to its demo stage, each step by the party whose
    step it is: the supplier sets the charges its Incoterm needs, the buyer accepts them."""
    carrier, tracking = data.get("shipping", ("SF Express", "SF1409322873651"))
    charges = {name: data.get(name) for name in order.charges_needed}
    steps: dict[str, Callable[[Order], Order]] = {
        "proposed": lambda o: order_confirm(order=o, actor=seller, **charges),
        "confirmed": lambda o: (
            order_accept_terms(order=o, actor=buyer)
            if o.status == Order.Status.PROPOSED
            else order_confirm(order=o, actor=seller, **charges)
        ),
        "deposit_paid": lambda o: order_mark_deposit_paid(order=o, actor=seller),
        "paid": lambda o: order_mark_paid(order=o, actor=seller),
        "shipped": lambda o: order_ship(order=o, actor=seller, carrier=carrier, tracking_number=tracking),
        "delivered": lambda o: order_confirm_delivery(order=o, actor=buyer),
        "completed": lambda o: order_complete(order=o, actor=buyer),
    }
    flow = order.flow
    for status in flow[1 : flow.index(data["stage"]) + 1]:
        if status == "proposed" and not any(charges.values()):
            continue  # nothing changes what the buyer pays: the supplier confirms at once
        order = steps[status](order)
    if "rating" in data:
        stars, text = data["rating"]
        order_rate(order=order, actor=buyer, stars=stars, text=text)
