"""`clean_document_upload` judges a PDF by its structure, not by a search of its bytes.

Each PDF is generated here: by reportlab (as the app's own purchase orders), by pypdf's writer, or
byte by byte (tests/marketplace/pdf_corpus.py) for constructions no polite writer makes. Every
way of writing a script, an automatic or launch action, an embedded file or a form is refused
with a message; plain documents, links and page destinations pass.
"""

import io
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from marketplace import pdfs
from marketplace.uploads import clean_document_upload
from tests.marketplace.pdf_corpus import pdf, with_object_stream, with_update

JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"


def upload(data: bytes, name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_document_upload(upload(data))
    return caught.value


def reportlab_pdf(link: bool = False) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle("Business licence")
    page.drawString(72, 760, "Wuhan Guanggu Photonics Co., Ltd. — business licence")
    if link:
        page.linkURL("https://www.example.com/", (72, 700, 300, 720))
    page.showPage()
    page.save()
    return out.getvalue()


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        reportlab_pdf(),
        reportlab_pdf(link=True),
        pdf(),
        pdf(b"/OpenAction [3 0 R /Fit] "),  # open at the first page, fitted: a destination
        pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> "),
        with_object_stream(b"/Info 4 0 R ", {4: b"<< /Title (Licence) >>"}),
        with_update(pdf(), {4: b"<< /Title (Corrected) >>"}),
    ],
    ids=["reportlab", "reportlab-with-link", "minimal", "open-at-page", "open-goto", "object-stream", "update"],
)
def test_plain_documents_links_and_destinations_are_accepted_and_stored_as_sent(data):
    clean, content_type = clean_document_upload(upload(data))
    assert content_type == "application/pdf"
    assert clean.read() == data
    assert clean.name.endswith(".pdf") and "licence" not in clean.name


def test_a_pdf_written_by_pypdf_is_accepted():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Factory audit"})
    out = io.BytesIO()
    writer.write(out)
    assert clean_document_upload(upload(out.getvalue()))[1] == "application/pdf"


# --- refused ----------------------------------------------------------------------------------

SCRIPTS = "The PDF contains scripts (JavaScript), which we do not accept."
LAUNCH = "The PDF can start programs or open other files, which we do not accept."
AUTO = "The PDF runs actions by itself when it is opened or viewed, which we do not accept."
EMBEDDED = "The PDF has files embedded in it, which we do not accept."
FORM = "The PDF is a fillable form, which we do not accept."

EVIL = {
    "open-action-javascript": (pdf(b"/OpenAction 4 0 R ", {4: JS}), SCRIPTS),
    "name-escapes": (pdf(b"/Open#41ction 4 0 R ", {4: b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"}), SCRIPTS),
    "names-tree-javascript": (
        pdf(b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >> ", {4: JS}),
        SCRIPTS,
    ),
    "javascript-in-object-stream": (
        with_object_stream(b"", {4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A 5 0 R >>", 5: JS}),
        SCRIPTS,
    ),
    "page-additional-action": (pdf(page=b" /AA << /O 4 0 R >>", objects={4: JS}), SCRIPTS),
    "page-additional-action-goto": (pdf(page=b" /AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"), AUTO),
    "open-action-uri": (pdf(b"/OpenAction << /S /URI /URI (https://evil.example/) >> "), AUTO),
    "open-action-launch": (pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> "), LAUNCH),
    "link-launch": (
        pdf(
            page=b" /Annots [4 0 R]",
            objects={4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (calc.exe) >> >>"},
        ),
        LAUNCH,
    ),
    "link-remote-file": (
        pdf(
            page=b" /Annots [4 0 R]",
            objects={
                4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (other.pdf) /D [0 /Fit] >> >>"
            },
        ),
        LAUNCH,
    ),
    "embedded-file": (
        pdf(
            b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 4 0 R] >> >> ",
            {
                4: b"<< /Type /Filespec /F (invoice.exe) /EF << /F 5 0 R >> >>",
                5: (b"<< /Type /EmbeddedFile /Length 2 >>", b"MZ"),
            },
        ),
        EMBEDDED,
    ),
    "file-attachment-annotation": (
        pdf(page=b" /Annots [4 0 R]", objects={4: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] >>"}),
        EMBEDDED,
    ),
    "acroform": (pdf(b"/AcroForm << /Fields [] >> "), FORM),
    "xfa": (pdf(b"/AcroForm 4 0 R ", {4: b"<< /Fields [] /XFA 5 0 R >>", 5: (b"<< /Length 7 >>", b"<xdp/>\n")}), FORM),
    "submit-form": (pdf(b"/OpenAction [3 0 R /Fit] ", {4: b"<< /S /SubmitForm /F (https://evil.example/) >>"}), FORM),
    "update-after-eof-adds-javascript": (
        with_update(pdf(), {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", 4: JS}),
        SCRIPTS,
    ),
    "object-outside-any-xref": (pdf().replace(b"xref\n", b"9 0 obj\n" + JS + b"\nendobj\nxref\n", 1), SCRIPTS),
}


@pytest.mark.parametrize(("data", "message"), EVIL.values(), ids=EVIL.keys())
def test_active_content_is_refused_however_it_is_written(data, message):
    exc = refusal(data)
    assert exc.code == "active_content"
    assert exc.messages == [f"{message} Print it to a new PDF (Print › Save as PDF) and upload that copy."]


def test_a_script_inside_a_compressed_object_stream_is_invisible_to_a_byte_search_but_refused():
    data = EVIL["javascript-in-object-stream"][0]
    assert b"JavaScript" not in data and b"/JS" not in data  # what the old byte search looked for
    assert refusal(data).code == "active_content"


def test_an_encrypted_pdf_is_refused_with_what_to_do():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    exc = refusal(out.getvalue())
    assert exc.code == "encrypted"
    assert exc.messages == ["The PDF is protected by a password or encrypted. Upload a copy without the protection."]


@pytest.mark.parametrize(
    "data",
    [
        reportlab_pdf()[: len(reportlab_pdf()) // 2],  # truncated
        reportlab_pdf()[:-200] + b"\n%%EOF\n",  # its cross-reference table cut away
        b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",  # a header, then noise
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",  # no pages
    ],
    ids=["truncated", "no-xref", "noise", "no-pages"],
)
def test_a_damaged_pdf_is_refused(data):
    exc = refusal(data)
    assert exc.code == "unreadable"
    assert exc.messages[0].startswith("The PDF is incomplete or damaged.")


def test_a_pdf_nested_past_the_depth_cap_is_refused_quickly():
    deep = b"[" * 5000 + b"]" * 5000
    started = time.monotonic()
    exc = refusal(pdf(b"/Deep 4 0 R ", {4: deep}))
    assert time.monotonic() - started < 5
    assert exc.code in ("too_complex", "unreadable")


def test_a_pdf_with_more_objects_than_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_OBJECTS", 5)
    exc = refusal(pdf(objects={n: b"<< /N %d >>" % n for n in range(4, 12)}))
    assert exc.code == "too_complex"
    assert exc.messages[0].startswith("The PDF is too complex for us to check.")


def test_the_check_of_a_large_pdf_stays_within_its_time_budget():
    """A 10 MB PDF of 5,000 small objects and two streams: parsed and walked within the budget."""
    objects: dict[int, bytes | tuple[bytes, bytes]] = {
        n: b"<< /Kind /Note /N %d /Next [1 2 3 4] >>" % n for n in range(4, 5_000)
    }
    blob = zlib.compress(b"0 0 m 100 100 l S\n" * 200_000)
    objects[5_000] = (b"<< /Filter /FlateDecode /Length %d >>" % len(blob), blob)
    padding = b"q 1 0 0 1 0 0 cm Q\n" * (10 * 1024 * 1024 // 19)  # 10 MB of uncompressed page content
    objects[5_001] = (b"<< /Length %d >>" % len(padding), padding)
    data = pdf(objects=objects)
    started = time.monotonic()
    objects_walked = pdfs.pdf_check(data)
    seconds = time.monotonic() - started
    print(f"\nPDF check: {len(data) / 1e6:.1f} MB, {objects_walked} objects walked in {seconds:.2f} s")
    assert objects_walked == 5_001
    assert seconds < pdfs.MAX_SECONDS


def test_a_deflate_bomb_in_an_object_stream_is_refused_without_unpacking_it():
    # 60 MB of spaces deflate to 60 KB; pypdf holds an object stream unpacked while the reader lives.
    data = with_object_stream(b"", {4: b"<< /N 4 >>"}, padding=60 * 1024 * 1024)
    assert len(data) < 200 * 1024
    started = time.monotonic()
    exc = refusal(data)
    assert time.monotonic() - started < 5
    assert exc.code == "too_complex"


def test_object_streams_unpacking_past_the_total_cap_are_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_DECODED_BYTES", 1024 * 1024)
    data = with_object_stream(b"", {4: b"<< /N 4 >>"}, padding=2 * 1024 * 1024)
    exc = refusal(data)
    assert exc.code == "too_complex"
