"""The supplier admin: the certification queue, the read-only application page, who may enter.

The decisions are in test_admin_decisions.py, checklists and certifications in
test_admin_records.py; the helpers below build what those pages show and are shared with them.
"""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suppliers.models import (
    AuditChecklist,
    AuditChecklistPoint,
    CertificationLevel,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    VerificationCheck,
    VerificationRun,
)
from suppliers.services import supplier_certify
from tests import factories as f
from tests.conftest import client_for
from tests.marketplace.pdf_corpus import pdf

CHANGELIST = "/admin/suppliers/supplier/"
PDF_BYTES = pdf()  # a one-page PDF that parses


# --- Helpers shared with the other admin test files -----------------------------------------------


def change_url(supplier: Supplier) -> str:
    return f"{CHANGELIST}{supplier.pk}/change/"


def verification_run(supplier: Supplier, **outcomes: str) -> VerificationRun:
    """A finished run whose checks have the given outcomes, e.g. verification_run(s, uscc="pass")."""
    now = timezone.now()
    run = VerificationRun.objects.create(
        supplier=supplier, trigger=VerificationRun.Trigger.SUBMITTED, status=VerificationRun.Status.DONE,
        started_at=now, finished_at=now,
    )  # fmt: skip
    for name, outcome in outcomes.items():
        VerificationCheck.objects.create(
            run=run, name=name, outcome=outcome, detail_code="uscc_valid", detail_params={"uscc": "X"},
            started_at=now - datetime.timedelta(milliseconds=40), finished_at=now,
        )  # fmt: skip
    return run


def document(supplier: Supplier, kind: str = "licence", *, pdf: bool = False, **fields) -> SupplierDocument:
    data = PDF_BYTES if pdf else f.image_bytes()
    doc = SupplierDocument(
        supplier=supplier, kind=kind, content_type="application/pdf" if pdf else "image/jpeg", size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), file_check="clean", **fields,
    )  # fmt: skip
    doc.file.save("doc.pdf" if pdf else "doc.jpg", ContentFile(data), save=False)
    doc.save()
    return doc


def recommend(supplier: Supplier, operator, decision: str = "certify", level: str = "verified") -> SupplierEvent:
    return SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.RECOMMENDED, actor=operator, reason="Known to the association",
        to_level=level if decision == "certify" else "", data={"decision": decision},
    )  # fmt: skip


def laser_checklist(points: int = 3) -> AuditChecklist:
    """The checklist for the belt factory's industry ("Laser equipment")."""
    checklist = AuditChecklist.objects.create(
        industry_en="Laser equipment", industry_zh="激光设备", slug="laser-equipment"
    )
    for i in range(points):
        AuditChecklistPoint.objects.create(
            checklist=checklist, code=f"point-{i}", text_en=f"Point {i} in English", text_zh=f"第{i}点", position=i
        )
    return checklist


# Named fixtures, so the other admin test files can import them without shadowing.
@pytest.fixture(name="admin_client")
def admin_client_fixture(staff) -> Client:
    return client_for(staff)


@pytest.fixture(name="applicant")
def applicant_fixture(belt):
    applicant = f.ApplicantSupplierFactory(
        belt=belt, name_en="Hubei Ruike Laser Co., Ltd.", name_zh="湖北锐科激光有限公司", uscc="91420100MA4KXXXX0X",
        submitted_at=timezone.now(),
    )  # fmt: skip
    return f.origin_ready(applicant)


# --- The queue ------------------------------------------------------------------------------------


def names_listed(response) -> set[str]:
    return {s.name_en for s in response.context["cl"].result_list}


def test_queue_shows_only_applications_awaiting_a_decision_by_default(admin_client, supplier, applicant, belt):
    asked = f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.INFO_REQUESTED, name_en="Asked Co.")
    f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.REJECTED, name_en="Rejected Co.")
    f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.DRAFT, name_en="Draft Co.")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert names_listed(response) == {applicant.name_en, asked.name_en}
    html = response.content.decode()
    assert "Awaiting decision" in html and "?status=all" in html


def test_queue_offers_all_and_each_status(admin_client, supplier, applicant):
    assert names_listed(admin_client.get(CHANGELIST, {"status": "all"})) == {supplier.name_en, applicant.name_en}
    assert names_listed(admin_client.get(CHANGELIST, {"status": "certified"})) == {supplier.name_en}


def test_queue_status_filter_shows_counts_when_asked(admin_client, supplier, applicant):
    html = admin_client.get(CHANGELIST, {"_facets": "True"}).content.decode()
    assert "Awaiting decision (1)" in html and "All (2)" in html and "Certified (1)" in html


def test_queue_refuses_an_unknown_status(admin_client, applicant):
    response = admin_client.get(CHANGELIST, {"status": "bogus"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_queue_filters_by_belt_and_business_type(admin_client, applicant):
    other_belt = f.BeltFactory(slug="shishi-textiles", name_en="Shishi textiles")
    trader = f.ApplicantSupplierFactory(belt=other_belt, business_type=Supplier.BusinessType.TRADING)

    assert names_listed(admin_client.get(CHANGELIST, {"belt__id__exact": other_belt.pk})) == {trader.name_en}
    assert names_listed(admin_client.get(CHANGELIST, {"business_type__exact": "manufacturer"})) == {applicant.name_en}


@pytest.fixture
def outcomes(belt):
    """One applicant per outcome of its latest run; the last one's earlier run failed."""
    made = {}
    for name in ("failed", "warned", "passed", "not-run"):
        made[name] = f.ApplicantSupplierFactory(belt=belt, name_en=f"{name} Co.")
    verification_run(made["failed"], uscc="pass", licence="fail", photos="warn")
    verification_run(made["warned"], uscc="pass", licence="warn")
    verification_run(made["passed"], uscc="fail")  # superseded by the later run
    verification_run(made["passed"], uscc="pass", licence="pass")
    VerificationRun.objects.create(supplier=made["not-run"], trigger=VerificationRun.Trigger.SUBMITTED)
    return made


@pytest.mark.parametrize(
    ("value", "expected"), [("fail", "failed"), ("warn", "warned"), ("pass", "passed"), ("none", "not-run")]
)
def test_check_outcome_filter_uses_the_worst_outcome_of_the_latest_run(admin_client, outcomes, value, expected):
    response = admin_client.get(CHANGELIST, {"checks": value})
    assert names_listed(response) == {outcomes[expected].name_en}


def test_queue_columns_show_worst_outcome_level_and_the_operators_recommendation(admin_client, outcomes, operator):
    recommend(outcomes["warned"], operator, "certify", "certified_origin")
    recommend(outcomes["failed"], operator, "certify", "verified")
    recommend(outcomes["failed"], operator, "reject")  # the latest counts

    response = admin_client.get(CHANGELIST)

    rows = {s.name_en: s for s in response.context["cl"].result_list}
    assert rows["failed Co."].check_outcome == "fail"
    assert rows["warned Co."].check_outcome == "warn"
    assert rows["passed Co."].check_outcome == "pass"
    assert rows["not-run Co."].check_outcome is None
    assert rows["failed Co."].recommendation["decision"] == "reject"
    assert rows["warned Co."].recommendation == {
        "decision": "certify", "level": "certified_origin", "reason": "Known to the association",
    }  # fmt: skip
    html = response.content.decode()
    for text in ("Failed", "Needs a look", "Passed", "not run yet", "Certify: Certified origin manufacturer"):
        assert text in html


def test_queue_sorts_failures_first_by_the_checks_column(admin_client, outcomes):
    response = admin_client.get(CHANGELIST, {"o": "5"})  # the fifth column: checks
    order = [s.name_en for s in response.context["cl"].result_list]
    assert order == ["failed Co.", "warned Co.", "passed Co.", "not-run Co."]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"status": "all"})
    assert response.status_code == 200
    return len(queries)


def _busy_applicant(belt, operator) -> Supplier:
    supplier = f.ApplicantSupplierFactory(belt=belt)
    verification_run(supplier, uscc="pass", licence="warn")
    verification_run(supplier, uscc="pass", licence="fail", photos="pass")
    recommend(supplier, operator)
    document(supplier)
    ProductionSite.objects.create(
        supplier=supplier, name="Plant 1", address="1 Optics Valley Rd", province="CN-HB", city="Wuhan", products="x"
    )
    return supplier


def test_changelist_runs_a_fixed_number_of_queries_whatever_the_rows(admin_client, belt, operator):
    _busy_applicant(belt, operator)
    few = _changelist_queries(admin_client)
    for _ in range(9):
        _busy_applicant(belt, f.BeltOperatorFactory(belt=f.BeltFactory()).user)

    many = _changelist_queries(admin_client)

    assert many == few
    assert many <= 10  # session, user, counts, the rows, the belt filter's choices


# --- The application page -------------------------------------------------------------------------


def test_change_page_shows_the_application_read_only_with_no_save(admin_client, applicant):
    response = admin_client.get(change_url(applicant))

    assert response.status_code == 200
    html = response.content.decode()
    assert "湖北锐科激光有限公司" in html and "91420100MA4KXXXX0X" in html
    assert 'name="_save"' not in html and 'name="name_en"' not in html and 'name="status"' not in html
    assert 'name="documents-MAX_NUM_FORMS" value="0"' in html
    assert 'name="events-MAX_NUM_FORMS" value="0"' in html
    assert 'name="events-0-DELETE"' not in html


def test_posting_the_change_form_is_refused_and_changes_nothing(admin_client, applicant):
    response = admin_client.post(
        change_url(applicant),
        {"name_en": "Renamed", "status": "certified", "certification_level": "audited_factory",
         "events-TOTAL_FORMS": "1", "events-INITIAL_FORMS": "0", "events-0-kind": "certified"},
    )  # fmt: skip

    assert response.status_code == 403
    applicant.refresh_from_db()
    assert (applicant.name_en, applicant.status) == ("Hubei Ruike Laser Co., Ltd.", Supplier.Status.UNDER_VERIFICATION)
    assert applicant.certification_level == CertificationLevel.NONE
    assert not SupplierEvent.objects.exists()


def test_suppliers_cannot_be_added_or_deleted_in_admin(admin_client, applicant):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{applicant.pk}/delete/", {"post": "yes"}).status_code == 403
    assert 'value="delete_selected"' not in admin_client.get(CHANGELIST).content.decode()
    assert Supplier.objects.filter(pk=applicant.pk).exists()


def test_change_page_shows_documents_through_the_staff_only_view(admin_client, applicant):
    photo = document(applicant, "factory_photo")
    pdf = document(applicant, "certificate", pdf=True, standard="iso_9001", number="CN-9001-1")

    html = admin_client.get(change_url(applicant)).content.decode()

    photo_url = f"/admin/suppliers/supplier/{applicant.pk}/documents/{photo.pk}/"
    pdf_url = f"/admin/suppliers/supplier/{applicant.pk}/documents/{pdf.pk}/"
    assert f'<img src="{photo_url}"' in html and "max-height:120px" in html
    assert f'<a href="{pdf_url}">Download PDF' in html
    assert "/media/" not in html  # never the public MEDIA URL


def test_staff_download_documents_pictures_inline_and_pdfs_as_attachments(admin_client, applicant):
    photo = document(applicant, "factory_photo")
    pdf = document(applicant, "certificate", pdf=True, standard="iso_9001")

    picture = admin_client.get(f"{CHANGELIST}{applicant.pk}/documents/{photo.pk}/")
    download = admin_client.get(f"{CHANGELIST}{applicant.pk}/documents/{pdf.pk}/")

    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert "attachment" not in picture.get("Content-Disposition", "")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Cache-Control"].startswith("private")


def test_a_document_is_only_found_under_its_own_supplier(admin_client, applicant, supplier):
    photo = document(applicant, "factory_photo")
    assert admin_client.get(f"{CHANGELIST}{supplier.pk}/documents/{photo.pk}/").status_code == 404


def test_change_page_shows_sites_and_the_latest_runs_checks(admin_client, applicant):
    ProductionSite.objects.create(
        supplier=applicant, name="Optics Valley plant", address="88 Guanggu Ave", province="CN-HB", city="Wuhan",
        products="Fibre lasers",
    )  # fmt: skip
    verification_run(applicant, uscc="fail")
    verification_run(applicant, uscc="pass", licence="warn")

    response = admin_client.get(change_url(applicant))

    html = response.content.decode()
    assert "Optics Valley plant" in html
    assert [row["check"].name for row in response.context["check_rows"]] == ["uscc", "licence"]
    assert "Checks of the latest verification run" in html
    assert "X is well formed and its check character is right (a format check" in html  # the check's message
    assert "color:#a35200" in html and "Needs a look" in html
    assert "40 ms" in html


def test_change_page_shows_certifications_their_evidence_and_the_audit_trail(admin_client, applicant, staff):
    verification_run(applicant, uscc="pass")
    document(applicant)
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff, reason="Licence checked")
    applicant.refresh_from_db()
    certification = applicant.current_certification

    html = admin_client.get(change_url(applicant)).content.decode()

    assert f'href="/verify/{certification.code}/"' in html
    assert "Evidence of the current certification" in html
    assert "Unified social credit code: format and check character" in html  # check-character evidence
    assert "Business licence" in html
    assert "Licence checked" in html  # the audit trail's reason


def test_decision_buttons_are_on_the_change_page_for_staff_who_may_decide(admin_client, applicant):
    html = admin_client.get(change_url(applicant)).content.decode()
    assert f"/admin/suppliers/supplier/decide/certify/verified/?ids={applicant.pk}&amp;_from=change" in html
    assert "/admin/suppliers/supplier/decide/audited-factory/" in html
    assert "/admin/suppliers/supplier/decide/reject/" in html
    assert "/admin/suppliers/supplier/decide/request-info/" in html
    assert f'action="/admin/suppliers/supplier/{applicant.pk}/rerun/"' in html


def test_a_draft_offers_no_decisions(admin_client, belt):
    draft = f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.DRAFT)
    html = admin_client.get(change_url(draft)).content.decode()
    assert "/decide/" not in html and "/rerun/" not in html


@pytest.fixture
def viewer(db):
    """Staff who may read suppliers but not decide."""
    user = f.UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_supplier"))
    return user


def test_staff_who_may_only_view_see_no_decisions_and_may_not_take_them(viewer, applicant):
    client = client_for(viewer)
    changelist = client.get(CHANGELIST).content.decode()
    assert "certify_verified" not in changelist and "rerun_verification" not in changelist
    assert "/decide/" not in client.get(change_url(applicant)).content.decode()

    assert client.get(f"{CHANGELIST}decide/reject/?ids={applicant.pk}").status_code == 403
    assert client.post(f"{CHANGELIST}decide/reject/?ids={applicant.pk}", {"reason": "no"}).status_code == 403
    assert client.post(f"{CHANGELIST}{applicant.pk}/rerun/").status_code == 403
    response = client.post(CHANGELIST, {"action": "rerun_verification", "_selected_action": [applicant.pk]})
    assert response.status_code == 200  # the changelist again: no such action for this user
    assert not VerificationRun.objects.exists()
    applicant.refresh_from_db()
    assert applicant.status == Supplier.Status.UNDER_VERIFICATION


# --- The audit trail ------------------------------------------------------------------------------


@pytest.fixture
def event(supplier, staff):
    f.origin_ready(supplier)
    supplier_certify(
        supplier=supplier, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, reason="Site seen", **f.ORIGIN
    )
    return SupplierEvent.objects.get(supplier=supplier)


def test_supplier_event_admin_lists_events_but_offers_no_add(admin_client, event):
    response = admin_client.get("/admin/suppliers/supplierevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Site seen" in html
    assert "/admin/suppliers/supplierevent/add/" not in html
    assert 'value="delete_selected"' not in html


def test_supplier_event_cannot_be_added_changed_or_deleted(admin_client, event, staff):
    base = "/admin/suppliers/supplierevent/"
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}add/", {"supplier": event.supplier_id, "kind": "certified"}).status_code == 403

    view = admin_client.get(f"{base}{event.pk}/change/")
    assert view.status_code == 200  # a read-only view
    assert 'name="_save"' not in view.content.decode()
    assert admin_client.post(f"{base}{event.pk}/change/", {"kind": "suspended", "reason": "x"}).status_code == 403

    assert admin_client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert admin_client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    event.refresh_from_db()
    assert (event.kind, event.reason, event.to_level) == ("level_changed", "Site seen", "certified_origin")
    assert event.actor == staff


# --- Who may enter --------------------------------------------------------------------------------


def admin_urls(applicant: Supplier, staff) -> list[tuple[str, str]]:
    """Every admin URL of this work, as (method, url)."""
    photo = document(applicant, "factory_photo")
    checklist = laser_checklist(points=1)
    f.origin_ready(applicant)
    supplier_certify(
        supplier=applicant, level=CertificationLevel.AUDITED_FACTORY, actor=staff, **f.ORIGIN,
        audit_report=ContentFile(PDF_BYTES, name="r.pdf"), checklist=checklist, point_results={"point-0": ("pass", "")},
    )  # fmt: skip
    applicant.refresh_from_db()
    certification = applicant.current_certification
    ids = f"?ids={applicant.pk}"
    urls = [
        CHANGELIST, change_url(applicant), f"{CHANGELIST}{applicant.pk}/documents/{photo.pk}/",
        f"{CHANGELIST}decide/certify/verified/{ids}", f"{CHANGELIST}decide/certify/certified_origin/{ids}",
        f"{CHANGELIST}decide/audited-factory/{ids}", f"{CHANGELIST}decide/reject/{ids}",
        f"{CHANGELIST}decide/request-info/{ids}",
        "/admin/suppliers/certification/", f"/admin/suppliers/certification/{certification.pk}/change/",
        f"/admin/suppliers/certification/{certification.pk}/audit-report/",
        "/admin/suppliers/auditchecklist/", "/admin/suppliers/auditchecklist/add/",
        f"/admin/suppliers/auditchecklist/{checklist.pk}/change/", "/admin/suppliers/supplierevent/",
    ]  # fmt: skip
    return [
        *(("get", url) for url in urls),
        *(("post", url) for url in urls if "/decide/" in url),
        ("post", f"{CHANGELIST}{applicant.pk}/rerun/"),
        ("post", CHANGELIST),
    ]


@pytest.mark.parametrize("who", ["buyer", "supplier_member", "operator", "outsider", "anonymous"])
def test_everyone_but_staff_is_sent_to_the_admin_login_from_every_admin_url(request, who, applicant, staff):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    urls = admin_urls(applicant, staff)
    before = SupplierEvent.objects.count()
    for method, url in urls:
        data = {"reason": "x", "message": "x", "action": "rerun_verification", "_selected_action": [applicant.pk]}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/admin/login/"), (method, url)
    assert SupplierEvent.objects.count() == before  # nothing was decided
    assert not VerificationRun.objects.exists()
