"""Fixtures of the placing, cart and stock tests (import with `from .placing_fixtures import *`)."""

import uuid
from decimal import Decimal

import pytest

from catalog.models import Listing, ListingVariant
from orders.services.placing import LineRequest, purchase_place
from tests import factories as f

TERMS = {
    "shipping_address": "Keizersgracht 1\n1015 CJ Amsterdam",
    "ship_to_country": "NL",
    "incoterm": "FOB",
    "incoterm_place": "Wuhan",
    "note": "",
}


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
    """purchase_place for `buyer_user` with TERMS; `lines` are (listing, variant|None, quantity[, from_stock])."""
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
        **{**TERMS, **terms},
    )


@pytest.fixture
def listing(supplier, category):
    """100.00 from 10 units, 90.00 from 100; MOQ 10."""
    return listing_with(supplier, category)


@pytest.fixture
def other_listing(other_supplier, category):
    return listing_with(other_supplier, category, tiers=((5, "12.50"),), moq=5)
