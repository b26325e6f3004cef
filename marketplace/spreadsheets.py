"""Reading the spreadsheets people upload: size-capped reads and the text encodings Excel writes.

Shared by the belt operators' invitation import (suppliers) and the suppliers' listing import
(catalog). Each caller turns the exceptions into its own message for its own reader.
"""

import codecs
from typing import IO


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
