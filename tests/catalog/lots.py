"""Builders of the lot tests (catalog.lots): a produce listing sold by lot, its lots, and an order
of it ready to ship."""

import datetime
from decimal import Decimal

from catalog.lots.services import lot_create
from catalog.models import Listing, Lot
from orders.models import Order
from tests.orders.factories import listing_with, order_at


def produce_listing(supplier, category, **fields) -> Listing:
    """A published listing of dried apricots, sold by the kilogram and by lot."""
    return listing_with(
        supplier,
        category,
        tiers=((100, "28.00"),),
        moq=100,
        unit=Listing.Unit.KILOGRAM,
        sold_by_lot=True,
        title_en="Dried apricots, Aksu",
        title_zh="阿克苏杏干",
        **fields,
    )


def lot_data(**overrides) -> dict:
    data = {
        "code": "AKS-2026-001",
        "site_name": "Hongqipo orchard, block 7",
        "site_address": "Hongqipo farm, Aksu, Xinjiang",
        "site_region": "CN-XJ",
        "latitude": Decimal("41.16830"),
        "longitude": Decimal("80.26080"),
        "produced_on": datetime.date(2026, 9, 20),
        "packed_on": datetime.date(2026, 10, 2),
        "best_before": datetime.date(2027, 10, 1),
        "quantity": 5000,
        "unit": Listing.Unit.KILOGRAM,
        "grade": "Grade A (特级)",
        "inspection_results": "Moisture 18 %, SO2 below 0.1 g/kg.",
    }
    return {**data, **overrides}


def make_lot(supplier, member, listings, **overrides) -> Lot:
    return lot_create(supplier=supplier, actor=member, listings=listings, data=lot_data(**overrides))


def order_to_ship(buyer, supplier, listing, quantity: int, status: str = "paid") -> Order:
    """A paid order of `quantity` of `listing` (one line), ready for the supplier to ship."""
    return order_at(
        status,
        buyer=buyer,
        supplier=supplier,
        subtotal=Decimal("28.00") * quantity,
        lines=[
            {"title": listing.title_en, "listing": listing, "unit": listing.unit, "quantity": quantity,
             "unit_price": Decimal("28.00")}
        ],
    )  # fmt: skip
