"""Reading the spreadsheets people upload: size-capped reads and the text encodings Excel writes.

Shared by the belt operators' invitation import (suppliers) and the suppliers' listing import
(catalog). Each caller turns the exceptions into its own message for its own reader.
"""

import codecs
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat


class FileTooLarge(Exception):
    """The file is above the size cap."""


class NotTextCsv(Exception):
    """The bytes are not text in an encoding we read."""


def read_capped(file: IO[bytes], *, max_bytes: int) -> bytes:
    """The file's bytes; FileTooLarge above `max_bytes`, reading at most one byte past the cap
    (a declared `size` is checked first but never trusted alone)."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise FileTooLarge
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge
    return data


def decode_csv_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030 (which
    contains GBK): the Excel habits of our users — Chinese Windows saves CSV as GBK, "CSV UTF-8"
    adds a BOM. NotTextCsv otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise NotTextCsv


# --- Workbooks (xlsx) -------------------------------------------------------------------------
# An xlsx is a zip of XML parts. Deflate turns 150 MB of one repeated letter into 150 KB, and
# openpyxl reads the whole shared-strings part into memory even in read-only mode, so a workbook
# is judged by its zip directory (names, sizes, ratios) before any XML parser sees a part, and a
# request reads only the first row, through a parser fed a bounded number of bytes.


class WorkbookDamaged(Exception):
    """The bytes are not a workbook we can read (not a zip, parts missing, XML broken)."""


class WorkbookTooLarge(Exception):
    """The workbook unpacks to more than the caps allow; `part` names the part at fault."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


@dataclass(frozen=True)
class WorkbookLimits:
    max_entries: int = 500  # files in the zip (a workbook of one sheet has about ten)
    max_unpacked_bytes: int = 200 * 1024 * 1024  # all parts together
    max_data_part_bytes: int = 64 * 1024 * 1024  # a worksheet or the shared strings
    max_other_part_bytes: int = 8 * 1024 * 1024  # styles, workbook, relationships, themes…
    max_ratio: int = 100  # unpacked ÷ packed, for a part larger than `ratio_from_bytes`
    ratio_from_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class WorkbookParts:
    """Where the first sheet and the shared strings are (zip member names)."""

    sheet: str
    shared_strings: str | None


@dataclass(frozen=True)
class FirstRow:
    cells: list[str]
    declared_rows: int | None  # from the sheet's <dimension>, header row excluded; None if absent


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 64 * 1024
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


class _Stop(Exception):
    """Raised by a handler once it has what it came for."""


def _is_data_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml" or name.endswith("sharedStrings.xml")


def xlsx_check_archive(data: bytes, limits: WorkbookLimits | None = None) -> WorkbookParts:
    """Judge a workbook by its zip directory only: required parts present, sizes and ratios capped.

    Reads the small workbook and relationship parts (capped) to find the first sheet. Raises
    WorkbookDamaged or WorkbookTooLarge; no worksheet or shared-strings part is unpacked.
    """
    limits = limits or WorkbookLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WorkbookDamaged from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise WorkbookTooLarge("entries")
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise WorkbookDamaged
        total = 0
        for info in infos:
            total += info.file_size
            cap = limits.max_data_part_bytes if _is_data_part(info.filename) else limits.max_other_part_bytes
            if info.file_size > cap:
                raise WorkbookTooLarge(info.filename)
            ratio_too_high = info.file_size > limits.max_ratio * max(info.compress_size, 1)
            if info.file_size > limits.ratio_from_bytes and ratio_too_high:
                raise WorkbookTooLarge(info.filename)
        if total > limits.max_unpacked_bytes:
            raise WorkbookTooLarge("total")
        parts = _workbook_parts(archive, names, limits)
    return parts


def _safe_parser(handlers: dict[str, Any]) -> Any:
    """An expat parser with namespaces resolved ("uri local") that refuses any DTD: a workbook
    part never has one, and a DTD is how entity-expansion bombs get in."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_dtd(*args: object) -> None:
        raise WorkbookDamaged("DTD in a workbook part")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    return parser


def _feed(archive: zipfile.ZipFile, name: str, parser: Any, budget: int) -> bool:
    """Feed part `name` to `parser` until a handler raises _Stop (True) or `budget` unpacked bytes
    are spent (False). zipfile inflates as it is read, so at most `budget` bytes are ever unpacked."""
    read = 0
    try:
        with archive.open(name) as part:
            while read < budget:
                chunk = part.read(min(_CHUNK, budget - read))
                if not chunk:
                    parser.Parse(b"", True)
                    return True
                read += len(chunk)
                parser.Parse(chunk, False)
    except _Stop:
        return True
    except (expat.ExpatError, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise WorkbookDamaged(name) from exc
    return False


def _local(name: str) -> tuple[str, str]:
    uri, _, local = name.rpartition(" ")
    return uri, local


def _workbook_parts(archive: zipfile.ZipFile, names: set[str], limits: WorkbookLimits) -> WorkbookParts:
    """The first sheet's part and the shared strings', as openpyxl finds them: the workbook's first
    <sheet>, looked up in the workbook's relationships."""
    first: list[str] = []

    def sheet_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == (MAIN_NS, "sheet"):
            first.append(attrs.get(f"{DOC_RELS_NS} id", ""))
            raise _Stop

    _feed(archive, "xl/workbook.xml", _safe_parser({"StartElementHandler": sheet_start}), limits.max_other_part_bytes)
    if not first:
        raise WorkbookDamaged("no sheet")
    targets: dict[str, str] = {}
    shared: list[str] = []

    def rel_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == (RELS_NS, "Relationship"):
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[attrs.get("Id", "")] = target
            if attrs.get("Type", "").endswith("/sharedStrings"):
                shared.append(target)

    if "xl/_rels/workbook.xml.rels" not in names:
        raise WorkbookDamaged("no relationships")
    _feed(
        archive,
        "xl/_rels/workbook.xml.rels",
        _safe_parser({"StartElementHandler": rel_start}),
        limits.max_other_part_bytes,
    )
    sheet = targets.get(first[0])
    if sheet not in names:
        raise WorkbookDamaged("first sheet missing")
    strings = next((name for name in shared if name in names), None)
    return WorkbookParts(sheet=sheet, shared_strings=strings)


def _column_index(ref: str | None, previous: int) -> int:
    """0-based column of a cell reference such as "AB1"; the next column when there is none."""
    match = _CELL_REF.match(ref or "")
    if not match:
        return previous + 1
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - 64
    return index - 1


def _number_text(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def xlsx_first_row(
    data: bytes,
    parts: WorkbookParts,
    *,
    max_cell_chars: int,
    max_columns: int,
    budget_bytes: int = 1024 * 1024,
) -> FirstRow | None:
    """The first sheet's first row as text, read with at most `budget_bytes` unpacked from each part.

    None when the row (or a shared string it uses) is not found within the budget: the caller
    then leaves the header to the background job. Raises WorkbookDamaged for broken XML.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        row = _sheet_first_row(archive, parts.sheet, budget_bytes, max_cell_chars, max_columns)
        if row is None:
            return None
        cells, shared_at, declared_rows = row
        if shared_at:
            if parts.shared_strings is None:
                raise WorkbookDamaged("shared strings missing")
            strings = _shared_strings(archive, parts.shared_strings, set(shared_at.values()), budget_bytes,
                                      max_cell_chars)  # fmt: skip
            if strings is None:
                return None
            for column, index in shared_at.items():
                cells[column] = strings.get(index, "")
    return FirstRow(cells=cells, declared_rows=declared_rows)


def _sheet_first_row(
    archive: zipfile.ZipFile, name: str, budget: int, max_chars: int, max_columns: int
) -> tuple[list[str], dict[int, int], int | None] | None:
    """(cells, {column: shared string index}, declared rows) of the sheet's row 1, or None."""
    cells: dict[int, str] = {}
    shared_at: dict[int, int] = {}
    declared: list[int | None] = [None]
    state: dict[str, Any] = {"row": None, "col": -1, "type": "", "text": None, "in_row": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        uri, local = _local(tag)
        if uri != MAIN_NS:
            return
        if local == "dimension":
            ref = attrs.get("ref", "").split(":")[-1]
            match = _CELL_REF.match(ref)
            declared[0] = max(0, int(match.group(2)) - 1) if match else None
        elif local == "row":
            if attrs.get("r", "1") != "1":
                raise _Stop  # row 1 is empty: the header is missing
            state["in_row"] = True
        elif local == "c" and state["in_row"]:
            state["col"] = _column_index(attrs.get("r"), state["col"])
            state["type"] = attrs.get("t", "n")
            if state["col"] >= max_columns:
                raise _Stop
        elif local in ("v", "t") and state["in_row"]:
            state["text"] = []

    def end(tag: str) -> None:
        uri, local = _local(tag)
        if uri != MAIN_NS:
            return
        if local in ("v", "t") and state["text"] is not None:
            text = "".join(state["text"])[:max_chars]
            state["text"] = None
            col, kind = state["col"], state["type"]
            if kind == "s" and local == "v":
                if text.strip().isdigit():
                    shared_at[col] = int(text)
            elif kind == "b" and local == "v":
                cells[col] = "yes" if text.strip() == "1" else "no"
            elif kind == "n" and local == "v":
                cells[col] = _number_text(text)
            else:
                cells[col] = cells.get(col, "") + text
        elif local == "row" or local == "sheetData":
            raise _Stop

    def chars(text: str) -> None:
        if state["text"] is not None and sum(map(len, state["text"])) <= max_chars:
            state["text"].append(text)

    parser = _safe_parser({"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": chars})
    if not _feed(archive, name, parser, budget):
        return None
    width = max([*cells, *shared_at], default=-1) + 1
    row = [cells.get(col, "") for col in range(width)]
    return row, shared_at, declared[0]


def _shared_strings(
    archive: zipfile.ZipFile, name: str, wanted: set[int], budget: int, max_chars: int
) -> dict[int, str] | None:
    """The shared strings numbered in `wanted`, or None when they lie beyond the budget."""
    found: dict[int, str] = {}
    state: dict[str, Any] = {"index": -1, "text": None, "parts": [], "phonetic": 0}
    last = max(wanted)

    def start(tag: str, attrs: dict[str, str]) -> None:
        uri, local = _local(tag)
        if uri != MAIN_NS:
            return
        if local == "si":
            state["index"] += 1
            state["parts"] = []
        elif local == "rPh":
            state["phonetic"] += 1  # phonetic guides are not part of the cell's text
        elif local == "t" and not state["phonetic"] and state["index"] in wanted:
            state["text"] = state["parts"]

    def end(tag: str) -> None:
        uri, local = _local(tag)
        if uri != MAIN_NS:
            return
        if local == "t":
            state["text"] = None
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            if state["index"] in wanted:
                found[state["index"]] = "".join(state["parts"])[:max_chars]
            if state["index"] >= last:
                raise _Stop

    def chars(text: str) -> None:
        if state["text"] is not None and sum(map(len, state["text"])) <= max_chars:
            state["text"].append(text)

    parser = _safe_parser({"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": chars})
    if not _feed(archive, name, parser, budget):
        return None
    return found
