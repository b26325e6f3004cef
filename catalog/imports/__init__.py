"""Bulk listings: a supplier's CSV or XLSX file in, its listings created or updated, a row report out.

The file is checked when it is uploaded (size, content, header, row count) and refused whole with
a message when it cannot be read, so nothing is queued that cannot run. A background job then
works through the rows in small transactions, moving the progress bar after each. Each row
stands alone: a bad row is reported with its spreadsheet row number and every reason, and never
stops the good ones. The supplier's own SKU is the key: importing the same file again updates the
same listings instead of creating copies, and a job that crashed half-way can be run again.

Quantity and tier rules come from `catalog.rules`, the same ones the listing form uses.
"""

# The package's modules by concern (columns, reading, rows, job, services, selectors); every
# public name the single module had is importable from here. A limit is read where it is used:
# tests patch that module (`catalog.imports.reading.MAX_ROWS`, the `LISTING_IMPORT_BATCH_SIZE` setting).
from .columns import (
    COLUMN_KEYS,
    COLUMNS,
    CURRENCY_WORDS,
    FORMULA_PREFIXES,
    HEADER_NAMES,
    MOQ_MODE_WORDS,
    NO_WORDS,
    STATUS_WORDS,
    TEXT_KEYS,
    TIER_COUNT,
    UNIT_WORDS,
    YES_WORDS,
    Column,
    header_row,
)
from .job import LOCK_NAMESPACE, MAX_REPORTED_ROWS, listing_import_run
from .reading import (
    DELIMITERS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    XLS_MAGIC,
    XLSX_MAGIC,
    XLSX_MAX_UNPACKED_BYTES,
    Sheet,
    read_capped,
    read_sheet,
    sniff_format,
)
from .rows import ABSENT, DEFAULTS, NUMBER, RowOutcome
from .selectors import (
    STALLED_AFTER,
    listing_import_get_for_supplier,
    listing_import_list_for_supplier,
    listing_import_stalled,
)
from .services import CheckedUpload, check_upload, listing_import_create

__all__ = [
    "ABSENT",
    "COLUMNS",
    "COLUMN_KEYS",
    "CURRENCY_WORDS",
    "DEFAULTS",
    "DELIMITERS",
    "FORMULA_PREFIXES",
    "HEADER_NAMES",
    "LOCK_NAMESPACE",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_ROWS",
    "MAX_ROWS",
    "MOQ_MODE_WORDS",
    "NO_WORDS",
    "NUMBER",
    "STALLED_AFTER",
    "STATUS_WORDS",
    "TEXT_KEYS",
    "TIER_COUNT",
    "UNIT_WORDS",
    "XLSX_MAGIC",
    "XLSX_MAX_UNPACKED_BYTES",
    "XLS_MAGIC",
    "YES_WORDS",
    "CheckedUpload",
    "Column",
    "RowOutcome",
    "Sheet",
    "check_upload",
    "header_row",
    "listing_import_create",
    "listing_import_get_for_supplier",
    "listing_import_list_for_supplier",
    "listing_import_run",
    "listing_import_stalled",
    "read_capped",
    "read_sheet",
    "sniff_format",
]
