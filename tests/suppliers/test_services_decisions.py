"""Certification decisions as evidence chains, rejections, requests for more, recommendations,
the daily expiry sweep, and the audit record that nothing can rewrite."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from marketplace.exceptions import ApplicationError
from suppliers.models import (
    AuditChecklist,
    AuditChecklistPoint,
    Certification,
    CertificationLevel,
    EvidenceItem,
    Supplier,
    SupplierDocument,
    SupplierEvent,
)
from suppliers.services import (
    certifications_expiry_sweep,
    production_site_add,
    supplier_application_submit,
    supplier_certify,
    supplier_document_add,
    supplier_recommend,
    supplier_reject,
    supplier_request_info,
    verification_run_execute,
)
from tests import factories as f


@pytest.fixture
def submitted(belt, django_capture_on_commit_callbacks):
    """An application with licence, an ISO certificate and a site, submitted and verified."""
    application = f.DraftApplicationFactory(belt=belt, province="CN-HB")
    member = f.SupplierMemberFactory(supplier=application).user
    supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    supplier_document_add(
        supplier=application, kind="certificate", upload=f.image_upload(size=(800, 600)), standard="iso_9001",
        number="CQC-9001", issuer="CQC", valid_from=datetime.date(2025, 1, 1),
        valid_until=timezone.localdate() + datetime.timedelta(days=400),
    )  # fmt: skip
    production_site_add(
        supplier=application, name="Plant 1", address="1 Road", province="CN-HB", city="Wuhan", products="Lasers"
    )
    with django_capture_on_commit_callbacks(execute=False):
        supplier_application_submit(supplier=application, actor=member)
    verification_run_execute(run_id=application.verification_runs.get().pk)
    return Supplier.objects.get(pk=application.pk)


@pytest.fixture
def checklist(db):
    checklist = AuditChecklist.objects.create(
        industry_en="Laser equipment", industry_zh="激光设备", slug="laser", version=3
    )
    for i, (en, zh) in enumerate([("Own machining workshop", "自有机加工车间"), ("Burn-in test line", "老化测试线")]):
        AuditChecklistPoint.objects.create(checklist=checklist, code=f"p{i}", text_en=en, text_zh=zh, position=i)
    return checklist


def test_certify_builds_an_evidence_chain_and_a_public_code(submitted, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        supplier_certify(
            supplier=submitted, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, reason="OK", **f.ORIGIN
        )
    submitted.refresh_from_db()
    certification = submitted.current_certification
    assert certification.level == "certified_origin" and certification.is_current()
    assert len(certification.code) >= 16
    kinds = sorted(certification.evidence.values_list("kind", flat=True))
    # The USCC check character, licence + ISO 9001, manufacturing confirmed by staff, the site in the region.
    assert kinds == ["code_checksum", "document", "document", "manufacturing", "site_in_region"]
    assert submitted.sites.get().is_verified  # origin certified: the site in the belt region is verified
    assert any("certified" in m.subject.lower() for m in mail.outbox)


def test_audited_factory_needs_report_and_every_checklist_point(submitted, staff, checklist):
    with pytest.raises(ApplicationError):
        supplier_certify(supplier=submitted, level=CertificationLevel.AUDITED_FACTORY, actor=staff)
    with pytest.raises(ApplicationError):
        supplier_certify(
            supplier=submitted, level="audited_factory", actor=staff, audit_report=f.pdf_upload(),
            checklist=checklist, point_results={"p0": ("pass", "")},
        )  # fmt: skip
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.UNDER_VERIFICATION
    assert not Certification.objects.filter(supplier=submitted).exists()


def test_audited_factory_records_checklist_version_and_each_point(submitted, staff, checklist):
    supplier_certify(
        supplier=submitted, level="audited_factory", actor=staff, audit_report=f.pdf_upload(), checklist=checklist,
        point_results={"p0": ("pass", "CNC x12"), "p1": ("fail", "Only 24 h burn-in")}, **f.ORIGIN,
    )  # fmt: skip
    certification = Supplier.objects.get(pk=submitted.pk).current_certification
    assert certification.checklist_version == 3
    assert dict(certification.audit_results.values_list("code", "outcome")) == {"p0": "pass", "p1": "fail"}
    assert certification.evidence.filter(kind=EvidenceItem.Kind.SITE_VISIT).exists()
    assert certification.evidence.filter(kind=EvidenceItem.Kind.CHECKLIST_POINT).count() == 2
    # Editing the checklist later does not change what was audited.
    checklist.points.filter(code="p0").update(text_en="Changed")
    assert certification.audit_results.get(code="p0").text_en == "Own machining workshop"


def test_a_new_certification_supersedes_the_current_one(submitted, staff):
    supplier_certify(supplier=submitted, level="verified", actor=staff)
    first = Supplier.objects.get(pk=submitted.pk).current_certification
    supplier_certify(supplier=submitted, level="certified_origin", actor=staff, **f.ORIGIN)
    first.refresh_from_db()
    assert first.status == Certification.Status.SUPERSEDED
    assert Supplier.objects.get(pk=submitted.pk).current_certification.level == "certified_origin"


def test_a_draft_cannot_be_certified(belt, staff):
    draft = f.DraftApplicationFactory(belt=belt)
    with pytest.raises(ApplicationError):
        supplier_certify(supplier=draft, level="verified", actor=staff)


def test_reject_needs_a_reason_and_revokes_the_badge(submitted, staff, django_capture_on_commit_callbacks):
    with pytest.raises(ApplicationError):
        supplier_reject(supplier=submitted, actor=staff, reason="  ")
    supplier_certify(supplier=submitted, level="verified", actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        supplier_reject(supplier=submitted, actor=staff, reason="Licence belongs to another company")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.certification_level, submitted.current_certification) == (
        "rejected",
        "none",
        None,
    )
    assert Certification.objects.get(supplier=submitted).status == Certification.Status.REVOKED
    event = SupplierEvent.objects.filter(supplier=submitted).first()
    assert (event.kind, event.actor, event.reason) == ("rejected", staff, "Licence belongs to another company")
    assert any("Licence belongs to another company" in m.body for m in mail.outbox)


def test_request_info_sends_the_application_back(submitted, staff):
    supplier_request_info(supplier=submitted, actor=staff, message="Upload a sharper licence scan")
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.INFO_REQUESTED and submitted.is_editable_by_applicant()
    assert SupplierEvent.objects.filter(supplier=submitted, kind="info_requested", reason__contains="sharper").exists()


def test_operator_recommends_only_for_its_own_belt(submitted, operator, belt):
    event = supplier_recommend(supplier=submitted, actor=operator, decision="certify", level="verified", reason="Known")
    assert (event.kind, event.actor, event.to_level) == ("recommended", operator, "verified")
    stranger = f.BeltOperatorFactory(belt=f.BeltFactory()).user
    with pytest.raises(PermissionDenied):
        supplier_recommend(supplier=submitted, actor=stranger, decision="reject", reason="?")


def test_events_cannot_be_changed_or_deleted_even_from_the_orm(submitted):
    event = SupplierEvent.objects.filter(supplier=submitted).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        SupplierEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        SupplierEvent.objects.filter(pk=event.pk).delete()


# --- the daily expiry sweep ---------------------------------------------------------------------


def _certified(submitted, staff, level="certified_origin"):
    supplier_certify(supplier=submitted, level=level, actor=staff, **f.ORIGIN)
    return Supplier.objects.get(pk=submitted.pk)


def test_sweep_reminds_once_for_a_certificate_expiring_within_30_days(
    submitted, staff, django_capture_on_commit_callbacks
):
    supplier = _certified(submitted, staff)
    SupplierDocument.objects.filter(supplier=supplier, kind="certificate").update(
        valid_until=timezone.localdate() + datetime.timedelta(days=12)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_expiry_sweep()["reminded"] == 1
    reminders = list(mail.outbox)  # certification mail was never sent: its on_commit did not run here
    # One per person, each in their language: the member and the application's contact address.
    assert sorted(m.to[0] for m in reminders) == sorted(
        {supplier.contact_email, *supplier.members.values_list("user__email", flat=True)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert certifications_expiry_sweep()["reminded"] == 0  # the second daily run sends nothing new
    assert len(mail.outbox) == len(reminders)


def test_sweep_downgrades_on_an_expired_certificate_and_writes_it_down(submitted, staff):
    supplier = _certified(submitted, staff)
    SupplierDocument.objects.filter(supplier=supplier, kind="certificate").update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert certifications_expiry_sweep()["downgraded"] == 1
    supplier.refresh_from_db()
    assert supplier.certification_level == CertificationLevel.VERIFIED
    assert supplier.current_certification.level == "verified"
    event = SupplierEvent.objects.get(supplier=supplier, kind=SupplierEvent.Kind.DOWNGRADED)
    assert (event.from_level, event.to_level, event.actor) == ("certified_origin", "verified", None)
    assert certifications_expiry_sweep()["downgraded"] == 0  # idempotent


def test_sweep_suspends_a_supplier_whose_licence_expired(submitted, staff):
    supplier = _certified(submitted, staff)
    SupplierDocument.objects.filter(supplier=supplier, kind="licence").update(
        valid_until=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert certifications_expiry_sweep()["suspended"] == 1
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == ("suspended", "none")
    assert not Supplier.objects.certified().filter(pk=supplier.pk).exists()
