"""Workbooks written part by part with `zipfile`, so a test can build what no spreadsheet program
would: a shared string of 150 MB that deflates to almost nothing, a cell past Excel's limit, a
sheet that claims a million columns."""

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Listings" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object, strings: list[str]) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    strings.append(str(value))
    return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'


def workbook(
    rows: Iterable[Iterable[object]],
    *,
    dimension: str | None = None,
    huge_string_bytes: int = 0,
    huge_string_at: str = "B2",
) -> bytes:
    """An xlsx whose first sheet holds `rows` (strings go to the shared strings part).

    `huge_string_bytes` adds one more shared string of that many "x" at the end of the string
    table, written in chunks so the test itself never holds it, and refers to it from cell
    `huge_string_at` of a row of its own.
    """
    strings: list[str] = []
    body = []
    last_row = 0
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            _cell(f"{column_letters(col)}{number}", value, strings)
            for col, value in enumerate(row, start=1)
            if value not in (None, "")
        )
        body.append(f'<row r="{number}">{cells}</row>')
        last_row = number
    if huge_string_bytes:
        index = len(strings)
        number = int("".join(ch for ch in huge_string_at if ch.isdigit()))
        assert number > last_row
        body.append(f'<row r="{number}"><c r="{huge_string_at}" t="s"><v>{index}</v></c></row>')
    sheet = SHEET_HEAD
    if dimension:
        sheet += f'<dimension ref="{dimension}"/>'
    sheet += "<sheetData>" + "".join(body) + "</sheetData></worksheet>"
    count = len(strings) + (1 if huge_string_bytes else 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{count}" '
                       f'uniqueCount="{count}">'.encode())  # fmt: skip
            for text in strings:
                part.write(f"<si><t>{escape(text)}</t></si>".encode())
            if huge_string_bytes:
                part.write(b"<si><t>")
                chunk = b"x" * (1024 * 1024)
                for _ in range(huge_string_bytes // len(chunk)):
                    part.write(chunk)
                part.write(b"x" * (huge_string_bytes % len(chunk)))
                part.write(b"</t></si>")
            part.write(b"</sst>")
    return out.getvalue()
