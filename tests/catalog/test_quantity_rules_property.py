"""The quantity rules and the nearest orders they offer, as properties (hypothesis).

For any listing rules (MOQ, pack multiple, mixed batch or per variant with variants' own MOQs)
and any order: an order the rules accept is its own nearest; every nearest order offered is
accepted by the rules, changes only the lines it may change, and lies on its side of what was
asked; and none is farther than it must be: no accepted order lies strictly between it and what
was asked (checked exhaustively on small orders).
"""

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalog.rules import MAX_LINE_QUANTITY, QuantityRules, quantity_errors, quantity_verdict

LABELS = ("Navy", "Black", "Red")


@st.composite
def rules_and_orders(draw, *, largest: int = 200, variants: int = 3, moq: int = 60, multiples=(1, 1, 2, 5, 6, 12, 25)):
    count = draw(st.integers(min_value=0, max_value=variants))
    labels = list(LABELS[:count]) or [""]
    per_variant = count > 0 and draw(st.booleans())
    rules = QuantityRules(
        moq=draw(st.integers(min_value=1, max_value=moq)),
        order_multiple=draw(st.sampled_from(multiples)),
        per_variant=per_variant,
        variant_moqs={label: draw(st.none() | st.integers(min_value=1, max_value=moq)) for label in labels},
        unit=draw(st.sampled_from(["set", "piece", "kg", ""])),
    )
    order = {label: draw(st.integers(min_value=0, max_value=largest)) for label in labels}
    free = draw(st.none() | st.sets(st.sampled_from(labels)))
    return rules, order, free


def accepted(rules, order) -> bool:
    return not quantity_errors(rules, order)


@settings(max_examples=600, deadline=None)
@given(rules_and_orders())
@example((QuantityRules(moq=5, order_multiple=5, unit="set"), {"": 3}, None))
@example((QuantityRules(moq=10, order_multiple=6), {"Navy": 4, "Black": 5}, None))
def test_nearest_orders_are_accepted_and_an_accepted_order_is_its_own_nearest(case):
    rules, order, free = case
    verdict = quantity_verdict(rules, order, free=free)
    if accepted(rules, order):
        assert verdict.ok and verdict.below == order and verdict.above == order and not verdict.nearest
        return
    assert verdict.errors and not verdict.ok
    may_change = {label for label, q in order.items() if q and (free is None or label in free)}
    for nearest, side in ((verdict.below, -1), (verdict.above, 1)):
        if nearest is None:
            continue
        assert accepted(rules, nearest), (rules, order, nearest)
        assert set(nearest) == set(order)
        for label, q in order.items():
            if label not in may_change:
                assert nearest[label] == q  # a line that may not change, or was not ordered, is kept
            else:
                assert (nearest[label] - q) * side >= 0 and nearest[label] > 0
    texts = list(verdict.options)
    assert len(texts) == (verdict.below is not None) + (verdict.above is not None)
    assert all(text in verdict.nearest for text in texts)


@settings(max_examples=300, deadline=None)
@given(rules_and_orders(largest=12, variants=2, moq=12, multiples=(1, 2, 3, 5)))
def test_no_accepted_order_lies_between_the_nearest_and_what_was_asked(case):
    """Exhaustive on small orders: `below` is the largest accepted order (by its total) with no
    line above what was asked, `above` the smallest with no line under it, each changing only the
    lines it may; and there is an `above` whenever one exists within reach."""
    rules, order, free = case
    verdict = quantity_verdict(rules, order, free=free)
    if verdict.ok:
        return
    changing = [label for label, q in order.items() if q and (free is None or label in free)]
    # Past this nothing is nearer: every minimum and the MOQ are met, rounded up to a pack.
    reach = 12 + 12 + 2 * rules.order_multiple
    candidates_below, candidates_above = [], []
    for values in itertools.product(*(range(1, reach + 1) for _ in changing)):
        candidate = {**order, **dict(zip(changing, values, strict=True))}
        if not accepted(rules, candidate):
            continue
        if all(candidate[label] <= order[label] for label in changing):
            candidates_below.append(sum(candidate.values()))
        if all(candidate[label] >= order[label] for label in changing):
            candidates_above.append(sum(candidate.values()))
    if verdict.below is None:
        assert not candidates_below, (rules, order, free)
    else:
        assert sum(verdict.below.values()) == max(candidates_below)
    if verdict.above is None:
        assert not candidates_above, (rules, order, free)
    else:
        assert sum(verdict.above.values()) == min(candidates_above)


@given(st.integers(min_value=MAX_LINE_QUANTITY - 50, max_value=MAX_LINE_QUANTITY + 50), st.sampled_from([1, 7, 25]))
def test_nothing_is_offered_past_what_one_line_holds(quantity, multiple):
    rules = QuantityRules(moq=1, order_multiple=multiple)
    verdict = quantity_verdict(rules, {"": quantity})
    for nearest in (verdict.below, verdict.above):
        assert nearest is None or nearest[""] <= MAX_LINE_QUANTITY
    if quantity > MAX_LINE_QUANTITY:
        assert verdict.errors and verdict.above is None and verdict.below is not None


def test_the_words_of_a_refusal():
    """The words every door shows (the grid, the cart, checkout, the API)."""
    verdict = quantity_verdict(QuantityRules(moq=5, order_multiple=5, unit="set"), {"": 3})
    assert verdict.messages == [
        "The minimum order is 5 sets (you entered 3).",
        "Sold in multiples of 5 sets: 3 is not one.",
        "Nearest you can order: 5 sets.",
    ]
    verdict = quantity_verdict(QuantityRules(moq=5, order_multiple=5, unit="set"), {"": 12})
    assert verdict.nearest == "Nearest you can order: 10 sets or 15 sets."
    mixed = quantity_verdict(QuantityRules(moq=10, unit="piece"), {"Navy": 4, "Black": 3})
    assert mixed.messages == [
        "The minimum order is 10 pieces in total, mixed across the variants (you entered 7).",
        "Nearest you can order: Navy 7 + Black 3 (10 pieces in all).",
    ]
    one = quantity_verdict(QuantityRules(moq=10, unit="piece"), {"Navy": 4, "Black": 0})
    assert one.nearest == "Nearest you can order: 10 pieces of Navy."
