"""The documents step: licence, certificates, factory photos, checked by content.

A bad file (wrong type, oversized, decompression bomb) is refused beside its field, nothing is
stored, and the other fields of that form keep what was typed.
"""

import pytest
from django.urls import reverse

from suppliers.models import SupplierDocument
from tests.conftest import client_for

from .factories import (
    DraftSupplierFactory,
    applicant,
    bomb_upload,
    pdf_upload,
    png_upload,
    text_upload,
)

DOCUMENTS = "/apply/documents/"


@pytest.fixture
def draft(db):
    return DraftSupplierFactory()


@pytest.fixture
def client(draft):
    return client_for(applicant(draft))


def _stored_files(supplier) -> list[str]:
    """The files in the supplier's document folder, wherever the document storage keeps them."""
    storage = SupplierDocument._meta.get_field("file").storage
    folder = f"suppliers/{supplier.pk}/documents"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


CERTIFICATE = {
    "action": "certificate",
    "certificate-standard": "oeko_tex",
    "certificate-number": "OT-2024-00871",
    "certificate-issuer": "Hohenstein Institute",
    "certificate-valid_from": "2024-03-01",
    "certificate-valid_until": "2027-02-28",
}


def test_licence_upload_is_stored_and_listed(client, draft):
    response = client.post(DOCUMENTS, {"action": "licence", "licence-upload": png_upload()})
    assert response["Location"] == DOCUMENTS
    document = draft.documents.get()
    assert (document.kind, document.content_type) == (SupplierDocument.Kind.LICENCE, "image/png")
    assert not document.file.name.endswith("licence.png")  # the server names files
    assert len(_stored_files(draft)) == 1
    html = client.get(DOCUMENTS).content.decode()
    assert "Business licence" in html
    assert f'data-document="{document.pk}"' in html


def test_licence_as_pdf_is_accepted(client, draft):
    client.post(DOCUMENTS, {"action": "licence", "licence-upload": pdf_upload("licence.pdf")})
    assert draft.documents.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [(text_upload, "Upload a PDF file or a JPEG, PNG or WebP image.")],
    ids=["text-file-as-licence"],
)
def test_bad_licence_is_refused_beside_the_field_and_nothing_is_stored(client, draft, make_upload, message):
    response = client.post(DOCUMENTS, {"action": "licence", "licence-upload": make_upload()})
    assert response.status_code == 200
    form = response.context["licence"]
    assert form.errors["upload"][0].startswith(message)
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html
    assert not SupplierDocument.objects.exists()
    assert _stored_files(draft) == []


def test_decompression_bomb_is_received_then_refused_by_its_check_and_shown_beside_the_document(client, draft):
    # The request looks at the magic bytes only (marketplace.filecheck): the check, in-process
    # here (FILE_CHECK_EAGER), decodes it and refuses it; no checked copy is ever stored.
    response = client.post(DOCUMENTS, {"action": "licence", "licence-upload": bomb_upload()})
    assert response["Location"] == DOCUMENTS
    document = draft.documents.get()
    assert document.file_is_refused and not document.file and not document.file_quarantine
    html = client.get(DOCUMENTS).content.decode()
    assert "The image is too large" in html
    assert _stored_files(draft) == []


def test_oversized_licence_is_refused_with_the_limit(client, draft, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024
    response = client.post(DOCUMENTS, {"action": "licence", "licence-upload": png_upload(size=(600, 600))})
    form = response.context["licence"]
    assert form.errors["upload"][0].startswith("The file is too large")
    assert "The limit is 1.0" in form.errors["upload"][0]
    assert not SupplierDocument.objects.exists()
    assert _stored_files(draft) == []


def test_missing_licence_file_is_required(client, draft):
    response = client.post(DOCUMENTS, {"action": "licence"})
    assert response.context["licence"].has_error("upload", "required")


def test_certificate_is_stored_with_its_details(client, draft):
    response = client.post(DOCUMENTS, {**CERTIFICATE, "certificate-upload": pdf_upload()})
    assert response.status_code == 302
    document = draft.documents.get()
    assert (document.kind, document.standard, document.number, document.issuer) == (
        SupplierDocument.Kind.CERTIFICATE,
        "oeko_tex",
        "OT-2024-00871",
        "Hohenstein Institute",
    )
    assert str(document.valid_until) == "2027-02-28"
    assert "OT-2024-00871" in client.get(DOCUMENTS).content.decode()


def test_certificate_with_a_bad_file_keeps_its_other_fields(client, draft):
    response = client.post(DOCUMENTS, {**CERTIFICATE, "certificate-upload": text_upload("iso.pdf")})
    assert response.status_code == 200
    form = response.context["certificate"]
    assert form.has_error("upload", "bad_type")
    html = response.content.decode()
    for typed in ("OT-2024-00871", "Hohenstein Institute", "2024-03-01", "2027-02-28"):
        assert typed in html
    assert '<option value="oeko_tex" selected>' in html
    assert not SupplierDocument.objects.exists()
    assert _stored_files(draft) == []


def test_certificate_dates_out_of_order_are_refused(client, draft):
    data = {**CERTIFICATE, "certificate-valid_until": "2023-01-01", "certificate-upload": pdf_upload()}
    response = client.post(DOCUMENTS, data)
    assert response.context["certificate"].has_error("valid_until")
    assert not SupplierDocument.objects.exists()


def test_several_photos_are_stored_and_each_bad_one_is_named(client, draft):
    photos = [png_upload("hall.png"), text_upload("fake.png"), png_upload("line.png")]
    response = client.post(DOCUMENTS, {"action": "photos", "photos-uploads": photos})
    assert response.status_code == 200
    errors = response.context["photos"].errors["uploads"]
    assert errors == ["fake.png: Upload a PDF file or a JPEG, PNG or WebP image."]
    assert draft.documents.filter(kind=SupplierDocument.Kind.FACTORY_PHOTO).count() == 2


def test_all_good_photos_redirect(client, draft):
    response = client.post(
        DOCUMENTS, {"action": "photos", "photos-uploads": [png_upload("a.png"), png_upload("b.png")]}
    )
    assert response["Location"] == DOCUMENTS
    assert draft.documents.count() == 2


def test_a_pdf_is_not_a_factory_photo(client, draft):
    response = client.post(DOCUMENTS, {"action": "photos", "photos-uploads": [pdf_upload("hall.pdf")]})
    assert response.context["photos"].has_error("uploads", "not_an_image")
    assert not SupplierDocument.objects.exists()


def test_document_is_removed(client, draft):
    client.post(DOCUMENTS, {"action": "licence", "licence-upload": png_upload()})
    document = draft.documents.get()
    response = client.post(reverse("suppliers:apply_document_remove", args=[document.pk]))
    assert response["Location"] == DOCUMENTS
    assert not draft.documents.exists()


def test_documents_step_done_once_a_licence_is_there(client, draft):
    assert not {s["slug"]: s["done"] for s in client.get(DOCUMENTS).context["steps"]}["documents"]
    client.post(DOCUMENTS, {"action": "licence", "licence-upload": png_upload()})
    assert {s["slug"]: s["done"] for s in client.get(DOCUMENTS).context["steps"]}["documents"]
