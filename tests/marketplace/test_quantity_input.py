"""Quantities people type are read as they write them, and nothing else is guessed at
(marketplace.numbers.parse_quantity, the QuantityField of the listing grid and the cart)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.numbers import QuantityField, QuantityTextError, parse_quantity

MAX = 999_999_999


@pytest.mark.parametrize(
    "typed",
    [
        "2000", " 2000 ", "2,000", "2 000", "2\u00a0000", "2\u202f000", "2\u2009000",
        "２０００", "２，０００", "２\u3000０００", "2000\u3000",
    ],
)  # fmt: skip
def test_grouped_and_full_width_quantities_are_read(typed):
    assert parse_quantity(typed, max_value=MAX) == 2000


def test_larger_groups_and_nothing_typed():
    assert parse_quantity("12,345,678", max_value=MAX) == 12_345_678
    assert parse_quantity("999 999 999", max_value=MAX) == MAX
    assert parse_quantity("0", max_value=MAX) == 0
    assert parse_quantity("   ", max_value=MAX) is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("2.5", "not_whole"),
        ("2.000", "not_whole"),  # two thousand in Germany, two here: never guessed
        ("2000.00", "not_whole"),
        ("1,5", "grouping"),  # a decimal comma, not fifteen
        ("20,00", "grouping"),
        ("2,000 000", "grouping"),  # one separator per number
        ("2,0000", "grouping"),
        ("-5", "negative"),
        ("١٢", "digits"),
        ("१२", "digits"),
        ("1_000", "digits"),
        ("abc", "invalid"),
        ("2万", "invalid"),
        ("1e3", "invalid"),
        ("1000000000", "max_value"),
        ("9" * 5000, "max_value"),  # read without converting 5,000 digits
    ],
)
def test_anything_else_is_refused_with_why(typed, code):
    with pytest.raises(QuantityTextError) as refused:
        parse_quantity(typed, max_value=MAX)
    assert refused.value.code == code and refused.value.message


def test_the_messages_quote_what_was_typed():
    with pytest.raises(QuantityTextError) as refused:
        parse_quantity("2.5", max_value=MAX)
    assert refused.value.message == "“2.5” is not a whole number: order whole units, without a decimal point."
    with pytest.raises(QuantityTextError) as refused:
        parse_quantity("x" * 100, max_value=MAX)
    assert "“xxxxxxxxxxxxxxxxxxx…”" in refused.value.message  # long text is cut short


@given(st.integers(min_value=0, max_value=MAX), st.sampled_from([",", " ", "\u00a0", "\u202f", "，"]), st.booleans())
def test_any_quantity_written_any_accepted_way_reads_back(number, separator, full_width):
    written = f"{number:,}".replace(",", separator)
    if full_width:
        written = written.translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)})
    assert parse_quantity(written, max_value=MAX) == number


def test_the_form_field_gives_the_message_and_none_for_empty():
    field = QuantityField(max_value=MAX, required=False)
    assert field.clean("2,000") == 2000 and field.clean("") is None
    with pytest.raises(Exception, match="is not a number"):
        field.clean("ten")
    assert 'inputmode="numeric"' in field.widget.render("q", "")
