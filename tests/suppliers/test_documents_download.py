"""Licences, certificates and audit reports are private: never under /media/, and downloadable
only by platform staff and the supplier's own members."""

from django.conf import settings
from django.urls import reverse

from suppliers.services import supplier_document_add
from tests import factories as f
from tests.conftest import client_for


def _document(belt):
    application = f.DraftApplicationFactory(belt=belt)
    member = f.SupplierMemberFactory(supplier=application).user
    return supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload()), member


def test_documents_are_stored_outside_the_public_media_folder(belt):
    document, _member = _document(belt)
    path = document.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT) + "/suppliers")
    assert document.file.storage is not None and "private" in path


def test_staff_and_own_member_download_as_attachment(belt, staff):
    document, member = _document(belt)
    url = reverse("suppliers:document_download", args=[document.pk])
    for user in (staff, member):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_another_supplier_a_buyer_an_operator_and_anonymous_cannot(belt, client, other_member, buyer, operator):
    document, _member = _document(belt)
    url = reverse("suppliers:document_download", args=[document.pk])
    for user in (other_member, buyer, operator):
        assert client_for(user).get(url).status_code == 404
    assert client.get(url).status_code == 302  # to sign-in


def test_audit_report_is_for_staff_only(belt, staff, supplier_member):
    from suppliers.models import Certification

    certification = Certification.objects.create(
        supplier=f.SupplierFactory(belt=belt), level="verified", valid_until="2099-01-01", file_check="clean"
    )
    certification.audit_report.save("report.pdf", f.pdf_upload(), save=True)
    url = reverse("suppliers:audit_report_download", args=[certification.pk])
    assert client_for(staff).get(url).status_code == 200
    assert client_for(supplier_member).get(url).status_code == 404
