"""Bulk listings: a supplier's CSV or XLSX file in, its listings created or updated, a row report out.

The file is checked when it is uploaded (size, content, header, row count) and refused whole with
a message when it cannot be read, so nothing is queued that cannot run. A background job then
works through the rows in small transactions, moving the progress bar after each. Each row
stands alone: a bad row is reported with its spreadsheet row number and every reason, and never
stops the good ones. The supplier's own SKU is the key: importing the same file again updates the
same listings instead of creating copies, and a job that crashed half-way can be run again.

Quantity and tier rules come from `catalog.rules`, the same ones the listing form uses.
"""

import csv
import datetime
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from belts.models import Category
from marketplace import spreadsheets

from .figures import belt_figures_refresh_later
from .models import Listing, ListingEvent, ListingImport, ListingVariant, PriceTier
from .rules import Tier, validate_tiers
from .selectors_manage import supplier_publish_blocker

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
BATCH_SIZE = 100  # rows per transaction: the progress bar moves after each
MAX_REPORTED_ROWS = 1000  # rows kept in the report; the counts stay exact beyond it
TIER_COUNT = 4
# An xlsx is a zip: refuse one that would unpack to more than this (a zip bomb), before openpyxl.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (an OLE file)
DELIMITERS = (",", ";", "\t")
# Spreadsheets run a cell that starts with one of these as a formula; exports prefix it with "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Key of this module's PostgreSQL advisory locks (one per import job): "LI" as a number.
LOCK_NAMESPACE = 0x4C49


# --- The columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the import file: its English name (the key), its Chinese name, what it holds."""

    key: str
    zh: str
    help: Promise | str
    example: str = ""
    aliases: tuple[str, ...] = ()
    explained: bool = True  # shown in the help table of the upload page (tiers 2–4 repeat tier 1)


def _tier_columns() -> list[Column]:
    """tier1_qty, tier1_price … tier4_qty, tier4_price; only the first pair is explained on the page."""
    examples = {1: ("1", "128000"), 2: ("5", "121000"), 3: ("20", "115000")}
    columns = []
    for n in range(1, TIER_COUNT + 1):
        qty, price = examples.get(n, ("", ""))
        columns += [
            Column(
                f"tier{n}_qty",
                f"阶梯{n}数量",
                gettext_lazy(
                    "Price tier: from this quantity. Tier 1 is required for a new listing; tiers 2 to 4 may be "
                    "empty. The MOQ may not be below tier 1's quantity."
                ),
                qty,
                (f"tier{n}_quantity",),
                explained=n == 1,
            ),
            Column(
                f"tier{n}_price",
                f"阶梯{n}单价",
                gettext_lazy(
                    "The unit price from that quantity. From tier to tier quantities rise and unit prices do not."
                ),
                price,
                explained=n == 1,
            ),
        ]
    return columns


COLUMNS: tuple[Column, ...] = (
    Column(
        "sku",
        "货号",
        gettext_lazy("Required. Your own code for the product; importing it again updates the same listing."),
        "LC-3015-3KW",
        ("商品编码", "编号"),
    ),
    Column(
        "title_en",
        "英文标题",
        gettext_lazy("Title in English (a title in one language is enough)."),
        "Fiber laser cutting machine 3015, 3 kW",
    ),
    Column("title_zh", "中文标题", gettext_lazy("Title in Chinese."), "3015光纤激光切割机 3千瓦"),
    Column("category", "类目", gettext_lazy("Category code, from the list below."), "laser-cutters", ("分类",)),
    Column(
        "description_en",
        "英文描述",
        gettext_lazy("Description in English."),
        "3 kW fiber source, 3000 × 1500 mm bed, CE marked.",
    ),
    Column(
        "description_zh",
        "中文描述",
        gettext_lazy("Description in Chinese."),
        "3千瓦光纤光源，3000×1500毫米床身，CE认证。",
    ),
    Column("unit", "单位", gettext_lazy("piece, set, pair, metre, kg, tonne, carton or unit. Empty: piece."), "set"),
    Column("currency", "币种", gettext_lazy("CNY or USD. Empty: CNY."), "CNY", ("货币",)),
    Column(
        "moq",
        "起订量",
        gettext_lazy("Minimum order quantity, a whole number (required for a new listing)."),
        "1",
        ("最小起订量",),
    ),
    Column(
        "moq_mode",
        "起订方式",
        gettext_lazy("mixed (the MOQ counts across all variants) or per_variant. Empty: mixed."),
        "mixed",
    ),
    Column(
        "order_multiple",
        "订购倍数",
        gettext_lazy("Sold in multiples of this (a carton pack). Empty: 1."),
        "1",
        ("倍数",),
    ),
    Column("lead_time_days", "交期天数", gettext_lazy("Lead time in days. Empty: 15."), "25", ("交期",)),
    Column("monthly_capacity", "月产能", gettext_lazy("Units a month; may be empty."), "60"),
    Column("sample_available", "提供样品", gettext_lazy("yes or no. Empty: no."), "yes", ("样品",)),
    Column(
        "sample_price",
        "样品价格",
        gettext_lazy("Price of a sample; required when a sample is available."),
        "128000",
        ("样品费",),
    ),
    Column("oem", "接受OEM", gettext_lazy("yes or no: you put the buyer's brand on your product."), "yes"),
    Column("odm", "接受ODM", gettext_lazy("yes or no: you design to the buyer's brief."), "no"),
    *_tier_columns(),
    Column(
        "status",
        "状态",
        gettext_lazy(
            "draft or published. Only a supplier certified at least “verified” may publish; "
            "otherwise the row is saved as a draft. Empty: draft."
        ),
        "draft",
    ),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
TEXT_KEYS = ("sku", "title_en", "title_zh", "description_en", "description_zh")

# What a cell may say for each choice, in English or Chinese (compared in lower case).
UNIT_WORDS = {
    **{value: value for value in Listing.Unit.values},
    "pieces": "piece", "pcs": "piece", "pc": "piece", "件": "piece", "个": "piece", "sets": "set", "套": "set",
    "pairs": "pair", "双": "pair", "对": "pair", "meter": "metre", "metres": "metre", "meters": "metre", "m": "metre",
    "米": "metre", "kilogram": "kg", "kilograms": "kg", "千克": "kg", "公斤": "kg", "ton": "tonne", "tonnes": "tonne",
    "tons": "tonne", "t": "tonne", "吨": "tonne", "cartons": "carton", "ctn": "carton", "箱": "carton", "units": "unit",
    "台": "unit",
}  # fmt: skip
CURRENCY_WORDS = {"cny": "CNY", "rmb": "CNY", "人民币": "CNY", "元": "CNY", "usd": "USD", "us$": "USD", "美元": "USD"}
MOQ_MODE_WORDS = {
    "mixed": "mixed", "mixed batch": "mixed", "混批": "mixed", "可混批": "mixed",
    "per_variant": "per_variant", "per variant": "per_variant", "按款": "per_variant", "每款": "per_variant",
}  # fmt: skip
STATUS_WORDS = {
    "draft": "draft", "草稿": "draft", "下架": "draft",
    "published": "published", "publish": "published", "发布": "published", "已发布": "published", "上架": "published",
}  # fmt: skip
YES_WORDS = {"yes", "y", "true", "1", "是", "有", "可", "支持"}
NO_WORDS = {"no", "n", "false", "0", "否", "无", "没有", "不", "不支持"}


def _header_key(cell: str) -> str:
    """The comparable form of a header cell: no BOM or required-star, lower case, `_` for spaces."""
    text = cell.replace("\ufeff", "").strip().lstrip("*").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.zh, *_column.aliases):
        HEADER_NAMES[_header_key(_name)] = _column.key


def header_row(language: str | None = None) -> list[str]:
    """The header of the template and of an export: Chinese names for a Chinese reader, else English."""
    chinese = (language or translation.get_language() or "en").lower().startswith("zh")
    return [column.zh if chinese else column.key for column in COLUMNS]


# --- Reading a file -----------------------------------------------------------------------------


@dataclass
class Sheet:
    """A file's table: where each known column is, its header as written, and the non-blank rows."""

    format: str
    columns: dict[str, int]
    labels: dict[str, str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    declared_rows: int | None = None  # an xlsx read header-only: the rows its sheet says it has


def _too_big() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s. Split it into files of at most %(rows)s rows.")
        % {"limit": filesizeformat(MAX_FILE_BYTES), "rows": f"{MAX_ROWS:,}"},
        code="too_large",
    )


def read_capped(file: Any) -> bytes:
    """The file's bytes, refusing one above the size cap without reading more than one byte past it."""
    try:
        data = spreadsheets.read_capped(file, max_bytes=MAX_FILE_BYTES)
    except spreadsheets.FileTooLarge:
        raise _too_big() from None
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def sniff_format(data: bytes) -> str:
    """ "xlsx" or "csv", judged by the content (never the file name)."""
    if data.startswith(XLSX_MAGIC):
        return ListingImport.Format.XLSX
    if data.startswith(XLS_MAGIC):
        raise ValidationError(
            _("This is an old Excel file (.xls). In Excel choose Save as › Excel Workbook (.xlsx) or CSV."),
            code="xls",
        )
    return ListingImport.Format.CSV


def _decode(data: bytes) -> str:
    try:
        return spreadsheets.decode_csv_text(data)
    except spreadsheets.NotTextCsv:
        raise ValidationError(
            _("The file is neither an Excel workbook (.xlsx) nor a text CSV file in UTF-8 or GBK encoding."),
            code="not_csv",
        ) from None


def _csv_records(data: bytes) -> Iterator[list[str]]:
    lines = _decode(data).splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        # Excel's own hint line, e.g. "sep=;". Excel hides it, so the header stays row 1.
        delimiter = lines[0].strip()[4]
        lines = lines[1:]
    else:
        first = lines[0] if lines else ""
        delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ValidationError(
            _("The file could not be read as CSV near line %(line)s.") % {"line": reader.line_num}, code="bad_csv"
        ) from exc


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _unreadable_xlsx() -> ValidationError:
    return ValidationError(
        _("The file looks like an Excel workbook but cannot be opened. Save it again as .xlsx or as CSV."),
        code="bad_xlsx",
    )


def _open_xlsx(data: bytes) -> Any:
    """The workbook in `data`, opened read-only once it passed the zip checks (a real xlsx, no bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _unreadable_xlsx() from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _unreadable_xlsx()
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise _too_big()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise ValueError("no worksheet")
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise _unreadable_xlsx() from exc
    return workbook


def _xlsx_records(workbook: Any) -> Iterator[list[str]]:
    """The first sheet's rows as text cells (the workbook is closed when they are read or dropped)."""
    try:
        # Read-only sheets yield an empty tuple for an empty row, so the count is the row number.
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_xlsx_cell(value) for value in row]
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(rows)s rows. Split it into smaller files.") % {"rows": f"{MAX_ROWS:,}"},
        code="too_many_rows",
    )


def read_sheet(data: bytes, fmt: str, *, header_only: bool = False) -> Sheet:
    """The table in `data`; ValidationError (a message for the supplier) if it cannot be imported.

    `header_only` reads an xlsx's first row and the row count its sheet declares, not every cell:
    parsing a full 20,000-row workbook takes seconds, which belong in the background job.
    """
    declared_rows = None
    if fmt == ListingImport.Format.XLSX:
        workbook = _open_xlsx(data)
        max_row = workbook.worksheets[0].max_row  # from the sheet's <dimension>; None if it has none
        declared_rows = max(0, max_row - 1) if max_row else None
        records = _xlsx_records(workbook)
    else:
        records = _csv_records(data)
    header = next(records, [])
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        name = cell.replace("\ufeff", "").strip()
        if not name:
            continue
        key = HEADER_NAMES.get(_header_key(name))
        if key is None:
            unknown.append(name)
        elif key in columns:
            raise ValidationError(
                _("The column %(column)s appears twice in the first row.") % {"column": name}, code="duplicate_column"
            )
        else:
            columns[key], labels[key] = index, name
    if "sku" not in columns:
        raise ValidationError(
            _("The first row must name the columns, and one of them must be sku (货号). Download the template."),
            code="no_header",
        )
    if unknown:
        raise ValidationError(
            _("The first row has columns this import does not know: %(columns)s. Use the template's column names.")
            % {"columns": ", ".join(unknown[:5])},
            code="unknown_columns",
        )
    if header_only and declared_rows:  # a sheet without a (plausible) size is read whole below
        records.close()
        if declared_rows > MAX_ROWS:
            raise _too_many_rows()
        return Sheet(format=fmt, columns=columns, labels=labels, rows=[], declared_rows=declared_rows)
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue  # blank rows are skipped but keep their number, as the spreadsheet does
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, cells))
    if not rows:
        raise ValidationError(_("The file has a header row but no listings."), code="no_rows")
    return Sheet(format=fmt, columns=columns, labels=labels, rows=rows)


# --- One row ------------------------------------------------------------------------------------


class _Absent:
    """The file has no such column: on an update the listing keeps its value."""


ABSENT = _Absent()
NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


@dataclass
class RowOutcome:
    line: int
    sku: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # saved, but not quite as asked (kept as draft)
    action: str = ""  # "created" / "updated" once saved


class _Cells:
    """Typed access to one row's cells; each reader appends a message naming the column when wrong."""

    def __init__(self, sheet: Sheet, cells: list[str], errors: list[str]) -> None:
        self.sheet, self.cells, self.errors = sheet, cells, errors

    def label(self, key: str) -> str:
        return self.sheet.labels.get(key, key)

    def has(self, key: str) -> bool:
        return key in self.sheet.columns

    def raw(self, key: str) -> str | _Absent:
        index = self.sheet.columns.get(key)
        if index is None:
            return ABSENT
        value = self.cells[index] if index < len(self.cells) else ""
        if key in TEXT_KEYS and value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
            value = value[1:]  # our own export's guard against spreadsheet formulas
        return value

    def fail(self, key: str, message: str, **params: object) -> None:
        self.errors.append(message % {"column": self.label(key), **params})

    def text(self, key: str, max_length: int) -> str | _Absent:
        value = self.raw(key)
        if isinstance(value, str) and len(value) > max_length:
            self.fail(
                key, _("%(column)s: at most %(max)s characters (this one has %(n)s)."), max=max_length, n=len(value)
            )
        return value

    def integer(self, key: str, *, minimum: int, maximum: int = 2_000_000_000) -> int | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str) or value == "":
            return None if value == "" else value
        number = _number(value)
        if number is None or number != number.to_integral_value():
            self.fail(key, _("%(column)s: “%(value)s” is not a whole number."), value=value)
            return None
        if number < minimum:
            self.fail(key, _("%(column)s: must be at least %(min)s."), min=minimum)
            return None
        if number > maximum:
            self.fail(key, _("%(column)s: must be at most %(max)s."), max=f"{maximum:,}")
            return None
        return int(number)

    def price(self, key: str) -> Decimal | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str) or value == "":
            return None if value == "" else value
        number = _number(value.lstrip("¥￥$").strip())
        if number is None:
            self.fail(
                key, _("%(column)s: “%(value)s” is not a price; write digits and a point, e.g. 12.50."), value=value
            )
            return None
        if number < 0:
            self.fail(key, _("%(column)s: cannot be negative."))
            return None
        if number != number.quantize(Decimal("0.01")):
            self.fail(key, _("%(column)s: at most two decimal places (“%(value)s”)."), value=value)
            return None
        if number >= Decimal("1e10"):
            self.fail(key, _("%(column)s: “%(value)s” is too large."), value=value)
            return None
        return number.quantize(Decimal("0.01"))

    def boolean(self, key: str) -> bool | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str) or value == "":
            return None if value == "" else value
        word = value.lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        self.fail(key, _("%(column)s: “%(value)s” is neither yes nor no."), value=value)
        return None

    def choice(self, key: str, words: dict[str, str], allowed: Iterable[str]) -> str | _Absent | None:
        value = self.raw(key)
        if not isinstance(value, str) or value == "":
            return None if value == "" else value
        found = words.get(" ".join(value.lower().split()))
        if found is None:
            self.fail(
                key, _("%(column)s: “%(value)s” is not one of: %(choices)s."), value=value, choices=", ".join(allowed)
            )
        return found


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not NUMBER.match(text.lstrip("-")):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


# Defaults for a new listing when a column is absent or its cell empty (the model's own defaults).
DEFAULTS: dict[str, object] = {
    "description_en": "",
    "description_zh": "",
    "unit": Listing.Unit.PIECE,
    "currency": Listing.Currency.CNY,
    "moq_mode": Listing.MoqMode.MIXED,
    "order_multiple": 1,
    "lead_time_days": 15,
    "monthly_capacity": None,
    "sample_available": False,
    "sample_price": None,
    "oem": False,
    "odm": False,
    "title_en": "",
    "title_zh": "",
}


@dataclass
class _Context:
    """What every row of one job needs, loaded once."""

    supplier: Any
    actor_id: int | None
    publish_blocker: str  # why the supplier may not publish now; empty when it may
    categories: dict[str, int]  # slug (lower case) → id
    with_variants: set[int] = field(default_factory=set)  # ids of this batch's listings that have variants
    seen: dict[str, int] = field(default_factory=dict)  # SKU → first row number, across the whole file


def _clean_row(
    sheet: Sheet, line: int, cells: list[str], existing: Listing | None, ctx: _Context
) -> tuple[RowOutcome, dict[str, object], list[Tier] | None]:
    """The listing fields and tiers one row asks for, and everything wrong with it. No queries.

    A column the file does not have leaves an existing listing's value alone (a file of only sku
    and prices updates prices); an empty cell means the default. A new listing needs a title, a
    category, the MOQ and a first price tier. Returns the outcome (errors, notes), the fields to
    write and the tiers (None: keep the listing's tiers).
    """
    c = _Cells(sheet, cells, [])
    sku = c.text("sku", Listing._meta.get_field("sku").max_length or 64)
    outcome = RowOutcome(line=line, sku=sku if isinstance(sku, str) else "", errors=c.errors)
    if not outcome.sku:
        c.fail("sku", _("%(column)s: the SKU is missing; it is the key that finds the listing on the next import."))
    elif outcome.sku in ctx.seen:
        c.fail(
            "sku",
            _("%(column)s: “%(sku)s” is already on row %(line)s of this file."),
            sku=outcome.sku,
            line=ctx.seen[outcome.sku],
        )
    if existing is not None and existing.status == Listing.Status.ARCHIVED:
        c.fail(
            "sku",
            _("%(column)s: the listing “%(sku)s” is archived; restore it before importing it again."),
            sku=outcome.sku,
        )
    creating = existing is None

    asked: dict[str, object] = {}
    for key in ("title_en", "title_zh", "description_en", "description_zh"):
        asked[key] = c.text(key, Listing._meta.get_field(key).max_length or 100_000)
    category = c.raw("category")
    if isinstance(category, str):
        asked["category_id"] = ctx.categories.get(category.lower())
        if category == "":
            c.fail("category", _("%(column)s: the category is missing."))
        elif asked["category_id"] is None:
            c.fail(
                "category", _("%(column)s: there is no category “%(value)s”; use a code from the list."), value=category
            )
    elif creating:
        c.errors.append(_("%(column)s: required to create a listing.") % {"column": "category"})
    asked["unit"] = c.choice("unit", UNIT_WORDS, Listing.Unit.values)
    asked["currency"] = c.choice("currency", CURRENCY_WORDS, Listing.Currency.values)
    asked["moq"] = c.integer("moq", minimum=1)
    if c.raw("moq") == "":
        c.fail("moq", _("%(column)s: the minimum order quantity is missing."))
    elif creating and not c.has("moq"):
        c.errors.append(_("%(column)s: required to create a listing.") % {"column": "moq"})
    asked["moq_mode"] = c.choice("moq_mode", MOQ_MODE_WORDS, Listing.MoqMode.values)
    asked["order_multiple"] = c.integer("order_multiple", minimum=1)
    asked["lead_time_days"] = c.integer("lead_time_days", minimum=0, maximum=32767)
    asked["monthly_capacity"] = c.integer("monthly_capacity", minimum=1)
    asked["sample_available"] = c.boolean("sample_available")
    asked["sample_price"] = c.price("sample_price")
    asked["oem"] = c.boolean("oem")
    asked["odm"] = c.boolean("odm")
    status = c.choice("status", STATUS_WORDS, ("draft", "published"))

    errors_before_tiers = len(c.errors)
    tiers = _clean_tiers(c)
    tiers_readable = len(c.errors) == errors_before_tiers
    if creating and tiers is None:
        c.errors.append(
            _("%(column)s: a new listing needs at least one price tier.") % {"column": "tier1_qty, tier1_price"}
        )

    # What to write: an absent column keeps the listing's value (or, when new, the default);
    # an empty cell is the default.
    fields: dict[str, object] = {}
    for key, value in asked.items():
        if isinstance(value, _Absent):
            if creating:
                fields[key] = DEFAULTS.get(key)
            continue
        fields[key] = DEFAULTS.get(key) if value is None else value
    final = {key: fields[key] if key in fields else getattr(existing, key, None) for key in asked}

    if not (final["title_en"] or final["title_zh"]):
        c.errors.append(
            _("%(en)s / %(zh)s: give a title in English or in Chinese.")
            % {"en": c.label("title_en"), "zh": c.label("title_zh")}
        )
    if final["sample_available"] and final["sample_price"] is None:
        c.fail("sample_price", _("%(column)s: give the sample price when a sample is available."))
    if final["moq_mode"] == Listing.MoqMode.PER_VARIANT and (existing is None or existing.pk not in ctx.with_variants):
        # The listing form's rule too: variants are added on the listing's page, not by the import.
        c.fail("moq_mode", _("%(column)s: a per-variant MOQ needs variants; add them on the listing's page first."))
    tier_list = tiers if tiers is not None else _existing_tiers(existing)
    if isinstance(final["moq"], int) and tier_list and tiers_readable:
        # The quantity rules every door shares; an update that changes only the MOQ is checked
        # against the listing's own tiers.
        c.errors.extend(validate_tiers(tier_list, moq=final["moq"]))

    if isinstance(status, _Absent):
        if creating:
            fields["status"] = Listing.Status.DRAFT
    else:
        status = status or Listing.Status.DRAFT
        if status == Listing.Status.PUBLISHED and ctx.publish_blocker:
            outcome.notes.append(
                _("%(column)s: saved as a draft. %(reason)s")
                % {"column": c.label("status"), "reason": ctx.publish_blocker}
            )
            status = Listing.Status.DRAFT
        fields["status"] = status
    return outcome, fields, tiers


def _existing_tiers(listing: Listing | None) -> list[Tier]:
    if listing is None:
        return []
    return [Tier(min_quantity=t.min_quantity, unit_price=t.unit_price) for t in listing.tiers.all()]


def _clean_tiers(c: _Cells) -> list[Tier] | None:
    """The row's price tiers in order, or None when the file has no tier columns at all."""
    if not any(c.has(f"tier{n}_qty") or c.has(f"tier{n}_price") for n in range(1, TIER_COUNT + 1)):
        return None
    tiers: list[Tier] = []
    gap_at = 0
    errors_before = len(c.errors)
    for n in range(1, TIER_COUNT + 1):
        qty_key, price_key = f"tier{n}_qty", f"tier{n}_price"
        qty, price = c.integer(qty_key, minimum=1), c.price(price_key)
        qty_given, price_given = c.raw(qty_key) not in ("", ABSENT), c.raw(price_key) not in ("", ABSENT)
        if not qty_given and not price_given:
            gap_at = gap_at or n
            continue
        if qty_given != price_given:
            c.errors.append(
                _("%(qty)s, %(price)s: give both the quantity and the unit price, or neither.")
                % {"qty": c.label(qty_key), "price": c.label(price_key)}
            )
            continue
        if gap_at:
            c.errors.append(
                _("%(column)s: fill the price tiers in order, without gaps (tier %(n)s is empty).")
                % {"column": c.label(qty_key), "n": gap_at}
            )
            gap_at = 0
        if isinstance(qty, int) and isinstance(price, Decimal):
            tiers.append(Tier(min_quantity=qty, unit_price=price))
    if not tiers and len(c.errors) == errors_before:
        c.errors.append(
            _("%(qty)s, %(price)s: give at least one price tier.")
            % {"qty": c.label("tier1_qty"), "price": c.label("tier1_price")}
        )
    return tiers


# --- The job ------------------------------------------------------------------------------------


def _save_row(
    *, ctx: _Context, sku: str, existing: Listing | None, fields: dict[str, object], tiers: list[Tier] | None
) -> Listing:
    """Write one checked row: the listing, and its tiers when the row gives them and they changed."""
    listing = existing or Listing(supplier=ctx.supplier, sku=sku)
    was_published = existing is not None and existing.status == Listing.Status.PUBLISHED
    for key, value in fields.items():
        setattr(listing, key, value)
    if listing.status == Listing.Status.PUBLISHED and not was_published:
        listing.published_at = timezone.now()
    # The denormalised columns (is_public, belt, price_from, search_vector…) are the database
    # triggers' business (migration 0005): they run on this save and on the tiers' below.
    if existing is None:
        listing.save()
    else:
        listing.save(update_fields=[*fields, "published_at", "updated_at"])
    if tiers is not None and tiers != _existing_tiers(existing):
        if existing is not None:
            listing.tiers.all().delete()
        PriceTier.objects.bulk_create(
            PriceTier(listing=listing, min_quantity=t.min_quantity, unit_price=t.unit_price) for t in tiers
        )
    return listing


def _sku_of(sheet: Sheet, cells: list[str]) -> str:
    """The row's SKU exactly as `_clean_row` reads it (an export's formula guard removed)."""
    sku = _Cells(sheet, cells, []).raw("sku")
    return sku if isinstance(sku, str) else ""


def _report_entry(outcome: RowOutcome) -> dict[str, object]:
    return {"line": outcome.line, "sku": outcome.sku, "errors": outcome.errors, "notes": outcome.notes}


def _run_batch(*, job_id: int, ctx: _Context, sheet: Sheet, rows: list[tuple[int, list[str]]], file_name: str) -> None:
    """Import `rows` in one transaction, moving the job's counters with them.

    Listings and progress commit together, so a crash loses at most this batch and a re-run
    resumes exactly after the last committed row. Each row is saved in its own savepoint: a row
    the database refuses is reported and the others stay.
    """
    with transaction.atomic():
        job = ListingImport.objects.select_for_update().get(pk=job_id)
        skus = {sku for _line, cells in rows if (sku := _sku_of(sheet, cells))}
        # Locked in pk order, so two imports of one supplier touching the same SKUs cannot deadlock.
        existing = {
            listing.sku: listing
            for listing in Listing.objects.select_for_update(of=("self",))
            .filter(supplier=ctx.supplier, sku__in=skus)
            .order_by("pk")
            .prefetch_related("tiers")
        }
        ctx.with_variants = set(
            ListingVariant.objects.filter(listing__in=existing.values()).values_list("listing_id", flat=True).distinct()
        )
        events: list[ListingEvent] = []
        created = updated = 0
        report: list[dict[str, object]] = []
        for line, cells in rows:
            sku = _sku_of(sheet, cells)
            outcome, fields, tiers = _clean_row(sheet, line, cells, existing.get(sku), ctx)
            if not outcome.errors:
                try:
                    with transaction.atomic():
                        listing = _save_row(ctx=ctx, sku=sku, existing=existing.get(sku), fields=fields, tiers=tiers)
                except IntegrityError as exc:
                    logger.warning("import %s row %s refused by the database", job_id, line, exc_info=True)
                    if "listing_unique_supplier_sku" in str(exc):
                        outcome.errors.append(
                            _("%(column)s: “%(sku)s” was saved by another import at the same moment; import the "
                              "file again to update it.") % {"column": sheet.labels["sku"], "sku": sku}
                        )  # fmt: skip
                    else:
                        outcome.errors.append(_("This row could not be saved: it breaks a rule of the catalog."))
                except DataError:
                    logger.warning("import %s row %s refused by the database", job_id, line, exc_info=True)
                    outcome.errors.append(_("This row could not be saved: a value is out of range."))
                else:
                    outcome.action = "updated" if sku in existing else "created"
                    created += outcome.action == "created"
                    updated += outcome.action == "updated"
                    existing[sku] = listing
                    ctx.seen[sku] = line
                    events.append(
                        ListingEvent(
                            listing=listing,
                            actor_id=ctx.actor_id,
                            kind=ListingEvent.Kind.IMPORTED,
                            note=(
                                _("Created from row %(line)s of %(file)s")
                                if outcome.action == "created"
                                else _("Updated from row %(line)s of %(file)s")
                            )
                            % {"line": line, "file": file_name},
                        )
                    )
            if outcome.errors or outcome.notes:
                report.append(_report_entry(outcome))
        ListingEvent.objects.bulk_create(events)
        room = max(0, MAX_REPORTED_ROWS - len(job.error_rows))
        job.error_rows = [*job.error_rows, *report[:room]]
        job.processed_rows += len(rows)
        job.created_count += created
        job.updated_count += updated
        job.save(update_fields=["error_rows", "processed_rows", "created_count", "updated_count"])


@contextmanager
def _job_lock(import_id: int) -> Iterator[bool]:
    """A PostgreSQL session lock on one job: True if this worker holds it, False if another does.

    A redelivered message (the broker may deliver twice) finds the lock taken and leaves; a worker
    that died loses its connection and with it the lock, so the job can be run again.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, import_id])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, import_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("could not release the lock of import %s", import_id, exc_info=True)


def _resume_seen(job: ListingImport, sheet: Sheet) -> dict[str, int]:
    """SKUs of the rows a crashed run already saved, so duplicates are still caught after a resume."""
    rejected = {entry["line"] for entry in job.error_rows if entry.get("errors")}
    seen: dict[str, int] = {}
    for line, cells in sheet.rows[: job.processed_rows]:
        sku = _sku_of(sheet, cells)
        if sku and line not in rejected:
            seen.setdefault(sku, line)
    return seen


def listing_import_run(*, import_id: int, language: str | None = None) -> ListingImport | None:
    """Run one import job to the end. Safe to run twice and to re-run after a crash.

    A finished or failed job is left alone; a running one resumes after its last committed batch
    (the upsert is keyed by the supplier's SKU, so nothing is duplicated). An unexpected error marks
    the job failed with a message; the batches already committed stay.
    """
    with translation.override(language or translation.get_language()), _job_lock(import_id) as locked:
        if not locked:
            logger.info("import %s is already being run by another worker", import_id)
            return None
        job = ListingImport.objects.select_related("supplier").filter(pk=import_id).first()
        if job is None or job.status in (ListingImport.Status.DONE, ListingImport.Status.FAILED):
            return job
        ListingImport.objects.filter(pk=job.pk).update(
            status=ListingImport.Status.RUNNING, started_at=Coalesce("started_at", timezone.now())
        )
        try:
            with job.file.open("rb") as stored:
                sheet = read_sheet(stored.read(), job.format)
            supplier = job.supplier
            ctx = _Context(
                supplier=supplier,
                actor_id=job.created_by_id,
                publish_blocker=supplier_publish_blocker(supplier=supplier),
                categories={slug.lower(): pk for pk, slug in Category.objects.values_list("pk", "slug")},
                seen=_resume_seen(job, sheet),
            )
            if job.total_rows != len(sheet.rows):
                ListingImport.objects.filter(pk=job.pk).update(total_rows=len(sheet.rows))
            for start in range(job.processed_rows, len(sheet.rows), BATCH_SIZE):
                _run_batch(
                    job_id=job.pk,
                    ctx=ctx,
                    sheet=sheet,
                    rows=sheet.rows[start : start + BATCH_SIZE],
                    file_name=job.original_name,
                )
        except Exception as exc:
            logger.exception("import %s stopped", import_id)
            job.refresh_from_db()
            if isinstance(exc, ValidationError):
                failure = " ".join(exc.messages)
            else:
                failure = _(
                    "The import stopped unexpectedly after %(done)s of %(total)s rows. The rows before that are "
                    "saved; upload the file again to import the rest (listings already imported are updated, "
                    "not duplicated)."
                ) % {"done": job.processed_rows, "total": job.total_rows}
            ListingImport.objects.filter(pk=job.pk).update(
                status=ListingImport.Status.FAILED, failure=failure, finished_at=timezone.now()
            )
        else:
            ListingImport.objects.filter(pk=job.pk, status=ListingImport.Status.RUNNING).update(
                status=ListingImport.Status.DONE, finished_at=timezone.now()
            )
        job.refresh_from_db()
        if job.created_count or job.updated_count:  # rows may have been published
            belt_figures_refresh_later(belt_ids=[job.supplier.belt_id])
        logger.info(
            "import %s %s: %s created, %s updated, %s rows",
            job.pk,
            job.status,
            job.created_count,
            job.updated_count,
            job.processed_rows,
        )
        return job


# --- Upload -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    format: str
    data: bytes
    rows: int


def check_upload(upload: UploadedFile | Any) -> CheckedUpload:
    """Size cap → content sniffing → the table read; ValidationError with the reason.

    A CSV is read whole (fast); an xlsx is opened and its header and declared size checked, and
    its cells are read by the job, which refuses the file then if it holds more rows than allowed.
    """
    data = read_capped(upload)
    fmt = sniff_format(data)
    sheet = read_sheet(data, fmt, header_only=True)
    rows = sheet.declared_rows if sheet.declared_rows is not None else len(sheet.rows)
    return CheckedUpload(format=fmt, data=data, rows=rows)


@transaction.atomic
def listing_import_create(*, supplier: Any, actor: Any, upload: UploadedFile, language: str = "") -> ListingImport:
    """Check an uploaded file, store it privately and queue its import job after commit.

    Raises ValidationError (nothing stored, nothing queued) when the file cannot be imported.
    """
    from .tasks import listing_import_run_task

    checked = check_upload(upload)
    job = ListingImport(
        supplier=supplier,
        created_by=actor,
        original_name=(getattr(upload, "name", "") or "listings").rsplit("/", 1)[-1][:200],
        format=checked.format,
        total_rows=checked.rows,
    )
    # A server-made name; the supplier's file name is only shown, never used as a path.
    job.file.save(f"{uuid.uuid4().hex}.{checked.format}", ContentFile(checked.data), save=False)
    job.save()
    job_id, lang = job.pk, language or translation.get_language() or "en"
    transaction.on_commit(lambda: listing_import_run_task.delay(job_id, lang))
    return job


# --- Reads --------------------------------------------------------------------------------------


def listing_import_list_for_supplier(*, supplier: Any) -> QuerySet[ListingImport]:
    """The supplier's imports, newest first, without their (possibly long) row reports."""
    return (
        ListingImport.objects.filter(supplier=supplier)
        .defer("error_rows")
        .annotate(rejected_count=F("processed_rows") - F("created_count") - F("updated_count"))
        .order_by("-created_at", "-id")
    )


def listing_import_get_for_supplier(*, supplier: Any, pk: int) -> ListingImport:
    """One import of this supplier; any other supplier's import answers 404, like one that does not exist."""
    job = ListingImport.objects.filter(supplier=supplier, pk=pk).first()
    if job is None:
        raise Http404("No such import")
    return job


# Longer than the job's hard time limit (catalog.tasks): a job still "queued" or "running" after
# this has lost its message or its worker, and is queued again. A second delivery of a live job
# is harmless: the advisory lock lets one run, and a finished job is left alone.
STALLED_AFTER = datetime.timedelta(minutes=30)


def listing_import_stalled(*, now: datetime.datetime | None = None) -> list[tuple[int, str]]:
    """(id, uploader's language) of the imports to queue again: for the sweep job."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    return [
        (pk, language or "en")
        for pk, language in ListingImport.objects.filter(
            status__in=(ListingImport.Status.QUEUED, ListingImport.Status.RUNNING), created_at__lt=cutoff
        )
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        .order_by("id")
        .values_list("pk", "created_by__preferred_language")[:100]
    ]
