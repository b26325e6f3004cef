"""The `compact` filter (marketplace/templatetags/figures.py): large amounts in a few characters,
in the units each language counts in."""

import pytest
from django.template import Context, Template
from django.utils import translation


def render(value, language):
    with translation.override(language):
        return Template("{% load figures %}{{ value|compact }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (None, "–", "–"),
        (980_000, "980,000", "980,000"),
        (21_055_810_411, "21.1 billion", "210.6亿"),
        (3_260_022_191, "3.3 billion", "32.6亿"),
        (52_181_848, "52.2 million", "5,218.2万"),
        ("7386327920.50", "7.4 billion", "73.9亿"),
    ],
)
def test_compact_writes_large_amounts_in_each_languages_units(value, english, chinese):
    """English shortens by thousands (million, billion); Chinese by 万 (10⁴) and 亿 (10⁸)."""
    assert render(value, "en") == english
    assert render(value, "zh-hans") == chinese
