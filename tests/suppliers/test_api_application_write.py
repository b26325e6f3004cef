"""Writing one's supplier application over the API (suppliers/api_application.py), with the wizard's
services: fields saved as a draft (only application fields), sites added and removed, documents
uploaded as multipart and checked by content (a bad file refused at once, a good one clean after
its check), submission refused with what is missing and accepted when complete, then read-only.
Each role: another supplier's site or document answers 404, a buyer 404 (it has no application),
anonymous 403; the lists have a fixed query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from suppliers.models import ProductionSite, Supplier, SupplierDocument
from tests import factories as f

from .factories import CompleteDraftFactory, DraftSupplierFactory, applicant, pdf_upload, png_upload, text_upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/application/"
SITES, DOCUMENTS, SUBMIT = URL + "sites/", URL + "documents/", URL + "submit/"
SITE = {"name": "Plant 2", "address": "1 Road", "province": "CN-FJ", "city": "Shishi", "products": "Looms"}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def draft(db):
    return DraftSupplierFactory()


@pytest.fixture
def member(draft):
    return applicant(draft)


def test_patch_saves_the_given_fields_and_leaves_the_rest(draft, member, belt, category):
    response = api(member).patch(
        URL,
        {"legal_representative": "Chen Jie", "province": "CN-FJ", "belt": belt.slug, "main_categories": [category.slug],
         "year_founded": 2001},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert (draft.legal_representative, draft.province, draft.belt_id, draft.year_founded) == (
        "Chen Jie", "CN-FJ", belt.pk, 2001,
    )  # fmt: skip
    assert list(draft.main_categories.all()) == [category]
    assert draft.name_en and "legal representative" not in response.json()["missing"]


def test_patch_cannot_write_status_or_level_and_checks_the_uscc(draft, member):
    response = api(member).patch(URL, {"status": "certified", "certification_level": "gold"}, format="json")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.DRAFT and draft.certification_level == "none"
    bad = api(member).patch(URL, {"uscc": "123"}, format="json")
    assert bad.status_code == 400
    assert api(member).patch(URL, {"year_founded": 3000}, format="json").status_code == 400


def test_sites_are_added_listed_and_removed(draft, member):
    client = api(member)
    added = client.post(SITES, SITE, format="json")
    assert added.status_code == 201 and added.json()["is_verified"] is False
    assert [s["name"] for s in client.get(SITES).json()] == ["Plant 2"]
    assert client.delete(f"{SITES}{added.json()['id']}/").status_code == 204
    assert not ProductionSite.objects.filter(supplier=draft).exists()


def test_a_licence_upload_is_quarantined_checked_and_listed(draft, member):
    response = api(member).post(DOCUMENTS, {"kind": "licence", "file": png_upload()}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["check"], body["content_type"]) == ("licence", "clean", "image/png")
    document = draft.documents.get()
    assert document.file.name and not document.file_quarantine.name  # the checked copy replaced the upload
    assert [d["id"] for d in api(member).get(DOCUMENTS).json()] == [document.pk]


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(draft, member):
    response = api(member).post(DOCUMENTS, {"kind": "licence", "file": text_upload()}, format="multipart")
    assert response.status_code == 400
    assert not draft.documents.exists()


def test_a_certificate_needs_its_details(draft, member):
    client = api(member)
    bare = client.post(DOCUMENTS, {"kind": "certificate", "file": pdf_upload()}, format="multipart")
    assert bare.status_code == 400 and {"standard", "number", "issuer", "valid_until"} <= set(bare.json())
    full = client.post(
        DOCUMENTS,
        {"kind": "certificate", "file": pdf_upload(), "standard": "oeko_tex", "number": "OT-1",
         "issuer": "Hohenstein", "valid_until": "2030-01-01"},
        format="multipart",
    )  # fmt: skip
    assert full.status_code == 201, full.json()
    assert full.json()["number"] == "OT-1"


def test_submit_is_refused_with_what_is_missing_then_accepted(db, monkeypatch):
    monkeypatch.setattr("suppliers.tasks.verification_run_execute_task.delay", lambda run_id: None)
    complete = CompleteDraftFactory()
    member = applicant(complete)
    client = api(member)
    refused = client.post(SUBMIT)
    assert refused.status_code == 400 and "business licence" in refused.json()["detail"]
    client.post(DOCUMENTS, {"kind": "licence", "file": png_upload()}, format="multipart")
    client.post(SITES, SITE, format="json")
    accepted = client.post(SUBMIT)
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "under_verification" and accepted.json()["editable"] is False
    # Read-only now: every write is refused.
    assert client.patch(URL, {"phone": "1"}, format="json").status_code == 400
    assert client.post(SITES, SITE, format="json").status_code == 400
    assert client.post(SUBMIT).status_code == 400


def test_another_suppliers_site_and_document_answer_404(draft, member):
    other = DraftSupplierFactory()
    site = f.ProductionSiteFactory(supplier=other)
    api(applicant(other)).post(DOCUMENTS, {"kind": "licence", "file": png_upload()}, format="multipart")
    document = other.documents.get()
    client = api(member)
    assert client.delete(f"{SITES}{site.pk}/").status_code == 404
    assert client.delete(f"{DOCUMENTS}{document.pk}/").status_code == 404
    assert ProductionSite.objects.filter(pk=site.pk).exists() and SupplierDocument.objects.filter(pk=document.pk)


def test_a_buyer_has_no_application_and_anonymous_is_refused(buyer):
    for method, url, data in [("patch", URL, {"phone": "1"}), ("post", SITES, SITE), ("post", SUBMIT, None),
                              ("get", DOCUMENTS, None)]:  # fmt: skip
        assert getattr(api(buyer), method)(url, data, format="json").status_code == 404
        assert getattr(api(), method)(url, data, format="json").status_code == 403


def test_the_lists_have_a_fixed_query_budget(draft, member):
    client = api(member)
    client.post(DOCUMENTS, {"kind": "licence", "file": png_upload()}, format="multipart")
    client.post(SITES, SITE, format="json")
    with CaptureQueriesContext(connection) as few:
        client.get(DOCUMENTS)
        client.get(SITES)
    for n in range(4):
        client.post(DOCUMENTS, {"kind": "factory_photo", "file": png_upload(f"p{n}.png")}, format="multipart")
        client.post(SITES, {**SITE, "name": f"Plant {n}"}, format="json")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(DOCUMENTS).json()) == 5
        assert len(client.get(SITES).json()) == 5
    assert len(few) == len(many) <= 4
