"""A supplier's listing pictures over the API (catalog/api/pictures.py), through the dashboard's
services: upload (checked by content; a non-image refused at once and nothing kept), reorder (every
picture once), make one the cover, remove (files deleted after commit). Another supplier's listing
or picture is 404 on every endpoint, a buyer 404 (it has no listings), anonymous 403; the list has
a fixed query budget."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalog.models import ListingImage
from catalog.rules import Tier
from catalog.services import listing_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def listing(supplier, supplier_member, category):
    return listing_create(
        supplier=supplier,
        actor=supplier_member,
        fields={"category": category, "title_en": "Cutter", "sku": "C-1", "moq": 5},
        tiers=[Tier(5, Decimal("100"))],
    )


def url(listing, *rest) -> str:
    return f"/api/v1/me/listings/{listing.pk}/images/" + "".join(f"{part}/" for part in rest)


def upload(client, listing, name="a.png", **extra):
    return client.post(url(listing), {"image": f.image_upload(name=name, fmt="PNG"), **extra}, format="multipart")


def order_of(listing) -> list[int]:
    return list(listing.images.order_by("position", "id").values_list("pk", flat=True))


def test_an_upload_is_checked_and_listed_with_its_alt_text(supplier_member, listing):
    response = upload(api(supplier_member), listing, alt_text="The cutting head")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["check"], body["alt_text"], body["position"]) == ("clean", "The cutting head", 0)
    assert body["image"].startswith("http")
    assert [i["id"] for i in api(supplier_member).get(url(listing)).json()] == [body["id"]]


def test_a_file_that_is_not_an_image_is_refused_and_nothing_kept(supplier_member, listing):
    text = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    response = api(supplier_member).post(url(listing), {"image": text}, format="multipart")
    assert response.status_code == 400 and "image" in response.json()
    assert not ListingImage.objects.exists()


def test_reorder_and_cover_change_the_order_and_remove_deletes(supplier_member, listing):
    client = api(supplier_member)
    a, b, c = (upload(client, listing, f"{n}.png").json()["id"] for n in "abc")
    reordered = client.put(url(listing, "order"), {"images": [c, a, b]}, format="json")
    assert reordered.status_code == 200 and [i["id"] for i in reordered.json()] == [c, a, b]
    assert order_of(listing) == [c, a, b]
    covered = client.post(url(listing, b, "cover"))
    assert covered.status_code == 200 and order_of(listing) == [b, c, a]
    assert client.put(url(listing, "order"), {"images": [a, b]}, format="json").status_code == 400
    assert client.put(url(listing, "order"), {"images": [a, a, b]}, format="json").status_code == 400
    assert client.delete(url(listing, c)).status_code == 204
    assert order_of(listing) == [b, a]


def test_another_suppliers_listing_and_pictures_answer_404(supplier_member, other_member, listing):
    image = upload(api(supplier_member), listing).json()["id"]
    stranger = api(other_member)
    assert stranger.get(url(listing)).status_code == 404
    assert upload(stranger, listing).status_code == 404
    assert stranger.put(url(listing, "order"), {"images": [image]}, format="json").status_code == 404
    assert stranger.post(url(listing, image, "cover")).status_code == 404
    assert stranger.delete(url(listing, image)).status_code == 404
    assert ListingImage.objects.count() == 1


def test_a_buyer_gets_404_and_anonymous_403(buyer, listing):
    assert api(buyer).get(url(listing)).status_code == 404
    assert upload(api(buyer), listing).status_code == 404
    assert api().get(url(listing)).status_code == 403
    assert upload(api(), listing).status_code == 403


def test_the_list_has_a_fixed_query_budget(supplier_member, listing):
    client = api(supplier_member)
    upload(client, listing)
    with CaptureQueriesContext(connection) as few:
        client.get(url(listing))
    for n in range(4):
        upload(client, listing, f"{n}.png")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url(listing)).json()) == 5
    assert len(few) == len(many) <= 8
