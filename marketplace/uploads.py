"""Checks every uploaded image by its content, never by its name, and re-encodes it.

Order matters (RELIABILITY.md): size cap → magic bytes → Pillow with an explicit format list →
pixel cap with decompression warnings as errors → full decode → re-encode without metadata
under a server-made file name. What comes out is safe to store and serve.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Magic bytes → Pillow format name. Anything else is refused before Pillow sees it.
IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"RIFF", "WEBP"),  # plus "WEBP" at offset 8, checked below
)


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
            with Image.open(upload, formats=[fmt]) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
                out = io.BytesIO()
                if fmt == "PNG":
                    image.save(out, format="PNG", optimize=True)
                    ext = "png"
                else:
                    image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
                    ext = "jpg"
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The image is too large to process."), code="too_many_pixels") from exc
    except Exception as exc:  # Pillow raises many types for damaged files
        raise ValidationError(_("The image could not be read. Is the file damaged?"), code="unreadable") from exc
    return CleanFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")


PDF_MAX_BYTES = 15 * 1024 * 1024


def clean_document_upload(upload: UploadedFile) -> tuple[CleanFile, str]:
    """Validate a document (an image or a PDF) by content; return a safe copy and its content type.

    Images go through `clean_image_upload` (re-encoded). A PDF must start with `%PDF-`, end with
    `%%EOF`, stay under the size cap and carry no JavaScript or launch actions; it is stored as
    sent (PDFs cannot be re-encoded without a renderer) under a server-made name and is only ever
    offered to staff as a download.
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
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF is incomplete or damaged."), code="unreadable")
    for marker in (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile"):
        if marker in data:
            raise ValidationError(
                _("The PDF contains scripts or embedded files, which we do not accept."), code="active_content"
            )
    return CleanFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf"
