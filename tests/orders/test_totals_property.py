"""An order's money as a rule over any lines (hypothesis, 500 examples).

For any lines a caller can hand `order_create` (quantities and unit prices up to and past what the
columns hold): either the order is refused with a message and nothing is written, or it is stored
with each line total exactly the unit price × quantity rounded half up to the cent, a subtotal that
is exactly their sum, a total of subtotal less credit, every figure read back from the database
equal to the one computed in Decimal, and every figure inside its column.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from marketplace.exceptions import ApplicationError
from orders.models import MONEY_TOTAL, MONEY_UNIT, Order, OrderLine, Purchase
from orders.services.create import OrderLineDraft, order_create

from .factories import PLACING_TERMS

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
TOTAL_MAX = Decimal(10) ** (MONEY_TOTAL["max_digits"] - MONEY_TOTAL["decimal_places"]) - CENT
UNIT_MAX = Decimal(10) ** (MONEY_UNIT["max_digits"] - MONEY_UNIT["decimal_places"]) - CENT
QUANTITY_COLUMN_MAX = 2**31 - 1

# Prices of every size, with up to four decimal places (a quote or a conversion may carry more
# than cents), up to ten times what a unit price column holds.
PRICES = st.one_of(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=UNIT_MAX * 10, places=4),
    st.sampled_from([Decimal("0.005"), Decimal("0.015"), UNIT_MAX, UNIT_MAX + CENT]),
)
QUANTITIES = st.one_of(
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=1, max_value=2 * QUANTITY_COLUMN_MAX),
    st.sampled_from([999_999_999, 10**9, QUANTITY_COLUMN_MAX, QUANTITY_COLUMN_MAX + 1]),
)
LINES = st.lists(st.tuples(QUANTITIES, PRICES), min_size=1, max_size=5)


def _expected_line_total(quantity: int, price: Decimal) -> Decimal:
    unit = price.quantize(CENT, rounding=ROUND_HALF_UP)
    return (unit * quantity).quantize(CENT, rounding=ROUND_HALF_UP)


def test_order_totals_are_exact_and_inside_their_columns_or_the_order_is_refused(buyer, supplier, record_property):
    counts = {"placed": 0, "refused": 0}

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lines=LINES)
    @example(lines=[(999_999_999, UNIT_MAX)])
    @example(lines=[(QUANTITY_COLUMN_MAX + 1, Decimal("0.01"))])
    @example(lines=[(1, UNIT_MAX + CENT)])
    @example(lines=[(1, Decimal("0.005")), (1, Decimal("0.015"))])
    def check(lines):
        _check_lines(buyer, supplier, lines, counts)

    check()
    record_property(
        "figure",
        f"order totals: {sum(counts.values())} examples, {counts['placed']} placed, {counts['refused']} refused",
    )
    assert counts["placed"] >= 100 and counts["refused"] >= 100  # both sides of the rule were tried


def _check_lines(buyer, supplier, lines, counts) -> None:
    company = buyer.buyer_membership.company
    purchase = Purchase.objects.create(
        buyer=company, placed_by=buyer, source="api", idempotency_key=uuid.uuid4().hex, fingerprint="-"
    )
    drafts = [
        OrderLineDraft(title=f"Line {i}", quantity=q, unit_price=p, unit="piece") for i, (q, p) in enumerate(lines)
    ]
    expected = [_expected_line_total(q, p) for q, p in lines]
    fits = (
        all(q <= QUANTITY_COLUMN_MAX for q, _ in lines)
        and all(p.quantize(CENT, rounding=ROUND_HALF_UP) <= UNIT_MAX for _, p in lines)
        and sum(expected, Decimal("0")) <= TOTAL_MAX
    )
    before = Order.objects.count(), OrderLine.objects.count()
    try:
        order = order_create(
            purchase=purchase, buyer=company, actor=buyer, supplier=supplier, kind="bulk", currency="USD",
            lines=drafts, terms={k: PLACING_TERMS[k] for k in ("shipping_address", "ship_to_country", "incoterm")},
            lead_time_days=None, language="en",
        )  # fmt: skip
    except ApplicationError:
        counts["refused"] += 1
        assert not fits, f"refused lines that fit: {lines}"
        assert (Order.objects.count(), OrderLine.objects.count()) == before
        return
    counts["placed"] += 1
    assert fits, f"took lines that do not fit: {lines}"
    order.refresh_from_db()
    stored = list(order.lines.order_by("position").values_list("quantity", "unit_price", "line_total"))
    assert [(q, t) for q, _, t in stored] == [(q, t) for (q, _), t in zip(lines, expected, strict=True)]
    assert order.subtotal == sum(expected, Decimal("0")) == sum((t for *_, t in stored), Decimal("0"))
    assert order.total == order.subtotal - order.sample_credit
    assert order.total <= TOTAL_MAX and all(u <= UNIT_MAX for _, u, _ in stored)
