"""Listing pictures are checked in the worker, never in the request (marketplace.filecheck).

The request reads an upload's size and first bytes only and keeps it unchecked in private storage;
the check job decodes and re-encodes it; buyers see a picture only once it is clean, and the
supplier reads why a refused one was refused, in their language. FILE_CHECK_EAGER is off here, so
the request behaves as in production and each test runs the job itself (`file_check`).
"""

import io
from pathlib import Path

import PIL.Image
import pypdf
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from catalog.models import ListingImage
from marketplace.filecheck.models import FileCheck
from marketplace.filecheck.services import MAX_ATTEMPTS, file_check, file_checks_stalled
from tests import factories as f
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _checks_in_the_worker(settings):
    settings.FILE_CHECK_EAGER = False


@pytest.fixture
def forbid_parsing(monkeypatch):
    """Fail the test if anything opens an image or a PDF while this fixture is active."""

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was parsed in the request")

    monkeypatch.setattr(PIL.Image, "open", refuse)
    monkeypatch.setattr(pypdf, "PdfReader", refuse)
    return monkeypatch


def _upload_through_the_dashboard(member, listing, upload):
    return client_for(member).post(f"/dashboard/listings/{listing.pk}/images/", {"image": upload, "alt_text": "Bed"})


def _garbage_png() -> SimpleUploadedFile:
    """A valid PNG signature followed by bytes that are no image at all."""
    return SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 500, content_type="image/png")


def test_the_request_stores_the_upload_unchecked_without_parsing_it(supplier_member, listing, forbid_parsing, sent):
    response = _upload_through_the_dashboard(supplier_member, listing, f.image_upload(size=(640, 480)))

    assert response.status_code == 302
    [image] = ListingImage.objects.filter(listing=listing)
    assert image.file_check == FileCheck.PENDING
    assert not image.image  # no picture before its check
    quarantined = Path(django_settings.PRIVATE_MEDIA_ROOT) / image.file_quarantine.name
    assert quarantined.exists()  # in private storage, never under MEDIA_URL
    assert not str(quarantined).startswith(str(django_settings.MEDIA_ROOT / "listings"))
    assert image.file_received_at is not None
    assert sent == []  # no thumbnail before the check


def test_a_pending_picture_is_not_shown_to_buyers_and_the_supplier_sees_it_being_checked(
    supplier_member, buyer, listing, sent
):
    _upload_through_the_dashboard(supplier_member, listing, f.image_upload())
    [image] = ListingImage.objects.filter(listing=listing)

    public = client_for(buyer).get(listing.get_absolute_url())
    assert public.status_code == 200
    assert image.file_quarantine.name.rsplit("/", 1)[-1] not in public.content.decode()
    assert public.context["listing"].images.all().count() == 0

    page = client_for(supplier_member).get(f"/dashboard/listings/{listing.pk}/")
    assert 'data-testid="picture-pending"' in page.content.decode()

    api = client_for(supplier_member).get(f"/api/v1/me/listings/{listing.pk}/")
    [shown] = api.json()["images"]
    assert (shown["check"], shown["image"], shown["refusal"]) == ("pending", None, None)


def test_the_check_stores_a_re_encoded_copy_and_queues_the_thumbnail(
    supplier_member, buyer, listing, sent, django_capture_on_commit_callbacks
):
    _upload_through_the_dashboard(supplier_member, listing, f.image_upload(size=(640, 480)))
    [image] = ListingImage.objects.filter(listing=listing)
    quarantined = Path(django_settings.PRIVATE_MEDIA_ROOT) / image.file_quarantine.name

    with django_capture_on_commit_callbacks(execute=True):
        assert file_check(kind="listing_image", pk=image.pk) == FileCheck.CLEAN

    image.refresh_from_db()
    assert image.file_check == FileCheck.CLEAN and image.file_checked_at is not None
    assert image.image.name.startswith(f"listings/{listing.pk}/")
    with image.image.open("rb") as stored:
        content = stored.read()
    assert content != f.image_bytes("JPEG", size=(640, 480))  # re-encoded
    assert Image.open(io.BytesIO(content)).size == (640, 480)
    assert not image.file_quarantine and not quarantined.exists()  # the unchecked copy is gone
    assert sent == [image.pk]  # the thumbnail follows the check

    assert [i.pk for i in client_for(buyer).get(listing.get_absolute_url()).context["listing"].images.all()] == [
        image.pk
    ]
    # A second delivery of the same job changes nothing.
    assert file_check(kind="listing_image", pk=image.pk) == FileCheck.CLEAN
    assert sent == [image.pk]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_damaged_picture_is_refused_by_the_check_and_the_supplier_reads_why(
    supplier_member, listing, sent, django_capture_on_commit_callbacks, language
):
    response = _upload_through_the_dashboard(supplier_member, listing, _garbage_png())
    assert response.status_code == 302  # the request cannot know: it did not parse the file
    [image] = ListingImage.objects.filter(listing=listing)
    quarantined = Path(django_settings.PRIVATE_MEDIA_ROOT) / image.file_quarantine.name

    with django_capture_on_commit_callbacks(execute=True):
        assert file_check(kind="listing_image", pk=image.pk) == FileCheck.REFUSED

    image.refresh_from_db()
    assert (image.file_refusal, image.image.name) == ("image_unreadable", "")
    assert not quarantined.exists()
    assert sent == []
    client = client_for(supplier_member)
    page = client.get(f"/dashboard/listings/{listing.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    expected = {"en": "The image could not be read. Is the file damaged?", "zh-hans": None}[language]
    with translation.override(language):
        message = image.file_refusal_message()
    if expected:
        assert message == expected
    else:
        assert message != "The image could not be read. Is the file damaged?" and message  # translated
    assert 'data-testid="picture-refused"' in page.content.decode()
    assert message in page.content.decode()


def test_an_oversized_picture_is_refused_by_the_check_with_its_dimensions(listing, sent, settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1000
    from catalog.pictures import listing_image_create

    image = listing_image_create(listing=listing, upload=f.image_upload(size=(64, 48)))
    assert file_check(kind="listing_image", pk=image.pk) == FileCheck.REFUSED
    image.refresh_from_db()
    assert (image.file_refusal, image.file_refusal_params) == ("too_many_pixels", {"w": 64, "h": 48})
    assert image.file_refusal_message() == "The image is too large (64 × 48 pixels)."


def test_a_file_that_is_not_an_image_is_refused_in_the_request_and_nothing_is_stored(
    supplier_member, listing, forbid_parsing
):
    gif = SimpleUploadedFile("photo.jpg", b"GIF89a" + b"\x00" * 100, content_type="image/jpeg")
    response = _upload_through_the_dashboard(supplier_member, listing, gif)
    assert response.status_code == 400
    assert "This file is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not ListingImage.objects.exists()
    assert not (Path(django_settings.PRIVATE_MEDIA_ROOT) / "quarantine").exists()


def test_a_picture_whose_check_keeps_killing_the_worker_is_refused_after_the_last_attempt(listing, sent):
    from catalog.pictures import listing_image_create

    image = listing_image_create(listing=listing, upload=f.image_upload())
    # Each attempt is counted before the parse, so a worker killed mid-parse leaves its count.
    ListingImage.objects.filter(pk=image.pk).update(file_check_attempts=MAX_ATTEMPTS)

    assert file_check(kind="listing_image", pk=image.pk) == FileCheck.REFUSED
    image.refresh_from_db()
    assert image.file_refusal == "uncheckable"
    assert "could not be checked" in image.file_refusal_message()


def test_the_outcome_of_a_check_is_dropped_when_a_new_upload_replaced_the_file(listing, sent, monkeypatch):
    from catalog.pictures import listing_image_create, listing_image_replace
    from marketplace.filecheck import services

    image = listing_image_create(listing=listing, upload=f.image_upload())
    real_clean = services.clean_image_upload

    def replaced_meanwhile(upload, **kwargs):
        listing_image_replace(image=image, upload=_garbage_png())
        return real_clean(upload, **kwargs)

    monkeypatch.setattr(services, "clean_image_upload", replaced_meanwhile)
    assert file_check(kind="listing_image", pk=image.pk) == FileCheck.PENDING  # the new file waits for its own check
    image.refresh_from_db()
    assert not image.image
    monkeypatch.undo()
    assert file_check(kind="listing_image", pk=image.pk) == FileCheck.REFUSED


def test_the_sweep_finds_pending_checks_whose_job_was_lost(listing, sent):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.pictures import listing_image_create

    fresh = listing_image_create(listing=listing, upload=f.image_upload())
    lost = listing_image_create(listing=listing, upload=f.image_upload())
    ListingImage.objects.filter(pk=lost.pk).update(file_received_at=timezone.now() - timedelta(minutes=5))

    assert file_checks_stalled() == [("listing_image", lost.pk)]
    file_check(kind="listing_image", pk=lost.pk)
    assert file_checks_stalled() == []
    assert fresh.file_check == FileCheck.PENDING


def test_another_supplier_cannot_see_the_pending_or_refused_picture_by_url_or_api(
    supplier_member, other_member, listing, sent
):
    _upload_through_the_dashboard(supplier_member, listing, _garbage_png())
    [image] = ListingImage.objects.filter(listing=listing)
    other = client_for(other_member)
    assert other.get(f"/dashboard/listings/{listing.pk}/").status_code == 404
    assert other.get(f"/api/v1/me/listings/{listing.pk}/").status_code == 404
    assert other.post(f"/dashboard/listings/{listing.pk}/images/{image.pk}/remove/").status_code == 404
