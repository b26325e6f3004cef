"""The tables of the analytics pages: each chart's data, shown under it and offered as CSV.

A table is built once from a selector's result and read three ways: the page formats its cells in
the reader's language, the CSV writes them plainly (ISO dates, decimal points, no grouping), and the
chart draws its numeric columns.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import country_name

from .selectors import BeltAnalytics, SupplierAnalytics

# Cell kinds: how a page shows the value.
INT, MONEY, PERCENT, DAY, MONTH, TEXT, DECIMAL, PRICE = (
    "int",
    "money",
    "percent",
    "day",
    "month",
    "text",
    "decimal",
    "price",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    kind: str


@dataclass
class Table:
    name: str
    title: Any
    columns: list[Column]
    rows: list[list[Any]]

    def shown(self) -> list[list[str]]:
        """The rows as the page shows them, in the active language."""
        return [
            [show(value, column.kind) for value, column in zip(row, self.columns, strict=True)] for row in self.rows
        ]

    def only(self, keys: Sequence[str]) -> Table:
        """This table with only the columns `keys`, in that order (same name and title: its CSV is
        still the whole table)."""
        indexes = [next(i for i, c in enumerate(self.columns) if c.key == key) for key in keys]
        return Table(
            self.name, self.title, [self.columns[i] for i in indexes], [[row[i] for i in indexes] for row in self.rows]
        )

    def column(self, key: str) -> list[Any]:
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return [row[index] for row in self.rows]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(c.label) for c in self.columns])
        for row in self.rows:
            writer.writerow([plain(value) for value in row])
        return "\ufeff" + out.getvalue()  # a BOM: spreadsheet programs then read the Chinese as UTF-8


def short(value: Any, kind: str) -> str:
    """A chart's axis label: a day or a month in few characters, in the active language."""
    zh = (get_language() or "en").startswith("zh")
    if kind == DAY:
        return f"{value.month}月{value.day}日" if zh else date_format(value, "M j")
    if kind == MONTH:
        return f"{value.year % 100}年{value.month}月" if zh else date_format(value, "M y")
    return show(value, kind)


def show(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "–"
    if kind == DAY:
        return date_format(value, "MONTH_DAY_FORMAT")
    if kind == MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == MONEY:
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if kind == PRICE:
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if kind in (PERCENT, DECIMAL):
        text = number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
        return f"{text} %" if kind == PERCENT else text
    if kind == INT:
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _title(row: Mapping[str, Any], prefix: str = "listing__") -> str:
    zh, en = row.get(f"{prefix}title_zh") or "", row.get(f"{prefix}title_en") or ""
    return (zh or en) if (get_language() or "en").startswith("zh") else (en or zh)


def supplier_tables(data: SupplierAnalytics) -> dict[str, Table]:
    step = DAY if data.step == "day" else MONTH
    series = Table(
        "activity",
        _("Views, inquiries and orders"),
        [
            Column("day", _("Day") if step == DAY else _("Month"), step),
            Column("listing_views", _("Listing views"), INT),
            Column("profile_views", _("Profile views"), INT),
            Column("inquiries", _("Inquiries"), INT),
            Column("inquiries_answered", _("Answered"), INT),
            Column("rfqs_received", _("RFQs received"), INT),
            Column("rfqs_quoted", _("RFQs quoted"), INT),
            Column("rfqs_won", _("RFQs won"), INT),
            Column("orders", _("Orders"), INT),
            Column("revenue", _("Revenue (CNY)"), MONEY),
        ],
        [],
    )
    series.rows = [[point[c.key] for c in series.columns] for point in data.series]
    countries = Table(
        "countries",
        _("Buyer countries"),
        [
            Column("country", _("Country"), TEXT),
            Column("buyers", _("Buying companies"), INT),
            Column("orders", _("Orders"), INT),
            Column("revenue", _("Revenue (CNY)"), MONEY),
        ],
        [[country_name(r["country"]), r["buyers"], r["orders"], r["revenue"]] for r in data.countries],
    )
    listings = Table(
        "listings",
        _("Top listings"),
        [
            Column("title", _("Listing"), TEXT),
            Column("views", _("Views"), INT),
            Column("inquiries", _("Inquiries"), INT),
            Column("orders", _("Orders"), INT),
            Column("revenue", _("Revenue (CNY)"), MONEY),
        ],
        [[_title(r), r["views"], r["inquiries"], r["orders"], r["revenue"]] for r in data.top_listings],
    )
    return {t.name: t for t in (series, countries, listings)}


# The belt's month-by-month table is shown in parts, each under the chart it belongs with, so that no
# part needs scrolling sideways; every column is in one part, and the CSV has them all.
MONTH_PARTS = {
    "funnel": (
        "invitations", "applications", "submissions", "certifications", "rejections", "days_to_submit",
        "days_to_certify", "coverage",
    ),
    "trade": ("suppliers_certified", "listings_public", "trade_volume"),
    "orders": ("orders", "buyers", "response_rate", "quote_rate"),
}  # fmt: skip


def month_parts(months: Table) -> dict[str, Table]:
    """The parts of MONTH_PARTS whose columns `months` has (the public table has no funnel)."""
    keys = {column.key for column in months.columns}
    return {part: months.only(("month", *columns)) for part, columns in MONTH_PARTS.items() if set(columns) <= keys}


def belt_tables(data: BeltAnalytics, *, public: bool) -> dict[str, Table]:
    """The belt's tables; `public` leaves out what only its operators read (the onboarding funnel)."""
    month_columns = [
        Column("month", _("Month"), MONTH),
        Column("suppliers_certified", _("Certified companies"), INT),
        Column("listings_public", _("Public listings"), INT),
        Column("orders", _("Orders"), INT),
        Column("trade_volume", _("Trade volume (CNY)"), MONEY),
        Column("buyers", _("Buying companies"), INT),
        Column("response_rate", _("Inquiries answered within 24 hours"), PERCENT),
        Column("quote_rate", _("RFQs quoted"), PERCENT),
    ]
    if not public:
        month_columns[1:1] = [
            Column("invitations", _("Invitations"), INT),
            Column("applications", _("Applications started"), INT),
            Column("submissions", _("Applications submitted"), INT),
            Column("certifications", _("Certified"), INT),
            Column("rejections", _("Rejected"), INT),
            Column("days_to_submit", _("Median days to submit"), DECIMAL),
            Column("days_to_certify", _("Median days to certify"), DECIMAL),
            Column("coverage", _("Certification coverage"), PERCENT),
        ]
    months = Table("months", _("Month by month"), month_columns, [])
    months.rows = [[m[c.key] for c in month_columns] for m in data.months]
    categories = Table(
        "categories",
        _("Trade by category"),
        [
            Column("category", _("Category"), TEXT),
            Column("orders", _("Orders"), INT),
            Column("quantity", _("Quantity"), INT),
            Column("trade_volume", _("Trade volume (CNY)"), MONEY),
        ],
        [[c["category"].name, c["orders"], c["quantity"], c["trade_volume"]] for c in data.categories],
    )
    category_months = Table(
        "category_months",
        _("Trade by category and month"),
        [
            Column("month", _("Month"), MONTH),
            Column("category", _("Category"), TEXT),
            Column("orders", _("Orders"), INT),
            Column("quantity", _("Quantity"), INT),
            Column("trade_volume", _("Trade volume (CNY)"), MONEY),
        ],
        [[c["month"], c["category"].name, c["orders"], c["quantity"], c["trade_volume"]] for c in data.category_months],
    )
    prices = Table(
        "prices",
        _("Price index"),
        [
            Column("month", _("Month"), MONTH),
            Column("category", _("Category"), TEXT),
            Column("reference_quantity", _("Reference quantity"), INT),
            Column("median_unit_price", _("Median unit price (CNY)"), PRICE),
            Column("priced_listings", _("Listings priced"), INT),
        ],
        [
            [p["month"], p["category"].name, p["reference_quantity"], p["median_unit_price"], p["priced_listings"]]
            for p in data.price_index
        ],
    )
    countries = Table(
        "countries",
        _("Buyer countries"),
        [
            Column("country", _("Country"), TEXT),
            Column("orders", _("Orders"), INT),
            Column("trade_volume", _("Trade volume (CNY)"), MONEY),
        ],
        [[country_name(c["country"]), c["orders"], c["trade_volume"]] for c in data.countries],
    )
    return {t.name: t for t in (months, categories, category_months, prices, countries)}
