"""Reading an uploaded file: size cap, format sniffing, CSV and XLSX records, the header, the row cap."""

import csv
import io
import zipfile
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
# An xlsx is a zip: refuse one that would unpack to more than this (a zip bomb), before openpyxl.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
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


def _xlsx_records(workbook: Any) -> Generator[list[str], None, None]:
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
