"""The sample-fee credit as a rule over any sequence of trade steps (hypothesis).

After every step: a bulk order's credit is exactly the sum its credited samples gave it, its
total is its subtotal less that credit, a credit comes only from a paid sample of the same buyer
company and listing, and a bulk order not yet confirmed holds no credit of a cancelled sample.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from marketplace.exceptions import ApplicationError
from orders.models import Order, OrderLine
from orders.services.locks import SAMPLE_PAID_STATUSES
from orders.services.transitions import order_cancel, order_confirm, order_mark_paid

from .factories import listing_with, place

pytestmark = pytest.mark.django_db

STEPS = st.lists(
    st.sampled_from(["sample", "pay", "bulk", "confirm", "cancel_sample", "cancel_bulk"]), min_size=1, max_size=12
)


def _check(buyer_company_id: int) -> None:
    for bulk in Order.objects.filter(kind="bulk"):
        credited = OrderLine.objects.filter(credited_to__order=bulk).aggregate(s=Sum("credit_amount"))["s"]
        credited = credited or Decimal("0")
        assert bulk.sample_credit == credited
        assert bulk.total == bulk.subtotal - bulk.sample_credit
        for sample in OrderLine.objects.filter(credited_to__order=bulk).select_related("order"):
            assert sample.order.buyer_id == bulk.buyer_id == buyer_company_id
            assert sample.listing_id == sample.credited_to.listing_id
            if bulk.status == "placed":
                assert sample.order.status in SAMPLE_PAID_STATUSES


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=["sample", "pay", "bulk", "cancel_sample"])  # a refund before the bulk order is confirmed
@example(steps=["sample", "bulk", "pay", "bulk"])  # a credit only once the sample is paid
def test_a_bulk_orders_credit_is_always_what_its_paid_samples_gave_it(
    buyer, supplier, supplier_member, category, steps
):
    sid = transaction.savepoint_create()
    try:
        sampled = listing_with(
            supplier, category, sample_available=True, sample_price=Decimal("35.50"), sample_fee_credited=True
        )
        company = buyer.buyer_membership.company
        for step in steps:
            try:
                if step == "sample":
                    place(buyer, [(sampled, None, 1)], kind="sample")
                elif step == "pay":
                    order = Order.objects.filter(kind="sample", status__in=["placed", "confirmed"]).first()
                    if order is not None:
                        if order.status == "placed":
                            order = order_confirm(order=order, actor=supplier_member)
                        order_mark_paid(order=order, actor=supplier_member)
                elif step == "bulk":
                    place(buyer, [(sampled, None, 10)])
                elif step == "confirm":
                    order = Order.objects.filter(kind="bulk", status="placed").first()
                    if order is not None:
                        order_confirm(order=order, actor=supplier_member)
                elif step == "cancel_sample":
                    order = Order.objects.filter(kind="sample").exclude(status="cancelled").first()
                    if order is not None:
                        actor = supplier_member if order.status == "paid" else buyer
                        order_cancel(order=order, actor=actor, reason="Changed")
                elif step == "cancel_bulk":
                    order = Order.objects.filter(kind="bulk", status="placed").first()
                    if order is not None:
                        order_cancel(order=order, actor=buyer, reason="Changed")
            except ApplicationError:
                pass  # a refused step (one open sample per listing) changes nothing
            _check(company.pk)
    finally:
        transaction.savepoint_rollback(sid)
