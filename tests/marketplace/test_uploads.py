"""`clean_image_upload`: images are judged by their content, never their name, and re-encoded.

Each refusal carries a message for the person who uploaded the file and a `code` for the code
that handles it (RELIABILITY.md: size cap → magic bytes → explicit formats → pixel cap → decode).
"""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.uploads import clean_image_upload
from tests.factories import image_bytes, image_upload

SERVER_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


def _upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _refusal(upload: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_image_upload(upload)
    return caught.value


def _open(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def _noisy_jpeg(size: tuple[int, int] = (256, 256)) -> bytes:
    """A JPEG with real scan data (a solid colour compresses to almost nothing)."""
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "name", "out_format", "ext"),
    [
        ("JPEG", "holiday.jpg", "JPEG", "jpg"),
        ("PNG", "diagram.png", "PNG", "png"),
        ("WEBP", "banner.webp", "JPEG", "jpg"),
    ],
)
def test_accepts_jpeg_png_and_webp_and_returns_a_re_encoded_copy_with_a_server_made_name(fmt, name, out_format, ext):
    upload = image_upload(name=name, fmt=fmt, size=(64, 48))
    original = image_bytes(fmt, size=(64, 48))

    clean = clean_image_upload(upload)

    assert SERVER_NAME.match(clean.name), clean.name
    assert clean.name.endswith(f".{ext}")
    content = clean.read()
    assert content != original  # re-encoded, not the uploaded bytes passed through
    image = _open(content)
    assert image.format == out_format
    assert image.size == (64, 48)


def test_file_name_never_comes_from_the_uploader():
    upload = _upload("../../evil.php.jpg", image_bytes("JPEG"))
    clean = clean_image_upload(upload)
    assert "evil" not in clean.name
    assert "/" not in clean.name and ".." not in clean.name
    assert SERVER_NAME.match(clean.name)


def test_extension_comes_from_the_content_not_the_name():
    # A real PNG that calls itself .jpg is stored as .png.
    clean = clean_image_upload(_upload("photo.jpg", image_bytes("PNG"), "image/jpeg"))
    assert clean.name.endswith(".png")
    assert _open(clean.read()).format == "PNG"


def test_two_uploads_of_the_same_file_get_different_names():
    first = clean_image_upload(image_upload())
    second = clean_image_upload(image_upload())
    assert first.name != second.name


def test_strips_exif_from_a_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0131] = "secret-editor 1.0"  # Software
    upload = _upload("camera.jpg", image_bytes("JPEG", exif=exif.tobytes()))
    assert _open(upload.read()).getexif()[0x010F] == "SpyCam Industries"  # the input really has EXIF
    upload.seek(0)

    content = clean_image_upload(upload).read()

    image = _open(content)
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"SpyCam" not in content


def test_strips_exif_from_a_png():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"
    upload = _upload("scan.png", image_bytes("PNG", exif=exif.tobytes()), "image/png")
    content = clean_image_upload(upload).read()
    assert not _open(content).getexif()
    assert b"SpyCam" not in content


def test_applies_the_exif_orientation_before_dropping_it():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    upload = _upload("portrait.jpg", image_bytes("JPEG", size=(64, 48), exif=exif.tobytes()))
    image = _open(clean_image_upload(upload).read())
    assert image.size == (48, 64)
    assert not image.getexif()


def test_refuses_a_text_file_named_jpg():
    exc = _refusal(_upload("notes.jpg", b"Dear supplier, please find attached...\n" * 10))
    assert exc.code == "not_an_image"
    assert exc.messages == ["This file is not a JPEG, PNG or WebP image."]


def test_refuses_a_pdf_named_png():
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    exc = _refusal(_upload("invoice.png", pdf, "image/png"))
    assert exc.code == "not_an_image"
    assert "not a JPEG, PNG or WebP image" in exc.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a/*<html><body><script>alert(document.cookie)</script></body></html>*/",
        b"<script>alert(document.cookie)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    ],
    ids=["gif89a-polyglot", "script", "svg"],
)
def test_refuses_html_and_javascript_polyglots(content):
    exc = _refusal(_upload("avatar.jpg", content))
    assert exc.code == "not_an_image"
    assert "not a JPEG, PNG or WebP image" in exc.messages[0]


def test_refuses_a_real_gif():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="GIF")
    exc = _refusal(_upload("anim.gif", out.getvalue(), "image/gif"))
    assert exc.code == "not_an_image"


def test_refuses_a_file_over_the_byte_cap(settings):
    content = image_bytes("JPEG")
    settings.UPLOAD_IMAGE_MAX_BYTES = len(content) - 1
    exc = _refusal(_upload("big.jpg", content))
    assert exc.code == "too_large"
    assert exc.messages[0].startswith("The file is too large")
    assert "The limit is" in exc.messages[0]


def test_accepts_a_file_exactly_at_the_byte_cap(settings):
    content = image_bytes("JPEG")
    settings.UPLOAD_IMAGE_MAX_BYTES = len(content)
    assert clean_image_upload(_upload("edge.jpg", content)).name.endswith(".jpg")


def test_refuses_a_decompression_bomb():
    # 20000 × 20000 one-bit pixels compress to a few dozen KB, but would take 400 MB to decode.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    bomb = out.getvalue()
    assert len(bomb) < 100 * 1024  # small on the wire: the byte cap alone does not catch it

    exc = _refusal(_upload("bomb.png", bomb, "image/png"))

    assert exc.code == "too_many_pixels"
    assert "too large" in exc.messages[0]


def test_refuses_an_image_over_the_pixel_cap_with_its_size_in_the_message(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1000
    exc = _refusal(image_upload(size=(64, 48)))  # 3072 pixels
    assert exc.code == "too_many_pixels"
    assert exc.messages == ["The image is too large (64 × 48 pixels)."]


def test_refuses_a_truncated_jpeg():
    content = _noisy_jpeg()
    exc = _refusal(_upload("cut.jpg", content[: len(content) // 2]))
    assert exc.code == "unreadable"
    assert exc.messages == ["The image could not be read. Is the file damaged?"]


def test_refuses_a_png_header_followed_by_garbage():
    exc = _refusal(_upload("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, "image/png"))
    assert exc.code == "unreadable"
    assert "could not be read" in exc.messages[0]
