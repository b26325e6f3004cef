"""A supplier's listings out as CSV or XLSX, in the import's own columns, so a round trip updates them.

The import template is the same file with one example row. CSV is written as UTF-8 with a BOM,
which Excel opens with Chinese intact; text cells that a spreadsheet would run as a formula
(=, +, -, @) are written with a leading apostrophe in CSV, which the import removes again, and
as plain text cells in XLSX.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from belts.hs import format_hs_code
from belts.models import Category

from .imports import COLUMNS, FORMULA_PREFIXES, TEXT_KEYS, TIER_COUNT, header_row
from .models import Listing, ListingImport

CONTENT_TYPES: dict[str, str] = {
    ListingImport.Format.CSV: "text/csv; charset=utf-8",
    ListingImport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_CHUNK = 2000  # listings per query (with their tiers prefetched per chunk)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def listing_row(listing: Listing) -> list[object]:
    """One listing as a row of the import's columns (its tiers and category must be loaded)."""
    tiers = list(listing.tiers.all())[:TIER_COUNT]
    values: dict[str, object] = {
        "sku": listing.sku,
        "title_en": listing.title_en,
        "title_zh": listing.title_zh,
        "category": listing.category.slug,
        "description_en": listing.description_en,
        "description_zh": listing.description_zh,
        "unit": listing.unit,
        "currency": listing.currency,
        "moq": listing.moq,
        "moq_mode": listing.moq_mode,
        "order_multiple": listing.order_multiple,
        "lead_time_days": listing.lead_time_days,
        "monthly_capacity": listing.monthly_capacity,
        "sample_available": _yes_no(listing.sample_available),
        "sample_price": listing.sample_price,
        "oem": _yes_no(listing.oem),
        "odm": _yes_no(listing.odm),
        # The listing's own HS code (empty: its category's applies, as on import).
        "hs_code": format_hs_code(listing.hs_code),
        "origin_country": listing.origin_country,
        "origin_region": listing.origin_region,
        "export_markets": " ".join(listing.export_markets or []),
        "price_incoterm": listing.price_incoterm,
        "price_incoterm_place": listing.price_incoterm_place,
        "status": listing.status,
    }
    for n, tier in enumerate(tiers, start=1):
        values[f"tier{n}_qty"], values[f"tier{n}_price"] = tier.min_quantity, tier.unit_price
    return [values.get(column.key) for column in COLUMNS]


def listing_list_for_export(*, supplier: Any) -> Iterator[Listing]:
    """The supplier's own listings that an import could write back (not archived), by SKU."""
    qs = (
        Listing.objects.for_supplier(supplier)
        .exclude(status=Listing.Status.ARCHIVED)
        .select_related("category")
        .prefetch_related("tiers")
        .order_by("sku", "pk")
    )
    return qs.iterator(chunk_size=EXPORT_CHUNK)


def _csv_text(key: str, value: object) -> object:
    if key in TEXT_KEYS and isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    keys = [column.key for column in COLUMNS]
    for row in rows:
        writer.writerow(["" if value is None else _csv_text(key, value) for key, value in zip(keys, row, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(header: list[str], rows: Iterable[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("listings")
    for number, column in enumerate(COLUMNS, start=1):
        wide = column.key.startswith(("title", "description"))
        sheet.column_dimensions[get_column_letter(number)].width = 36 if wide else 14
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells: list[object] = []
        for value in row:
            if isinstance(value, str):
                # A plain text cell: never a formula, whatever the text starts with.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write(fmt: str, header: list[str], rows: Iterable[list[object]]) -> bytes:
    return write_xlsx(header, rows) if fmt == ListingImport.Format.XLSX else write_csv(header, rows)


def listing_export_file(*, supplier: Any, fmt: str) -> ExportFile:
    """The supplier's listings as a file to download; importing it back updates the same listings."""
    rows = (listing_row(listing) for listing in listing_list_for_export(supplier=supplier))
    stamp = timezone.localdate().isoformat()
    return ExportFile(
        content=_write(fmt, header_row(), rows),
        content_type=CONTENT_TYPES[fmt],
        filename=f"listings-{supplier.slug}-{stamp}.{fmt}",
    )


def listing_template_file(*, fmt: str) -> ExportFile:
    """The import template: the header in the reader's language and one example row that imports as is."""
    example: dict[str, object] = {
        column.key: int(column.example) if column.example.isdigit() and column.key != "hs_code" else column.example
        for column in COLUMNS
    }
    category = Category.objects.filter(children__isnull=True).order_by("position", "pk").values_list("slug", flat=True)
    example["category"] = category.first() or example["category"]
    return ExportFile(
        content=_write(fmt, header_row(), [[example[column.key] for column in COLUMNS]]),
        content_type=CONTENT_TYPES[fmt],
        filename=f"listings-template.{fmt}",
    )
