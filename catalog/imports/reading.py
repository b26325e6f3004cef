"""Reading an uploaded file: size cap, format sniffing, CSV and XLSX records, the header, the caps.

An xlsx is never handed to openpyxl in a request: the upload check judges its zip directory
(`marketplace.spreadsheets.xlsx_check_archive`) and reads the header through a parser fed at most
`XLSX_HEADER_BUDGET_BYTES`. The job reads the rows streaming (openpyxl's read-only mode) and stops
at the first row that breaks a cap, naming it.
"""

import csv
import io
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from marketplace import spreadsheets

from ..models import ListingImport
from .columns import HEADER_NAMES, _header_key

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Excel's own limits of a cell's length; a listing has 27 columns, notes beside them are allowed.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 100
# Blank rows are skipped but numbered; a sheet still going on past this row number is refused
# (a <row r="99999999"> would otherwise make openpyxl yield every empty row before it).
MAX_ROW_NUMBER = 100_000
# An xlsx is a zip: refuse one that would unpack to more than this (a zip bomb), before openpyxl.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# A worksheet or the shared strings; a 10 MB upload of real listings unpacks to well under this.
XLSX_MAX_DATA_PART_BYTES = 64 * 1024 * 1024
# Unpacked ÷ packed of a part over 1 MB: real sheets deflate 5 to 20 times, a bomb a thousand.
XLSX_MAX_RATIO = 100
# Unpacked bytes of the sheet (and of the shared strings) the upload check reads for the header.
XLSX_HEADER_BUDGET_BYTES = 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (an OLE file)
DELIMITERS = (",", ";", "\t")


@dataclass
class Sheet:
    """A file's table: where each known column is, its header as written, and the non-blank rows."""

    format: str
    columns: dict[str, int]
    labels: dict[str, str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    declared_rows: int | None = None  # an xlsx read header-only: the rows its sheet says it has
    header_checked: bool = True  # False: an xlsx whose header lies beyond the upload check's budget


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


def _csv_records(data: bytes) -> Generator[list[str], None, None]:
    lines = _decode(data).splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        # Excel's own hint line, e.g. "sep=;". Excel hides it, so the header stays row 1.
        delimiter = lines[0].strip()[4]
        lines = lines[1:]
    else:
        first = lines[0] if lines else ""
        delimiter = max(DELIMITERS, key=first.count)
    # The reader takes the lines as they are: no second copy of the text (a StringIO of it would
    # take four bytes a character).
    reader = csv.reader(lines, delimiter=delimiter)
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


def _limits() -> spreadsheets.WorkbookLimits:
    return spreadsheets.WorkbookLimits(
        max_unpacked_bytes=XLSX_MAX_UNPACKED_BYTES,
        max_data_part_bytes=XLSX_MAX_DATA_PART_BYTES,
        max_ratio=XLSX_MAX_RATIO,
    )


def _unpacks_too_large() -> ValidationError:
    return ValidationError(
        _("The workbook unpacks to far more data than its size suggests, or more than an import reads. Save it "
          "again as .xlsx or as CSV, or split it into smaller files."),
        code="too_large",
    )  # fmt: skip


def _check_archive(data: bytes) -> spreadsheets.WorkbookParts:
    """The zip directory checks, as ValidationErrors for the supplier."""
    try:
        return spreadsheets.xlsx_check_archive(data, _limits())
    except spreadsheets.WorkbookDamaged:
        raise _unreadable_xlsx() from None
    except spreadsheets.WorkbookTooLarge:
        raise _unpacks_too_large() from None


def _open_xlsx(data: bytes) -> Any:
    """The workbook in `data`, opened read-only once it passed the zip checks (a real xlsx, no bomb)."""
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise ValueError("no worksheet")
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise _unreadable_xlsx() from exc
    return workbook


def _row_refused(number: int, reason: str) -> ValidationError:
    return ValidationError(
        _("Row %(row)s: %(reason)s The import stopped there; correct the file and upload it again.")
        % {"row": f"{number:,}", "reason": reason},
        code="row_too_large",
    )


def _xlsx_records(workbook: Any) -> Generator[list[str], None, None]:
    """The first sheet's rows as text cells, each checked against the caps as it is read (the
    workbook is closed when they are read or dropped)."""
    try:
        sheet = workbook.worksheets[0]
        # The sheet's <dimension> is the file's claim, not a fact: without it openpyxl pads each
        # row only to its own last cell, and yields no empty rows after the last real one.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > MAX_ROW_NUMBER:
                raise ValidationError(
                    _("The sheet goes on past row %(max)s. Delete the rows below your listings, or split the file.")
                    % {"max": f"{MAX_ROW_NUMBER:,}"},
                    code="too_many_rows",
                )
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise _row_refused(number, _("it has more than %(max)s columns.") % {"max": MAX_COLUMNS})
            cells = [_xlsx_cell(value) for value in values]
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                raise _row_refused(
                    number, _("a cell is longer than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"}
                )
            # Read-only sheets yield an empty tuple for an empty row, so the count is the row number.
            yield cells
    except (ValidationError, MemoryError):
        raise
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(rows)s rows. Split it into smaller files.") % {"rows": f"{MAX_ROWS:,}"},
        code="too_many_rows",
    )


def _header_columns(header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Where each known column is and its name as written; ValidationError for a header we cannot use."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        name = cell.replace("\ufeff", "").strip()
        if not name:
            continue
        key = HEADER_NAMES.get(_header_key(name))
        if key is None:
            unknown.append(name[:60])
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
    return columns, labels


def _xlsx_header(data: bytes) -> Sheet:
    """An xlsx judged without openpyxl: zip directory, then the header and declared size, read
    with a bounded parser. A header beyond that budget is left to the job (`header_checked`)."""
    parts = _check_archive(data)
    try:
        first = spreadsheets.xlsx_first_row(
            data, parts, max_cell_chars=MAX_CELL_CHARS, max_columns=MAX_COLUMNS, budget_bytes=XLSX_HEADER_BUDGET_BYTES
        )
    except spreadsheets.WorkbookDamaged:
        raise _unreadable_xlsx() from None
    if first is None:
        return Sheet(format=ListingImport.Format.XLSX, columns={}, labels={}, rows=[], header_checked=False)
    columns, labels = _header_columns(first.cells)
    if first.declared_rows is not None and first.declared_rows > MAX_ROWS:
        raise _too_many_rows()
    return Sheet(
        format=ListingImport.Format.XLSX, columns=columns, labels=labels, rows=[], declared_rows=first.declared_rows
    )


def read_sheet(data: bytes, fmt: str, *, header_only: bool = False) -> Sheet:
    """The table in `data`; ValidationError (a message for the supplier) if it cannot be imported.

    `header_only` is the upload check: an xlsx's header and declared row count, read without
    openpyxl and within a fixed budget; its rows belong to the background job. A CSV is read whole
    either way: it is plain text under the size cap, with no unpacking.
    """
    if fmt == ListingImport.Format.XLSX and header_only:
        return _xlsx_header(data)
    records = _xlsx_records(_open_xlsx(data)) if fmt == ListingImport.Format.XLSX else _csv_records(data)
    try:
        columns, labels = _header_columns(next(records, []))
        rows: list[tuple[int, list[str]]] = []
        for number, record in enumerate(records, start=2):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue  # blank rows are skipped but keep their number, as the spreadsheet does
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, cells))
    finally:
        records.close()
    if not rows:
        raise ValidationError(_("The file has a header row but no listings."), code="no_rows")
    return Sheet(format=fmt, columns=columns, labels=labels, rows=rows)
