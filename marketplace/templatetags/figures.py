"""Large figures in a few characters, as a reader of each language counts them: 21.1 billion in
English, 210.6亿 in Chinese (Chinese groups by 10⁴ and 10⁸, not by thousands)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

# Chinese units: 亿 (10⁸) and 万 (10⁴).
_CHINESE_UNITS = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))


@register.filter
def compact(value: object) -> str:
    """A whole amount shortened past a million (below, grouped as usual); "–" for nothing."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value))
    if abs(amount) < 1_000_000:
        return str(intcomma(int(amount.to_integral_value())))
    if (get_language() or "en").lower().startswith("zh"):
        for size, unit in _CHINESE_UNITS:
            if abs(amount) >= size:
                shortened = (amount / size).quantize(Decimal("0.1"), ROUND_HALF_UP)
                return f"{number_format(shortened, decimal_pos=1, force_grouping=True)}{unit}"
    return str(intword(int(amount)))
