"""/api/v1/inquiries/ and /api/v1/saved-suppliers/: the same services as the pages, deny by default,
and another company's thread answers 404 on every endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from buyers.models import Inquiry, SavedSupplier
from buyers.services.inquiries import inquiry_reply, inquiry_start, supplier_save
from tests import factories as f
from tests.buyers.conftest import png_upload


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


LIST = reverse("api:inquiry-list")


def test_buyer_starts_an_inquiry_and_the_supplier_sees_and_answers_it(
    buyer, supplier, supplier_member, listing, notified, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(buyer).post(
            LIST,
            {"supplier": supplier.slug, "listing": listing.pk, "subject": "20 units", "body": "FOB Wuhan?"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["listing"] == listing.pk and data["supplier"]["slug"] == supplier.slug
    assert [m["body"] for m in data["messages"]] == ["FOB Wuhan?"] and len(notified) == 1

    inbox = api(supplier_member).get(LIST).json()
    assert [(i["id"], i["unread"]) for i in inbox["results"]] == [(data["id"], 1)]
    reply = api(supplier_member).post(
        reverse("api:inquiry-message-create", args=[data["id"]]),
        {"body": "Drawing attached", "attachment": png_upload("plan.png")},
        format="multipart",
    )
    assert reply.status_code == 201 and reply.json()["party"] == "supplier"
    assert reply.json()["attachment"]["name"] == "plan.png"
    download = f"/api/v1/inquiries/{data['id']}/messages/{reply.json()['id']}/attachment/"
    assert reply.json()["attachment"]["url"].endswith(download)

    detail = api(buyer).get(reverse("api:inquiry-detail", args=[data["id"]])).json()
    assert detail["first_supplier_reply_at"] is not None and len(detail["messages"]) == 2
    assert api(buyer).get(LIST).json()["results"][0]["unread"] == 1
    assert api(buyer).post(reverse("api:inquiry-read", args=[data["id"]])).status_code == 200
    assert api(buyer).get(LIST).json()["results"][0]["unread"] == 0


def test_start_refuses_uncertified_suppliers_foreign_listings_and_non_buyers(
    buyer, belt, supplier, other_supplier, supplier_member, notified
):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    theirs = f.ListingFactory(supplier=other_supplier)
    body = {"subject": "x", "body": "y"}
    assert api(buyer).post(LIST, {**body, "supplier": applicant.slug}, format="json").status_code == 400
    response = api(buyer).post(LIST, {**body, "supplier": supplier.slug, "listing": theirs.pk}, format="json")
    assert response.status_code == 400 and "listing" in response.json()
    assert api(supplier_member).post(LIST, {**body, "supplier": supplier.slug}, format="json").status_code == 403
    assert api().post(LIST, {**body, "supplier": supplier.slug}, format="json").status_code == 403
    assert not Inquiry.objects.exists()


def test_a_renamed_executable_is_a_400_by_field(inquiry, supplier_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/png")
    response = api(supplier_member).post(
        reverse("api:inquiry-message-create", args=[inquiry.pk]), {"body": "x", "attachment": fake}, format="multipart"
    )
    assert response.status_code == 400 and "attachment" in response.json()


def test_every_inquiry_endpoint_answers_404_to_the_other_buyer_and_the_other_supplier(
    inquiry, other_buyer, other_member, operator, staff, supplier_member
):
    attached = inquiry_reply(inquiry=inquiry, actor=supplier_member, body="x", attachment=png_upload())
    urls = {
        "get": [
            reverse("api:inquiry-detail", args=[inquiry.pk]),
            reverse("api:inquiry-attachment", args=[inquiry.pk, attached.pk]),
        ],
        "post": [
            reverse("api:inquiry-message-create", args=[inquiry.pk]),
            reverse("api:inquiry-read", args=[inquiry.pk]),
        ],
    }
    for user in (other_buyer, other_member, operator, staff):
        client = api(user)
        for url in urls["get"]:
            assert client.get(url).status_code == 404, (user, url)
        for url in urls["post"]:
            assert client.post(url, {"body": "Let me in"}, format="json").status_code == 404, (user, url)
        assert client.get(LIST).json()["results"] == []
    for url in urls["get"]:
        assert api().get(url).status_code == 403
    assert inquiry.messages.count() == 2


def test_list_query_count_does_not_grow_with_threads(
    buyer, company, supplier, supplier_member, notified, django_assert_num_queries
):
    for n in (1, 5):
        while Inquiry.objects.count() < n:
            i = Inquiry.objects.count()
            thread = inquiry_start(
                buyer=company, actor=buyer, supplier=supplier, subject=f"T{i}", body=f"b{i}",
                listing=f.ListingFactory(supplier=supplier),
            )  # fmt: skip
            inquiry_reply(inquiry=thread, actor=supplier_member, body="Answer")
        # buyer: company, count, page; supplier: buyer company (none), supplier, count, page
        with django_assert_num_queries(3):
            assert len(api(buyer).get(LIST).json()["results"]) == n
        with django_assert_num_queries(4):
            assert len(api(supplier_member).get(LIST).json()["results"]) == n


@pytest.mark.parametrize("messages", [1, 6])
def test_detail_query_count_does_not_grow_with_messages(
    messages, inquiry, buyer, supplier_member, django_assert_num_queries
):
    for i in range(messages):
        inquiry_reply(inquiry=inquiry, actor=supplier_member, body=f"m{i}")
    # inquiry (membership by EXISTS), messages with authors
    with django_assert_num_queries(2):
        assert api(buyer).get(reverse("api:inquiry-detail", args=[inquiry.pk])).status_code == 200


# --- saved suppliers ------------------------------------------------------------------------------

SAVED = reverse("api:saved-supplier-list")


def test_save_list_and_delete_saved_suppliers(buyer, company, supplier, other_supplier, other_buyer):
    client = api(buyer)
    assert client.post(SAVED, {"supplier": supplier.slug}, format="json").status_code == 201
    assert client.post(SAVED, {"supplier": supplier.slug}, format="json").status_code == 201  # idempotent
    assert client.post(SAVED, {"supplier": other_supplier.slug}, format="json").status_code == 201
    assert [s["supplier"]["slug"] for s in client.get(SAVED).json()["results"]] == [
        other_supplier.slug,
        supplier.slug,
    ]
    assert api(other_buyer).get(SAVED).json()["results"] == []
    detail = reverse("api:saved-supplier-detail", args=[supplier.slug])
    assert api(other_buyer).delete(detail).status_code == 404  # not on *their* list
    assert client.delete(detail).status_code == 204
    assert client.delete(detail).status_code == 404
    assert list(SavedSupplier.objects.values_list("supplier", flat=True)) == [other_supplier.pk]


def test_saved_suppliers_refuse_uncertified_suppliers_suppliers_and_anonymous(buyer, belt, supplier, supplier_member):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    assert api(buyer).post(SAVED, {"supplier": applicant.slug}, format="json").status_code == 400
    assert api(supplier_member).get(SAVED).status_code == 403
    assert api(supplier_member).post(SAVED, {"supplier": supplier.slug}, format="json").status_code == 403
    assert api().get(SAVED).status_code == 403
    assert not SavedSupplier.objects.exists()


def test_saved_list_query_count_does_not_grow(buyer, company, belt, django_assert_num_queries):
    for n in (1, 4):
        while SavedSupplier.objects.count() < n:
            supplier_save(buyer=company, actor=buyer, supplier=f.SupplierFactory(belt=belt))
        with django_assert_num_queries(3):  # company, count, page (with suppliers)
            assert len(api(buyer).get(SAVED).json()["results"]) == n


def test_schema_names_every_operation(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    ops = {op["operationId"] for path in schema["paths"].values() for op in path.values() if "operationId" in op}
    assert {
        "inquiries_list", "inquiries_create", "inquiries_retrieve", "inquiries_mark_read", "inquiries_messages_create",
        "inquiries_messages_attachment", "saved_suppliers_list", "saved_suppliers_create", "saved_suppliers_destroy",
    } <= ops  # fmt: skip
