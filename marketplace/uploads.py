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
from django.core.files.base import ContentFile, File
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


def clean_image_upload(upload: File, *, max_bytes: int | None = None) -> CleanFile:
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
        raise _refused("not_an_image")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (DecompressionBombWarning) between its limit and twice it; we refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise _refused("too_many_pixels", w=width, h=height)
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
        raise _refused("image_too_large_to_process") from exc
    except MemoryError as exc:  # the worker's per-job memory cap (WORKER_JOB_MEMORY_MB)
        raise _refused("image_too_large_to_process") from exc
    except Exception as exc:  # Pillow raises many types for damaged files
        raise _refused("image_unreadable") from exc
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


# What a check in the worker can refuse, by key: the key and its params are stored with the file
# (marketplace.filecheck), and the message is made from them in the reader's language.
REFUSALS: dict[str, tuple[str, Promise]] = {
    "too_many_pixels": ("too_many_pixels", gettext_lazy("The image is too large (%(w)s × %(h)s pixels).")),
    "image_too_large_to_process": ("too_many_pixels", gettext_lazy("The image is too large to process.")),
    "image_unreadable": ("unreadable", gettext_lazy("The image could not be read. Is the file damaged?")),
    "not_an_image": ("not_an_image", gettext_lazy("This file is not a JPEG, PNG or WebP image.")),
    "bad_type": ("bad_type", gettext_lazy("Upload a PDF file or a JPEG, PNG or WebP image.")),
    "too_large": ("too_large", gettext_lazy("The file is too large.")),
    "uncheckable": (
        "too_complex",
        gettext_lazy("The file could not be checked: it is too large or too complex. Upload a simpler copy."),
    ),
    **{f"pdf_{reason}": (code, message) for reason, (code, message) in PDF_REFUSALS.items()},
}
_NO_ADVICE = {"pdf_encrypted"}


def refusal_message(key: str, params: dict[str, object] | None = None) -> str:
    """The message of a stored refusal, in the active language (an unknown key reads as damaged)."""
    _code, message = REFUSALS.get(key, REFUSALS["image_unreadable"])
    text = str(message) % (params or {}) if params else str(message)
    if key.startswith("pdf_") and key not in _NO_ADVICE:
        text = f"{text} {_PDF_ADVICE}"
    return text


def _refused(key: str, **params: object) -> ValidationError:
    """A ValidationError whose message is `refusal_message(key, params)`; `params["refusal"]` is the
    key, so a caller that stores the refusal keeps its key and params, not its words."""
    code, _message = REFUSALS[key]
    return ValidationError(refusal_message(key, params), code=code, params={"refusal": key, **params})


def refusal_of(error: ValidationError) -> tuple[str, dict[str, object]]:
    """(key, params) of a ValidationError raised by the checks of this module."""
    params = dict(getattr(error, "params", None) or {})
    key = str(params.pop("refusal", "") or "image_unreadable")
    return key, params


def clean_document_upload(upload: File) -> tuple[CleanFile, str]:
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
        raise _refused("bad_type")
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
        raise _refused(f"pdf_{refused.reason}") from None
    return CleanFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf"


IMAGES = "image"
DOCUMENTS = "document"


def upload_precheck(upload: UploadedFile, *, accept: str) -> str:
    """What a request may check of an upload before storing it for the worker: the size and the
    magic bytes, nothing that parses it. `accept` is IMAGES (JPEG, PNG, WebP) or DOCUMENTS (those
    or a PDF). Returns a server-made file name for the unchecked copy; raises ValidationError with
    a message for the uploader. The content is checked later by `clean_image_upload` or
    `clean_document_upload`, in the worker (marketplace.filecheck).
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if _sniff_image_format(head):
        limit = settings.UPLOAD_IMAGE_MAX_BYTES
    elif accept == DOCUMENTS and head.startswith(b"%PDF-"):
        limit = PDF_MAX_BYTES
    else:
        raise _refused("not_an_image" if accept == IMAGES else "bad_type")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    return f"{uuid.uuid4().hex}.upload"
