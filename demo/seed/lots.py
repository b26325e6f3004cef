"""A produce supplier's lots, each traceable to its vineyard, with certificates, and an order of the
demo buyer shipped from them: written through the lot and order services, found again by the lot's
code, the certificate's number and the purchase's key, so a second run writes nothing."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from buyers.models import BuyerCompany
from catalog.lots.services import lot_certificate_add, lot_create
from catalog.models import Listing, Lot, LotCertificate
from catalog.services import listing_update
from demo.seed.pictures import lot_certificate_picture
from demo.seed.run import Run
from marketplace.filecheck.services import file_check
from orders.models import OrderKind, PaymentTerms, Purchase
from orders.services.placing import LineRequest, purchase_place
from orders.services.transitions import order_confirm, order_mark_paid, order_ship
from suppliers.models import Supplier, SupplierMember

LOT_CERTIFICATE_CHECK = "catalog.lot_certificate"


def lots_sync(run: Run, users: dict[str, User], *, company: BuyerCompany, buyer: User) -> None:
    """The produce supplier's login, its listings sold by lot, its lots and their certificates, and
    the demo order shipped from them."""
    data = run.world.produce_lots
    if not data:
        return
    supplier = Supplier.objects.get(slug=data["supplier"])
    member = users[data["login"]]
    run.sync(SupplierMember, {"user_id": member.pk}, {"supplier_id": supplier.pk, "role": SupplierMember.Role.OWNER})
    today = timezone.localdate()
    # Read once for the supplier (a second run is a handful of queries, not a few per lot).
    listings = {listing.sku: listing for listing in Listing.objects.filter(supplier=supplier)}
    lots: dict[str, Lot] = {lot.code: lot for lot in Lot.objects.filter(supplier=supplier)}
    numbers = set(LotCertificate.objects.filter(lot__supplier=supplier).values_list("lot__code", "number"))
    for lot_data in data["lots"]:
        supplied = [listings[sku] for sku in lot_data["skus"]]
        for listing in supplied:
            if not listing.sold_by_lot:
                listing_update(listing=listing, actor=member, fields={"sold_by_lot": True})
                listing.sold_by_lot = True
                run.tally["updated listing"] += 1
        lot = lots.get(lot_data["code"])
        if lot is None:
            lot = lot_create(supplier=supplier, actor=member, listings=supplied, data=_lot_fields(lot_data, today))
            lots[lot.code] = lot
            run.tally["created demo lot"] += 1
        for certificate in lot_data["certificates"]:
            if (lot.code, certificate["number"]) in numbers:
                continue
            upload = SimpleUploadedFile(
                f"{certificate['kind']}.png", lot_certificate_picture(supplier, lot_data, certificate)
            )
            added = lot_certificate_add(
                lot=lot, actor=member, upload=upload, kind=certificate["kind"], number=certificate["number"],
                issuer=certificate["issuer"], issued_on=today - datetime.timedelta(days=certificate["issued"]),
            )  # fmt: skip
            # The check the worker would run, run here: the demo's files are clean without a worker.
            file_check(kind=LOT_CERTIFICATE_CHECK, pk=added.pk)
            run.tally["created demo lot certificate"] += 1
    _order_sync(
        run, data["order"], company=company, buyer=buyer, seller=member, supplier=supplier, lots=lots,
        listings=listings,
    )  # fmt: skip


def _lot_fields(data: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    def ago(days: int | None) -> datetime.date | None:
        return None if days is None else today - datetime.timedelta(days=days)

    return {
        "code": data["code"],
        "site_name": data["site_name"],
        "site_address": data["site_address"],
        "site_region": data["site_region"],
        "latitude": Decimal(data["latitude"]) if data.get("latitude") else None,
        "longitude": Decimal(data["longitude"]) if data.get("longitude") else None,
        "produced_on": ago(data["harvested"]),
        "packed_on": ago(data.get("packed")),
        "best_before": today + datetime.timedelta(days=data["best_before"]) if data.get("best_before") else None,
        "quantity": data["quantity"],
        "unit": data["unit"],
        "grade": data.get("grade", ""),
        "inspection_results": data.get("inspection_results", ""),
    }


def _order_sync(
    run: Run,
    data: dict[str, Any],
    *,
    company: BuyerCompany,
    buyer: User,
    seller: User,
    supplier: Supplier,
    lots: dict[str, Lot],
    listings: dict[str, Listing],
) -> None:
    """The demo buyer's order of the produce, confirmed, paid and shipped from the lots (once)."""
    if Purchase.objects.filter(placed_by=buyer, idempotency_key=data["key"]).exists():
        return
    purchase, _created = purchase_place(
        buyer=company, actor=buyer, kind=OrderKind.BULK,
        lines=[LineRequest(listing_id=listings[sku].pk, variant_id=None, quantity=quantity)
               for sku, quantity in data["lines"]],
        incoterm=data["incoterm"], incoterm_place=data["incoterm_place"], note="",
        payment_terms=PaymentTerms.PREPAID, deposit_percent=None, idempotency_key=data["key"],
        source=Purchase.Source.CART, language="en",
        shipping_address=run.world.shipping["shipping_address"], ship_to_country=run.world.shipping["ship_to_country"],
    )  # fmt: skip
    order = purchase.orders.get(supplier=supplier)
    order = order_confirm(order=order, actor=seller)
    order = order_mark_paid(order=order, actor=seller)
    lines = list(order.lines.order_by("position", "id"))
    shipped = [
        {"line": line.pk, "lot": lots[code].pk, "quantity": quantity}
        for line, draws in zip(lines, data["ship"], strict=True)
        for code, quantity in draws
    ]
    carrier, tracking = data["shipping"]
    order_ship(order=order, actor=seller, carrier=carrier, tracking_number=tracking, lots=shipped)
    run.tally["created demo purchase"] += 1
