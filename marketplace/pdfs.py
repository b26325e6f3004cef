"""A PDF judged by its structure: parsed with pypdf within caps, every object walked.

Refused: JavaScript anywhere, actions that launch programs or open other files, actions that run
by themselves when the document opens or a page is shown (/OpenAction other than a destination,
/AA), embedded files, forms (AcroForm, XFA), encrypted files (their objects cannot be read) and
files pypdf cannot read. Links a reader clicks (/URI, /GoTo) stay: a viewer asks before leaving.

Names are compared after pypdf decoded them, so `/J#61vaScript` is `/JavaScript`; objects inside
compressed object streams are walked like the others; an incremental update's objects are in the
cross-reference table pypdf reads last. A plain scan of the raw bytes for the same names (escapes
decoded) also catches an object that no cross-reference table lists.

The file is stored as sent (re-writing a PDF would need a renderer) and only offered to staff as
a download; this check decides whether it is stored at all.
"""

import io
import re
import time
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

# The check runs in the request: pypdf parses some 2,000 objects a second on one core, so these
# caps bound a request to a few seconds. A scanned licence has dozens of objects, a 50-page
# tagged document from a word processor a few thousand.
MAX_OBJECTS = 20_000
MAX_DEPTH = 64  # dictionaries and arrays inside one another
MAX_SECONDS = 10.0  # parsing and walking together
# Object streams are the only streams the check decodes; pypdf keeps them decoded while the
# reader lives. One may unpack to at most MAX_STREAM_BYTES, all together to MAX_DECODED_BYTES
# (a deflate bomb of 75 KB unpacks to 75 MB, pypdf's own cap).
MAX_STREAM_BYTES = 16 * 1024 * 1024
MAX_DECODED_BYTES = 32 * 1024 * 1024


class PdfRefused(Exception):
    """The PDF is refused; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


REASONS = ("unreadable", "encrypted", "javascript", "launch", "auto_action", "embedded_file", "form", "too_complex")

# Keys whose presence alone refuses the file, and the reason.
_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "auto_action",
    "/EmbeddedFiles": "embedded_file",
    "/EF": "embedded_file",
    "/AcroForm": "form",
    "/XFA": "form",
}
# Name values that refuse the file wherever they appear (an action's /S, an object's /Type or
# /Subtype), and the reason.
_NAMES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToR": "launch",
    "/GoToE": "launch",
    "/ImportData": "launch",
    "/SubmitForm": "form",
    "/ResetForm": "form",
    "/Rendition": "javascript",  # may carry a script of its own
    "/RichMedia": "embedded_file",
    "/RichMediaExecute": "javascript",
    "/EmbeddedFile": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/Sound": "embedded_file",
    "/Movie": "embedded_file",
}
# What an /OpenAction may be: a destination (an array), or an action that only goes to a page.
_HARMLESS_OPEN_ACTIONS = {"/GoTo"}
# A PDF name in the raw bytes: "/" and regular characters, with #xx escapes.
_RAW_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_RAW_REASONS = {"/JavaScript": "javascript", "/JS": "javascript", "/Launch": "launch", "/EmbeddedFile": "embedded_file",
                "/EmbeddedFiles": "embedded_file", "/AcroForm": "form", "/XFA": "form"}  # fmt: skip


@dataclass
class _Budget:
    deadline: float
    steps: int = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps % 1000 == 0 and time.monotonic() > self.deadline:
            raise PdfRefused("too_complex", "time")


def _scan_raw_names(data: bytes) -> None:
    """The names written in the raw bytes, escapes decoded: catches objects outside any xref."""
    for match in _RAW_NAME.finditer(data):
        raw = match.group(0)
        name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw
        reason = _RAW_REASONS.get(name.decode("latin-1"))
        if reason:
            raise PdfRefused(reason, name.decode("latin-1"))


def _check_open_action(value: Any) -> None:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, ArrayObject):
        return  # a destination: the page to show first
    kind = value.get("/S") if isinstance(value, DictionaryObject) else None
    if kind in _HARMLESS_OPEN_ACTIONS:
        return
    raise PdfRefused(_NAMES.get(str(kind), "auto_action"), f"/OpenAction {kind}")


def _walk(root: Any, budget: _Budget) -> None:
    """Every dictionary and array reachable from `root` without following references (each
    indirect object is walked on its own)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        obj, depth = stack.pop()
        budget.tick()
        if depth > MAX_DEPTH:
            raise PdfRefused("too_complex", "depth")
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _KEYS:
                    raise PdfRefused(_KEYS[key], key)
                if key == "/OpenAction":
                    _check_open_action(value)
                stack.append((value, depth + 1))
        elif isinstance(obj, ArrayObject):
            stack.extend((item, depth + 1) for item in obj)
        elif isinstance(obj, NameObject) and obj in _NAMES:
            raise PdfRefused(_NAMES[obj], str(obj))


def _decode_object_streams(reader: PdfReader, budget: _Budget) -> None:
    """Decode each object stream once, before any object is read from it, within the caps."""
    decoded = 0
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        budget.tick()
        stream = reader.get_object(number)
        if not isinstance(stream, StreamObject):
            raise PdfRefused("unreadable", f"object stream {number}")
        decoded += len(stream.get_data())
        if decoded > MAX_DECODED_BYTES:
            raise PdfRefused("too_complex", "object streams")


def pdf_check(data: bytes, *, max_seconds: float | None = None) -> int:
    """Raise PdfRefused unless `data` is a PDF free of scripts, launch and automatic actions,
    embedded files and forms. Returns the number of objects walked."""
    budget = _Budget(deadline=time.monotonic() + (max_seconds or MAX_SECONDS))
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise PdfRefused("unreadable", "no header or no %%EOF at the end")
    _scan_raw_names(data)
    try:
        with apply_configuration(
            zlib_maximum_output_length=MAX_STREAM_BYTES,
            lzw_maximum_output_length=MAX_STREAM_BYTES,
            run_length_maximum_output_length=MAX_STREAM_BYTES,
            array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
        ):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise PdfRefused("encrypted")
            ids = {(idnum, generation) for generation, entries in reader.xref.items() for idnum in entries}
            ids |= {(idnum, 0) for idnum in reader.xref_objStm}
            if len(ids) > MAX_OBJECTS:
                raise PdfRefused("too_complex", f"{len(ids)} objects")
            _decode_object_streams(reader, budget)
            _walk(reader.trailer, budget)
            for idnum, generation in sorted(ids):
                obj = reader.get_object(IndirectObject(idnum, generation, reader))
                _walk(obj, budget)
            if len(reader.pages) < 1:
                raise PdfRefused("unreadable", "no pages")
    except PdfRefused:
        raise
    except RecursionError as exc:
        raise PdfRefused("too_complex", "nesting") from exc
    except LimitReachedError as exc:
        raise PdfRefused("too_complex", str(exc)) from exc
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise PdfRefused("unreadable", type(exc).__name__) from exc
    return len(ids)
