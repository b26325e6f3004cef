"""Documents and audit reports are checked in the worker, never in the request (marketplace.filecheck).

The request looks at a file's size and magic bytes only and keeps it unchecked; nothing serves,
counts or verifies it until its check made it clean. A refused file says why, in the reader's
language, and can be removed (a document) or replaced (an audit report). The tests of the
asynchronous path set FILE_CHECK_EAGER off and run the job's service themselves.
"""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.filecheck.services import file_check
from suppliers.filechecks import AUDIT_REPORT_CHECK, DOCUMENT_CHECK
from suppliers.models import (
    Certification,
    CertificationLevel,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    VerificationRun,
)
from suppliers.services import (
    production_site_add,
    renewal_document_add,
    renewal_request,
    supplier_certify,
    verification_run_execute,
)
from tests import factories as f
from tests.conftest import client_for
from tests.marketplace.pdf_corpus import pdf

from .factories import CompleteDraftFactory, applicant, certified_supplier, laser_checklist, png_bytes, png_upload

pytestmark = pytest.mark.django_db

DOCUMENTS = "/apply/documents/"
JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"
HOSTILE_PDF = pdf(b"/OpenAction 4 0 R ", {4: JS})
SCRIPTS_EN = "The PDF contains scripts (JavaScript), which we do not accept."
SCRIPTS_ZH = "该 PDF 文件包含脚本（JavaScript），平台不予接受。"
PENDING_EN = "Being checked — refresh in a moment"


@pytest.fixture
def later(settings):
    """Uploads wait for the worker, as in production."""
    settings.FILE_CHECK_EAGER = False


@pytest.fixture
def draft(belt):
    supplier = CompleteDraftFactory(belt=belt, province=belt.province)
    production_site_add(
        supplier=supplier, name="Optics Valley plant", address="1 Gaoxin Avenue", province=belt.province,
        city="Wuhan", products="Fibre laser cutting machines",
    )  # fmt: skip
    return supplier


@pytest.fixture
def client(draft):
    return client_for(applicant(draft))


def _upload_licence(client, upload) -> SupplierDocument:
    response = client.post(DOCUMENTS, {"action": "licence", "licence-upload": upload})
    assert response.status_code == 302 and response["Location"] == DOCUMENTS
    return SupplierDocument.objects.order_by("-pk").first()


def _download(client, document):
    return client.get(reverse("suppliers:document_download", args=[document.pk]))


def test_an_image_with_a_valid_header_and_garbage_after_it_is_received_and_then_refused(client, draft, later):
    garbage = SimpleUploadedFile("licence.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 500)
    document = _upload_licence(client, garbage)
    # Received without being parsed: pending, no checked file, no type, size or hash yet.
    assert document.file_is_pending and document.file_quarantine and not document.file
    assert (document.content_type, document.size, document.sha256) == ("", None, "")
    assert _download(client, document).status_code == 404
    assert PENDING_EN in client.get(DOCUMENTS).content.decode()

    assert file_check(kind=DOCUMENT_CHECK, pk=document.pk) == "refused"
    document.refresh_from_db()
    assert document.file_is_refused and not document.file and not document.file_quarantine
    assert _download(client, document).status_code == 404
    html = client.get(DOCUMENTS).content.decode()
    assert "The image could not be read. Is the file damaged?" in html
    assert f'action="{reverse("suppliers:apply_document_remove", args=[document.pk])}"' in html


def test_a_good_image_is_served_only_once_clean_and_then_as_its_re_encoded_copy(client, draft, staff, later):
    sent = png_bytes(size=(1200, 900))
    document = _upload_licence(client, SimpleUploadedFile("licence.png", sent))
    assert _download(client, document).status_code == 404
    staff_document = reverse("admin:suppliers_supplier_document", args=[draft.pk, document.pk])
    assert client_for(staff).get(staff_document).status_code == 404

    assert file_check(kind=DOCUMENT_CHECK, pk=document.pk) == "clean"
    document.refresh_from_db()
    assert document.file_is_clean and not document.file_quarantine
    response = _download(client, document)
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served.startswith(b"\x89PNG\r\n\x1a\n")
    assert (document.content_type, document.size, document.sha256) == (
        "image/png", len(served), hashlib.sha256(served).hexdigest()
    )  # fmt: skip
    with Image.open(io.BytesIO(served)) as picture:
        assert picture.size == (1200, 900)
    assert PENDING_EN not in client.get(DOCUMENTS).content.decode()
    assert client_for(staff).get(staff_document).status_code == 200


def test_submit_is_refused_while_a_document_is_being_checked(client, draft, later):
    document = _upload_licence(client, png_upload())
    response = client.post(reverse("suppliers:apply_submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.DRAFT
    assert "being checked" in response.content.decode()

    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    client.post(reverse("suppliers:apply_submit"))
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.UNDER_VERIFICATION


def test_a_refused_licence_counts_as_missing(client, draft, later):
    document = _upload_licence(client, SimpleUploadedFile("licence.pdf", HOSTILE_PDF))
    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    response = client.post(reverse("suppliers:apply_submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.DRAFT
    assert "business licence" in response.content.decode()


def test_a_hostile_pdf_is_refused_with_its_reason_in_english_and_in_chinese(client, draft, later):
    document = _upload_licence(client, SimpleUploadedFile("licence.pdf", HOSTILE_PDF))
    assert document.file_is_pending
    assert file_check(kind=DOCUMENT_CHECK, pk=document.pk) == "refused"
    document.refresh_from_db()
    assert document.file_refusal == "pdf_javascript"  # the key is stored, not the words
    assert SCRIPTS_EN in client.get(DOCUMENTS).content.decode()
    client.cookies["django_language"] = "zh-hans"
    html = client.get(DOCUMENTS).content.decode()
    assert SCRIPTS_ZH in html and SCRIPTS_EN not in html

    response = client.post(reverse("suppliers:apply_document_remove", args=[document.pk]))
    assert response.status_code == 302
    assert not SupplierDocument.objects.filter(pk=document.pk).exists()


def test_the_wrong_people_cannot_download_a_clean_document(client, draft, other_member, buyer, operator):
    document = _upload_licence(client, png_upload())
    assert document.file_is_clean  # checked at once (FILE_CHECK_EAGER, as in the test settings)
    assert _download(client, document).status_code == 200
    for user in (other_member, buyer, operator):
        assert _download(client_for(user), document).status_code == 404


# --- verification and renewal wait for the checks -----------------------------------------------


def test_a_verification_run_waits_until_no_document_is_being_checked(belt, staff, settings):
    supplier = certified_supplier(belt, staff)
    member = supplier.members.get().user
    settings.FILE_CHECK_EAGER = False
    document = renewal_document_add(supplier=supplier, actor=member, kind="licence", upload=png_upload())
    assert document.file_is_pending
    with pytest.raises(ApplicationError, match="still being checked"):
        renewal_request(supplier=supplier, actor=member)

    run = VerificationRun.objects.create(supplier=supplier, trigger=VerificationRun.Trigger.RERUN)
    verification_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.PENDING and not run.checks.exists()

    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    verification_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.DONE


def test_the_renewal_page_shows_a_refused_document_and_removes_it(belt, staff, settings):
    supplier = certified_supplier(belt, staff)
    member = supplier.members.get().user
    page = client_for(member)
    settings.FILE_CHECK_EAGER = False
    document = renewal_document_add(
        supplier=supplier, actor=member, kind="licence", upload=SimpleUploadedFile("l.pdf", HOSTILE_PDF)
    )
    assert PENDING_EN in page.get(reverse("suppliers:renewal")).content.decode()
    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    html = page.get(reverse("suppliers:renewal")).content.decode()
    assert SCRIPTS_EN in html
    remove = reverse("suppliers:renewal_document_remove", args=[document.pk])
    assert f'action="{remove}"' in html
    page.post(remove)
    assert not SupplierDocument.objects.filter(pk=document.pk).exists()
    # A clean document is part of the record: it is not removed here.
    clean = supplier.documents.filter(file_check="clean").first()
    page.post(reverse("suppliers:renewal_document_remove", args=[clean.pk]))
    assert SupplierDocument.objects.filter(pk=clean.pk).exists()


# --- the audit report -------------------------------------------------------------------------------


def _audited(belt, staff, report: bytes, *, later=None) -> Certification:
    """An audited-factory decision with `report`; its check waits for the worker when `later` (the
    settings) is given."""
    from .factories import application

    supplier, _member = application(belt)
    if later is not None:
        later.FILE_CHECK_EAGER = False
    checklist = laser_checklist()
    supplier_certify(
        supplier=supplier, level=CertificationLevel.AUDITED_FACTORY, actor=staff, reason="Site visit",
        audit_report=SimpleUploadedFile("audit.pdf", report), checklist=checklist,
        point_results={p.code: ("pass", "") for p in checklist.points.all()},
        manufacturing_scope=f.MANUFACTURING_SCOPE,
    )  # fmt: skip
    supplier.refresh_from_db()
    assert supplier.current_certification is not None
    return supplier.current_certification


def test_a_refused_audit_report_is_shown_to_staff_and_replaced(belt, staff, admin_client, settings):
    certification = _audited(belt, staff, HOSTILE_PDF, later=settings)
    assert certification.file_is_pending and certification.file_quarantine
    download = reverse("suppliers:audit_report_download", args=[certification.pk])
    assert admin_client.get(download).status_code == 404
    assert file_check(kind=AUDIT_REPORT_CHECK, pk=certification.pk) == "refused"
    certification.refresh_from_db()
    assert certification.file_is_refused and not certification.audit_report
    assert admin_client.get(download).status_code == 404

    replace = reverse("admin:suppliers_certification_audit_report_replace", args=[certification.pk])
    for page in (
        reverse("admin:suppliers_supplier_change", args=[certification.supplier_id]),
        reverse("admin:suppliers_certification_change", args=[certification.pk]),
    ):
        html = admin_client.get(page).content.decode()
        assert f"refused: {SCRIPTS_EN}" in html and replace in html
    assert SCRIPTS_EN in admin_client.get(replace).content.decode()

    # A file refused outright (not a PDF nor an image) is refused in the form; nothing changes.
    response = admin_client.post(replace, {"audit_report": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 no")})
    assert response.status_code == 200
    certification.refresh_from_db()
    assert certification.file_is_refused

    response = admin_client.post(replace, {"audit_report": SimpleUploadedFile("audit.pdf", pdf())})
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.file_is_pending and certification.file_quarantine
    event = SupplierEvent.objects.filter(supplier_id=certification.supplier_id).order_by("-pk").first()
    assert event.kind == SupplierEvent.Kind.REPORT_REPLACED and event.data["certification"] == certification.pk
    assert (
        "being checked"
        in admin_client.get(reverse("admin:suppliers_certification_change", args=[certification.pk])).content.decode()
    )

    assert file_check(kind=AUDIT_REPORT_CHECK, pk=certification.pk) == "clean"
    certification.refresh_from_db()
    assert certification.audit_report.name.endswith(".pdf")
    assert admin_client.get(download).status_code == 200
    # Only a refused report is replaced.
    admin_client.post(replace, {"audit_report": SimpleUploadedFile("audit.pdf", pdf())})
    assert SupplierEvent.objects.filter(kind=SupplierEvent.Kind.REPORT_REPLACED).count() == 1


def test_replacing_a_report_needs_the_rights_of_the_decisions(belt, staff, settings):
    certification = _audited(belt, staff, HOSTILE_PDF)  # checked at once: refused
    assert certification.file_is_refused
    clerk = User.objects.create_user(email="clerk@example.test", password="x" * 12, is_staff=True)
    replace = reverse("admin:suppliers_certification_audit_report_replace", args=[certification.pk])
    response = client_for(clerk).post(replace, {"audit_report": SimpleUploadedFile("audit.pdf", pdf())})
    assert response.status_code == 403
    certification.refresh_from_db()
    assert certification.file_is_refused


@pytest.mark.parametrize(
    ("fields", "holds"),
    [
        ({"file_check": "clean", "audit_report": "", "file_quarantine": ""}, False),
        ({"file_check": "pending", "audit_report": "", "file_quarantine": ""}, False),
        ({"file_check": "pending", "audit_report": "", "file_quarantine": "quarantine/x.upload"}, True),
        ({"file_check": "refused", "audit_report": "", "file_quarantine": ""}, True),
        ({"file_check": "clean", "audit_report": "suppliers/1/audit-reports/r.pdf", "file_quarantine": ""}, True),
    ],
    ids=["clean-without-report", "pending-without-upload", "pending", "refused", "clean"],
)
def test_an_audited_factory_certification_always_has_its_report_in_some_state(belt, staff, fields, holds):
    certification = _audited(belt, staff, pdf())
    query = Certification.objects.filter(pk=certification.pk)
    if holds:
        query.update(**fields)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            query.update(**fields)


def test_the_last_check_queues_the_held_runs_and_recomputes_the_badges(
    belt, staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    supplier = certified_supplier(belt, staff)
    member = supplier.members.get().user
    settings.FILE_CHECK_EAGER = False
    document = renewal_document_add(supplier=supplier, actor=member, kind="licence", upload=png_upload())
    run = VerificationRun.objects.create(supplier=supplier, trigger=VerificationRun.Trigger.SCHEDULED)
    queued, refreshed = [], []
    monkeypatch.setattr("suppliers.services.application.enqueue_on_commit", lambda task, *args: queued.append(args))
    monkeypatch.setattr("suppliers.services.application.badges_refresh", lambda ids: refreshed.append(list(ids)))
    with django_capture_on_commit_callbacks(execute=True):
        file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    assert queued == [(run.pk,)]
    assert refreshed == [[supplier.pk]]
