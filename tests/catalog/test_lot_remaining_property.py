"""A lot's remaining quantity as a rule over any sequence of shipments (hypothesis): whatever
orders ship from whichever lots in whatever amounts, accepted or refused, each lot's remaining
quantity never goes below zero and always equals its quantity less what the order lines record
as shipped from it."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Lot
from orders.models import OrderLineLot
from orders.services.transitions import order_ship
from tests.catalog.lots import make_lot, order_to_ship, produce_listing

pytestmark = pytest.mark.django_db

LOT_SIZES = (120, 300, 50)
# One shipment: the order's quantity, and how it is split across the lots (lot index, quantity).
SHIPMENTS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=250),
        st.lists(st.tuples(st.integers(0, 2), st.integers(1, 250)), min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shipments=SHIPMENTS)
def test_remaining_never_goes_below_zero_and_equals_quantity_less_shipped(
    buyer, supplier, supplier_member, category, shipments
):
    sid = transaction.savepoint_create()
    try:
        produce = produce_listing(supplier, category)
        lots = [
            make_lot(supplier, supplier_member, [produce], code=f"L{i}", quantity=size)
            for i, size in enumerate(LOT_SIZES)
        ]
        for quantity, split in shipments:
            order = order_to_ship(buyer, supplier, produce, quantity)
            line = order.lines.get()
            draws = [{"line": line.pk, "lot": lots[index].pk, "quantity": n} for index, n in split]
            with contextlib.suppress(ValidationError):
                order_ship(order=order, actor=supplier_member, carrier="SF", tracking_number="SF1", lots=draws)
            for lot in Lot.objects.filter(pk__in=[x.pk for x in lots]):
                shipped = OrderLineLot.objects.filter(lot=lot).aggregate(n=Sum("quantity"))["n"] or 0
                assert lot.remaining >= 0
                assert lot.remaining == lot.quantity - shipped
    finally:
        transaction.savepoint_rollback(sid)
