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
    return number_format(value, decimal_pos=None if isinstance(value, int) else 0, use_l10n=True, force_grouping=True)


def _render(chart: pygal.graph.graph.Graph, label: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    # The table under the chart carries its data for assistive technology.
    svg = svg.replace("<svg ", f'<svg role="img" aria-hidden="true" focusable="false" data-label="{label}" ', 1)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703: pygal escapes the labels and values it writes


def _chart(
    kind: type[pygal.graph.graph.Graph], *, labels: Sequence[str], legend: bool, **options: object
) -> pygal.graph.graph.Graph:
    return kind(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=800,
        height=300,
        show_legend=legend,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(labels) // 8),
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
    return _render(chart, label)


def bar_chart(
    label: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | int | Decimal | None]]], *,
    horizontal: bool = False,
) -> SafeString:  # fmt: skip
    """Bars per series over `labels` (months, countries, categories)."""
    chart = _chart(pygal.HorizontalBar if horizontal else pygal.Bar, labels=labels, legend=len(series) > 1)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [None if v is None else float(v) for v in values])
    return _render(chart, label)
