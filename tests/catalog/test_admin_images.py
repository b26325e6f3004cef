"""Staff add listing pictures through the admin's image inline: checked by content, re-encoded,
stored under a server-made name, thumbnail queued after commit.

The change form is posted as a browser would post it (every rendered field, both inline
management forms); `.delay` is replaced by a recorder only to see what leaves for the broker.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ListingImage
from tests import factories as f
from tests.admin_forms import form_data
from tests.conftest import client_for

SERVER_NAME = re.compile(r"^listings/(\d+)/[0-9a-f]{32}\.(jpg|png)$")


@pytest.fixture
def admin_client(staff):
    return client_for(staff)


def _change_url(listing) -> str:
    return f"/admin/catalog/listing/{listing.pk}/change/"


def _form(admin_client, listing) -> dict[str, str]:
    page = admin_client.get(_change_url(listing))
    assert page.status_code == 200
    data = form_data(page.content.decode(), "listing_form")
    # Both inlines are on the page, with the prefixes the formsets expect.
    assert data["tiers-INITIAL_FORMS"] == str(listing.tiers.count())
    assert data["images-INITIAL_FORMS"] == str(listing.images.count())
    return data


def test_staff_upload_through_the_inline_stores_a_re_encoded_picture_and_queues_its_thumbnail(
    admin_client, listing, sent, django_capture_on_commit_callbacks
):
    data = _form(admin_client, listing)
    form = int(data["images-TOTAL_FORMS"]) - 1  # the blank extra form
    data[f"images-{form}-upload"] = f.image_upload(name="IMG_0042 factory floor.jpg", size=(320, 240))
    data[f"images-{form}-alt_text"] = "Factory floor"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(_change_url(listing), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert sent == []  # nothing leaves before the commit

    [image] = ListingImage.objects.filter(listing=listing)
    match = SERVER_NAME.match(image.image.name)
    assert match, image.image.name
    assert match.group(1) == str(listing.pk)
    assert "IMG_0042" not in image.image.name
    assert image.alt_text == "Factory floor"
    assert not image.thumbnail
    with image.image.open("rb") as stored:
        content = stored.read()
    assert Image.open(io.BytesIO(content)).size == (320, 240)
    assert content != f.image_bytes("JPEG", size=(320, 240))  # re-encoded

    for callback in callbacks:  # the thumbnail job, and dropping the unchecked upload
        callback()
    assert sent == [image.pk]


def test_saving_the_form_without_a_new_picture_queues_nothing(
    admin_client, listing, sent, django_capture_on_commit_callbacks
):
    image = ListingImage.objects.create(
        file_check="clean", listing=listing, image="listings/1/a.jpg", thumbnail="listings/1/t/a.jpg"
    )
    data = _form(admin_client, listing)
    data["images-0-alt_text"] = "Side view"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change_url(listing), data)

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Side view"
    assert image.thumbnail.name == "listings/1/t/a.jpg"
    assert sent == []


def test_replacing_a_picture_drops_the_old_thumbnail_and_queues_a_new_one(
    admin_client, listing, sent, django_capture_on_commit_callbacks
):
    image = ListingImage.objects.create(
        file_check="clean", listing=listing, image="listings/1/a.jpg", thumbnail="listings/1/t/a.jpg"
    )
    data = _form(admin_client, listing)
    data["images-0-upload"] = f.image_upload(name="new.png", fmt="PNG")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change_url(listing), data)

    assert response.status_code == 302
    image.refresh_from_db()
    assert SERVER_NAME.match(image.image.name)
    assert image.image.name.endswith(".png")
    assert not image.thumbnail
    assert sent == [image.pk]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"Dear supplier, this is not a picture.\n" * 20, "This file is not a JPEG, PNG or WebP image."),
        ("photo.gif", f.image_bytes("GIF"), "This file is not a JPEG, PNG or WebP image."),
    ],
    ids=["text-file", "gif"],
)
def test_uploading_a_file_that_is_not_an_accepted_image_shows_the_error_and_creates_nothing(
    admin_client, listing, sent, django_capture_on_commit_callbacks, name, content, message
):
    data = _form(admin_client, listing)
    form = int(data["images-TOTAL_FORMS"]) - 1
    data[f"images-{form}-upload"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    data["title_en"] = "Changed title"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(_change_url(listing), data)

    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert "Please correct the error" in response.content.decode()
    assert not ListingImage.objects.exists()
    listing.refresh_from_db()
    assert listing.title_en != "Changed title"  # nothing of the form was saved
    assert callbacks == []
    assert sent == []


def test_listing_admin_is_closed_to_suppliers(supplier_member, listing):
    response = client_for(supplier_member).get(_change_url(listing))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
