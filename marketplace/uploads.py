"""Checks every uploaded image by its content, never by its name, and re-encodes it.

Order matters (RELIABILITY.md): size cap → magic bytes → Pillow with an explicit format list →
pixel cap with decompression warnings as errors → full decode → re-encode without metadata
under a server-made file name. What comes out is safe to store and serve.
"""

import io
import logging
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from .pdfs import PdfRefused, pdf_check

logger = logging.getLogger(__name__)

# Magic bytes → Pillow format name. Anything else is refused before Pillow sees it.
IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"RIFF", "WEBP"),  # plus "WEBP" at offset 8, checked below
)


PNG_OPTIMIZE_MAX_PIXELS = 4_000_000


class CleanFile(ContentFile):
    """The checked copy of an upload, under a server-made name (so, unlike a ContentFile's, never None)."""

    name: str


def _sniff_image_format(head: bytes) -> str | None:
    for signature, fmt in IMAGE_SIGNATURES:
        if head.startswith(signature):
            if fmt == "WEBP" and head[8:12] != b"WEBP":
                return None
            return fmt
    return None


def clean_image_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> CleanFile:
    """Validate an uploaded image and return a re-encoded copy with a server-made name.

    Raises ValidationError with a message for the person who uploaded it.
    """
    max_bytes = max_bytes or settings.UPLOAD_IMAGE_MAX_BYTES
    max_pixels = settings.UPLOAD_IMAGE_MAX_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    fmt = _sniff_image_format(head)
    if fmt is None:
        raise ValidationError(_("This file is not a JPEG, PNG or WebP image."), code="not_an_image")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (DecompressionBombWarning) between its limit and twice it; we refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _("The image is too large (%(w)s × %(h)s pixels).") % {"w": width, "h": height},
                        code="too_many_pixels",
                    )
                probe.verify()
            upload.seek(0)
            # One decoded copy at a time (a 40-megapixel image is 160 MB decoded, in the request):
            # the orientation is applied in place, and an RGB image is encoded without converting.
            with Image.open(upload, formats=[fmt]) as image:
                image.load()
                ImageOps.exif_transpose(image, in_place=True)
                out = io.BytesIO()
                if fmt == "PNG":
                    # optimize tries every filter on each row: seconds on a large image, for a few percent.
                    image.save(out, format="PNG", optimize=width * height <= PNG_OPTIMIZE_MAX_PIXELS)
                    ext = "png"
                else:
                    rgb = image if image.mode == "RGB" else image.convert("RGB")
                    rgb.save(out, format="JPEG", quality=88, optimize=True)
                    ext = "jpg"
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The image is too large to process."), code="too_many_pixels") from exc
    except Exception as exc:  # Pillow raises many types for damaged files
        raise ValidationError(_("The image could not be read. Is the file damaged?"), code="unreadable") from exc
    return CleanFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")


PDF_MAX_BYTES = 15 * 1024 * 1024

_PDF_ADVICE = gettext_lazy("Print it to a new PDF (Print › Save as PDF) and upload that copy.")
PDF_REFUSALS: dict[str, tuple[str, Promise]] = {
    "unreadable": ("unreadable", gettext_lazy("The PDF is incomplete or damaged.")),
    "encrypted": (
        "encrypted",
        gettext_lazy("The PDF is protected by a password or encrypted. Upload a copy without the protection."),
    ),
    "javascript": ("active_content", gettext_lazy("The PDF contains scripts (JavaScript), which we do not accept.")),
    "launch": (
        "active_content",
        gettext_lazy("The PDF can start programs or open other files, which we do not accept."),
    ),
    "auto_action": (
        "active_content",
        gettext_lazy("The PDF runs actions by itself when it is opened or viewed, which we do not accept."),
    ),
    "embedded_file": ("active_content", gettext_lazy("The PDF has files embedded in it, which we do not accept.")),
    "form": ("active_content", gettext_lazy("The PDF is a fillable form, which we do not accept.")),
    "too_complex": ("too_complex", gettext_lazy("The PDF is too complex for us to check.")),
}


def clean_document_upload(upload: UploadedFile) -> tuple[CleanFile, str]:
    """Validate a document (an image or a PDF) by content; return a safe copy and its content type.

    Images go through `clean_image_upload` (re-encoded). A PDF must stay under the size cap and
    pass `marketplace.pdfs.pdf_check`: parsed within caps of objects, nesting and time, every
    object walked (compressed object streams and incremental updates included), no scripts,
    launch or automatic actions, embedded files or forms. It is stored as sent (PDFs cannot be
    re-encoded without a renderer) under a server-made name and only ever offered as a download.
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if _sniff_image_format(head):
        clean = clean_image_upload(upload)
        return clean, "image/png" if clean.name.endswith(".png") else "image/jpeg"
    if not head.startswith(b"%PDF-"):
        raise ValidationError(_("Upload a PDF file or a JPEG, PNG or WebP image."), code="bad_type")
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(PDF_MAX_BYTES)},
            code="too_large",
        )
    data = upload.read(PDF_MAX_BYTES + 1)
    if len(data) > PDF_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(PDF_MAX_BYTES)}, code="too_large"
        )
    try:
        pdf_check(data)
    except PdfRefused as refused:
        logger.info("PDF refused: %s", refused)
        code, message = PDF_REFUSALS[refused.reason]
        advice = f" {_PDF_ADVICE}" if refused.reason not in ("encrypted",) else ""
        raise ValidationError(f"{message}{advice}", code=code) from None
    return CleanFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf"
