"""The lots API (catalog.api.lots): a supplier's lots under /api/v1/me/lots/ and the public read
/api/v1/lots/<token>/; per role (the supplier, another supplier, a buyer, anonymous), the
kernel's idempotency key on create (marketplace.idempotency), certificates checked before they show,
query budgets."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Lot, LotCertificate
from marketplace.idempotency.models import IdempotentRequest
from suppliers.models import Supplier
from tests import factories as f
from tests.catalog.lots import make_lot, produce_listing

pytestmark = pytest.mark.django_db

BODY = {
    "code": "AKS-API-1",
    "site_name": "Hongqipo orchard, block 7",
    "site_address": "Hongqipo farm, Aksu, Xinjiang",
    "site_region": "CN-XJ",
    "latitude": "41.16830",
    "longitude": "80.26080",
    "produced_on": "2026-09-20",
    "quantity": 5000,
    "unit": "kg",
    "grade": "Grade A",
}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def produce(supplier, category):
    return produce_listing(supplier, category)


@pytest.fixture
def lot(supplier, supplier_member, produce):
    return make_lot(supplier, supplier_member, [produce])


def test_a_supplier_creates_a_lot_once_per_idempotency_key(supplier_member, produce):
    body = {**BODY, "listings": [produce.pk]}
    client = api(supplier_member)
    first = client.post(reverse("api:my-lot-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    lot_id = first.json()["id"]
    again = client.post(reverse("api:my-lot-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = client.post(reverse("api:my-lot-list"), {**body, "code": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert client.post(reverse("api:my-lot-list"), body, format="json").status_code == 400  # no key
    assert Lot.objects.count() == 1
    row = IdempotentRequest.objects.get()  # the kernel's key, answered with the first answer
    assert (row.user_id, row.key, row.status_code, row.response["id"]) == (supplier_member.pk, "k-1", 201, lot_id)
    data = first.json()
    assert (data["remaining"], data["listings"], data["status"]) == (5000, [produce.pk], "open")
    assert data["url"].endswith(reverse("catalog:lot_public", args=[Lot.objects.get().token]))


def test_a_lot_of_another_suppliers_listing_is_refused(supplier_member, other_supplier, category):
    theirs = produce_listing(other_supplier, category)
    response = api(supplier_member).post(
        reverse("api:my-lot-list"), {**BODY, "listings": [theirs.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 400 and "listings" in response.json()
    assert not Lot.objects.exists()


def test_a_refused_lot_leaves_the_key_free_for_the_corrected_request(supplier_member, produce):
    client = api(supplier_member)
    body = {**BODY, "listings": [produce.pk]}
    bad = client.post(
        reverse("api:my-lot-list"), {**body, "packed_on": "2026-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert bad.status_code == 400 and "packed_on" in bad.json()
    assert not IdempotentRequest.objects.exists() and not Lot.objects.exists()
    good = client.post(reverse("api:my-lot-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201, good.content


@pytest.mark.parametrize("who", ["buyer", "anonymous"])
def test_someone_not_a_supplier_is_refused_a_lot_before_the_key_is_read(who, buyer):
    """403 (or 401) whether or not a key is sent: the wrong side learns nothing from the key's state."""
    client = api(buyer if who == "buyer" else None)
    for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "k-4"}):
        response = client.post(reverse("api:my-lot-list"), BODY, format="json", **headers)
        assert response.status_code in (401, 403), response.content
    assert not IdempotentRequest.objects.exists()


def test_a_supplier_updates_closes_and_adds_a_certificate(supplier_member, lot):
    client = api(supplier_member)
    response = client.patch(reverse("api:my-lot-detail", args=[lot.pk]), {"grade": "B"}, format="json")
    assert response.status_code == 200 and response.json()["grade"] == "B"
    upload = client.post(
        reverse("api:my-lot-certificates", args=[lot.pk]),
        {"file": f.pdf_upload(), "kind": "inspection", "number": "CIQ-9"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["file_check"] == "clean" and upload.json()["url"].startswith("http://testserver/lots/")
    closed = client.post(reverse("api:my-lot-close", args=[lot.pk]))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_a_pending_certificate_has_no_address(supplier_member, lot, settings):
    settings.FILE_CHECK_EAGER = False
    upload = api(supplier_member).post(
        reverse("api:my-lot-certificates", args=[lot.pk]),
        {"file": f.pdf_upload(), "kind": "origin"},
        format="multipart",
    )
    assert upload.json()["file_check"] == "pending" and upload.json()["url"] is None
    public = api().get(reverse("api:lot-detail", args=[lot.token])).json()
    assert public["certificates"] == []


@pytest.mark.parametrize("who", ["other_member", "buyer", "anonymous"])
def test_nobody_but_the_suppliers_members_reaches_its_lots(who, lot, other_member, buyer):
    client = api({"other_member": other_member, "buyer": buyer}.get(who))
    expected = (401, 403) if who == "anonymous" else (404,)
    assert client.get(reverse("api:my-lot-detail", args=[lot.pk])).status_code in expected
    assert (
        client.patch(reverse("api:my-lot-detail", args=[lot.pk]), {"grade": "Z"}, format="json").status_code in expected
    )
    assert client.post(reverse("api:my-lot-close", args=[lot.pk])).status_code in expected
    upload = client.post(
        reverse("api:my-lot-certificates", args=[lot.pk]),
        {"file": f.pdf_upload(), "kind": "origin"},
        format="multipart",
    )
    assert upload.status_code in expected
    listed = client.get(reverse("api:my-lot-list"))
    if who == "other_member":
        assert listed.status_code == 200 and listed.json()["results"] == []
    else:  # the list of the suppliers' side: anyone else is told it is the wrong side
        assert listed.status_code == 403
    lot.refresh_from_db()
    assert (lot.grade, lot.status) == ("Grade A (特级)", "open")
    assert not LotCertificate.objects.exists()


def test_the_list_shows_only_ones_own_lots_within_a_fixed_query_budget(
    supplier, supplier_member, produce, other_supplier, other_member, category, django_assert_max_num_queries
):
    make_lot(other_supplier, other_member, [produce_listing(other_supplier, category)], code="THEIRS")
    client = api(supplier_member)
    for n in (1, 8):
        for i in range(Lot.objects.filter(supplier=supplier).count(), n):
            make_lot(supplier, supplier_member, [produce], code=f"L-{i}")
        # member and supplier, the lots with their certificate counts, their listings
        with django_assert_max_num_queries(4):
            response = client.get(reverse("api:my-lot-list"))
        codes = [item["code"] for item in response.json()["results"]]
        assert len(codes) == n and "THEIRS" not in codes


def test_anyone_reads_a_lot_by_its_token_with_the_suppliers_certification_today(
    lot, supplier, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = api().get(reverse("api:lot-detail", args=[lot.token]))
    data = response.json()
    assert response.status_code == 200
    assert (data["code"], data["site_region"], data["grade"]) == ("AKS-2026-001", "CN-XJ", "Grade A (特级)")
    assert data["supplier"]["certified"] is True
    Supplier.objects.filter(pk=supplier.pk).update(status=Supplier.Status.SUSPENDED)
    supplier_now = api().get(reverse("api:lot-detail", args=[lot.token])).json()["supplier"]
    assert (supplier_now["status"], supplier_now["certified"], supplier_now["level"]) == ("suspended", False, "none")
    assert api().get(reverse("api:lot-detail", args=["nope"])).status_code == 404


def test_the_schema_declares_the_lot_operations(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "my_lots_list", "my_lots_create", "my_lots_retrieve", "my_lots_update", "my_lots_close",
        "my_lots_certificate_add", "lots_retrieve", "orders_ship",
    } <= operations  # fmt: skip
    create = schema["paths"]["/api/v1/me/lots/"]["post"]
    [header] = [p for p in create["parameters"] if p["in"] == "header" and p["name"] == "Idempotency-Key"]
    assert header["required"] is True and {"200", "201", "422"} <= set(create["responses"])
    ship = schema["components"]["schemas"]["OrderShipInput"]["properties"]
    assert "lots" in ship
