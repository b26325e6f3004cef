"""Charts drawn on the server as SVG by pygal, in the site's Bootstrap colours.

No script and nothing from another origin: pygal's JavaScript is turned off (`js=[]`) and the
config script and comments it still writes into the SVG are removed, so the chart is a plain
picture that the Content-Security-Policy allows. Numbers and dates on the axes are formatted in the
reader's language (the active language when the chart is drawn). Each chart on a page has its
data as a table under it, which is what screen readers read (the SVG is `aria-hidden`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import pygal
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# Bootstrap 5's palette (primary, success, orange, purple, danger, teal), body text and muted grey.
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    guide_stroke_color="#dee2e6",
    major_guide_stroke_color="#dee2e6",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans SC', 'PingFang SC', sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
    title_font_size=15,
    opacity=".85",
    opacity_hover="1",
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _number(value: float | int | Decimal | None) -> str:
    if value is None:
        return ""
    # Axis steps of small counts are fractions (0.5, 1, 1.5): keep one decimal there, none above 10.
    number = float(value)
    whole = number.is_integer() or abs(number) >= 10
    return number_format(value, decimal_pos=0 if whole else 1, use_l10n=True, force_grouping=True)


def _render(chart: pygal.graph.graph.Graph, label: str, names: Sequence[str]) -> SafeString:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    # The table under the chart carries its data for assistive technology.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    # The legend in HTML under the picture: it wraps on a narrow screen (pygal's own legend is cut).
    legend = format_html_join(
        "",
        '<li class="list-inline-item me-3"><span class="d-inline-block rounded-1 me-1 align-middle" '
        'style="width:.8rem;height:.8rem;background:{}"></span>{}</li>',
        ((STYLE.colors[i % len(STYLE.colors)], name) for i, name in enumerate(names)),
    )
    # pygal escapes the labels and values it writes; the legend is built by format_html.
    legend_html = format_html('<ul class="list-inline small mb-0 mt-1">{}</ul>', legend) if len(names) > 1 else ""
    return mark_safe(svg + legend_html)  # noqa: S308  # nosec B308, B703


def _chart(
    kind: type[pygal.graph.graph.Graph],
    *,
    labels: Sequence[str],
    legend: bool,
    width: int = 800,
    height: int = 320,
    **options: object,
) -> pygal.graph.graph.Graph:
    return kind(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=width,
        height=height,
        show_legend=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, -(-len(labels) // 7)),
        truncate_label=-1,
        value_formatter=_number,
        print_values=False,
        margin=8,
        **options,
    )


def line_chart(
    label: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | int | Decimal]]]
) -> SafeString:
    """A line per series over `labels` (days or months)."""
    chart = _chart(
        pygal.Line, labels=labels, legend=len(series) > 1, fill=False, dots_size=2, show_dots=len(labels) <= 31
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [float(v) for v in values])
    return _render(chart, label, [name for name, _values in series])


LABEL_WIDTH = 30  # beside horizontal bars, in Latin characters; a CJK character counts as two


def _shorten(label: str, width: int = LABEL_WIDTH) -> str:
    """`label` cut to `width` (a CJK character counting as two), ending in "…" when cut."""
    used = 0
    for index, character in enumerate(label):
        used += 2 if ord(character) >= 0x2E80 else 1
        if used > width - 1 and index < len(label) - 1:
            return label[:index].rstrip() + "…"
    return label


def bar_chart(
    label: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | int | Decimal | None]]], *,
    horizontal: bool = False,
) -> SafeString:  # fmt: skip
    """Bars per series over `labels` (months, countries, categories)."""
    if horizontal:  # drawn in half a row, one bar group per label
        # Labels are drawn beside the bars: a long listing title would leave the bars no room, so
        # each is cut to a width (the table under the chart has them whole).
        labels = [_shorten(label) for label in labels]
        size = {"width": 480, "height": 90 + 34 * max(1, len(labels)) * len(series) + (30 if len(series) > 1 else 0)}
        # pygal reserves room for labels as if every character were Latin; a CJK one is twice as wide.
        wide = max((sum(1 for ch in label if ord(ch) >= 0x2E80) for label in labels), default=0)
        chart = _chart(pygal.HorizontalBar, labels=labels, legend=len(series) > 1, margin_left=8 + 7 * wide, **size)
    else:
        chart = _chart(pygal.Bar, labels=labels, legend=len(series) > 1)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [None if v is None else float(v) for v in values])
    return _render(chart, label, [name for name, _values in series])
