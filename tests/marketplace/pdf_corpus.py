"""PDFs written byte by byte, so a test can build what a well-behaved writer never would: names
spelled with #xx escapes, objects inside compressed object streams, an update appended after
%%EOF, a cross-reference stream."""

import zlib

PAGE_TREE = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
}


def _body(objects: dict[int, bytes], out: bytearray) -> dict[int, int]:
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        content = objects[number]
        if isinstance(content, tuple):  # (dictionary, stream data)
            head, data = content
            out += b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, head, data)
        else:
            out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    return offsets


def _xref_table(offsets: dict[int, int], size: int) -> bytes:
    lines = [b"xref\n", b"0 1\n", b"0000000000 65535 f \n"]
    for number in sorted(offsets):
        lines.append(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
    return b"".join(lines)


def pdf(catalog: bytes = b"", objects: dict[int, bytes] | None = None, *, page: bytes = b"") -> bytes:
    """A one-page PDF with a classic cross-reference table; `catalog` and `page` add entries to the
    catalog and the page dictionaries, `objects` adds numbered objects (4 and up)."""
    everything: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>", **PAGE_TREE}
    everything[3] = PAGE_TREE[3][:-2] + page + b">>"
    everything.update(objects or {})
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = _body(everything, out)
    start = len(out)
    size = max(everything) + 1
    out += _xref_table(offsets, size)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


def with_update(base: bytes, objects: dict[int, bytes]) -> bytes:
    """`base` with an incremental update appended after its %%EOF: new or replaced objects and a
    cross-reference section that points back to the previous one."""
    previous = int(base.rsplit(b"startxref", 1)[1].split()[0])
    out = bytearray(base)
    offsets = _body(objects, out)
    start = len(out)
    size = max(max(objects) + 1, 4)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, start)
    return bytes(out)


def with_object_stream(catalog: bytes, compressed: dict[int, bytes], *, padding: int = 0) -> bytes:
    """A one-page PDF whose objects in `compressed` live inside a FlateDecode object stream, with
    the cross-reference stream that such objects need; `padding` spaces end the object stream
    (they deflate to almost nothing)."""
    plain: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>", **PAGE_TREE}
    stream_number = max([*plain, *compressed]) + 1
    header, body = [], b""
    for number in sorted(compressed):
        header.append(b"%d %d" % (number, len(body)))
        body += compressed[number] + b"\n"
    first = b" ".join(header) + b"\n"
    data = zlib.compress(first + body + b" " * padding, 9)
    plain[stream_number] = (
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
        % (len(compressed), len(first), len(data)),
        data,
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = _body(plain, out)
    xref_number = stream_number + 1
    size = xref_number + 1
    rows = []
    for number in range(size):
        if number in offsets:
            rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big"))
        elif number in compressed:
            index = sorted(compressed).index(number)
            rows.append(bytes([2]) + stream_number.to_bytes(4, "big") + index.to_bytes(2, "big"))
        elif number == xref_number:
            rows.append(bytes([1]) + len(out).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big"))
    table = b"".join(rows)
    start = len(out)
    head = b"<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>" % (size, len(table))
    out += b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (xref_number, head, table)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)
