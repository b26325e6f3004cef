"""Helpers of the RFQ tests (helper "hr"): a routed RFQ and quotes made through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from orders.models import Rfq, RfqRecipient
from orders.services.rfq import quote_submit
from tests import factories as f

TERMS = {"shipping_address": "Keizersgracht 1\n1015 CJ Amsterdam", "ship_to_country": "NL"}


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
