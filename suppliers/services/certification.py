"""Certification decisions: certify, reject, ask for more, recommend, and the daily expiry sweep.

Every decision locks the supplier row first, writes one immutable SupplierEvent, and emails the
supplier after commit. Views, admin actions, the API and the daily job all call these.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.uploads import clean_document_upload

from ..hooks import certification_changed
from ..models import (
    LEVEL_RANK,
    AuditChecklist,
    AuditPointResult,
    BeltOperator,
    Certification,
    CertificationLevel,
    EvidenceItem,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    VerificationCheck,
)
from .notifications import supplier_notify

# How long a certification runs when the decision names no expiry date.
CERTIFICATION_VALIDITY = datetime.timedelta(days=365)
EXPIRY_REMINDER_DAYS = 30


def _lock(supplier: Supplier) -> Supplier:
    return Supplier.objects.select_for_update().get(pk=supplier.pk)


PLATFORM = "Belt Marketplace"
OUTCOME_ZH = {"pass": "符合", "fail": "不符合", "na": "不适用"}
OUTCOME_EN = {"pass": "met", "fail": "not met", "na": "not applicable"}


def _actor_name(actor: User | None) -> str:
    # Stored data, not UI: the same words whoever decides and in whatever language they work.
    return actor.get_full_name() if actor else PLATFORM


def _collect_evidence(certification: Certification, supplier: Supplier, actor: User | None) -> None:
    """Record what stands behind the decision: the credit code's check character, the business
    registry's record (only when a configured registry matched), documents, site visit/audit."""
    now = timezone.now()
    items: list[EvidenceItem] = []
    run = supplier.verification_runs.filter(status="done").prefetch_related("checks").first()
    passed = {c.name: c for c in run.checks.all() if c.outcome == VerificationCheck.Outcome.PASS} if run else {}
    if uscc := passed.get(VerificationCheck.Name.USCC):
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.CODE_CHECKSUM,
            title_en="Unified social credit code: format and check character",
            title_zh="统一社会信用代码：格式及校验位",
            method_en="Check character calculated per GB 32100-2015 (format only, no registry lookup)",
            method_zh="按 GB 32100-2015 计算校验位（仅校验格式，未查询登记机关）",
            performed_by=f"{PLATFORM} verification", performed_at=uscc.finished_at,
        ))  # fmt: skip
    if (record := passed.get(VerificationCheck.Name.REGISTRY)) and record.detail_code == "registry_match":
        source = record.detail_params["source"]
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.REGISTRY_RECORD,
            title_en=f"Business registry record: {record.detail_params['legal_name']}, in business"[:200],
            title_zh=f"工商登记信息：{record.detail_params['legal_name']}，存续"[:200],
            method_en=f"Looked up in {source}"[:200], method_zh=f"查询自 {source}"[:200],
            performed_by=f"{PLATFORM} verification",
            performed_at=datetime.datetime.fromisoformat(record.detail_params["fetched_at"]),
        ))  # fmt: skip
    for document in supplier.documents.all():
        if document.kind == SupplierDocument.Kind.LICENCE and document.is_current():
            title_en, title_zh = "Business licence", "营业执照"
        elif document.kind == SupplierDocument.Kind.CERTIFICATE and document.is_current():
            title_en = title_zh = f"{document.get_standard_display()} {document.number}".strip()
        else:
            continue
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.DOCUMENT, title_en=title_en, title_zh=title_zh,
            method_en="Document examined by certification staff", method_zh="认证人员审核文件",
            performed_by=_actor_name(actor), performed_at=now, valid_until=document.valid_until, document=document,
        ))  # fmt: skip
    if certification.audit_report:
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.SITE_VISIT,
            title_en="Factory audit on site", title_zh="工厂现场审核",
            method_en=f"Audit against the checklist, version {certification.checklist_version}",
            method_zh=f"按审核清单第 {certification.checklist_version} 版现场审核",
            performed_by=_actor_name(actor), performed_at=now, valid_until=certification.valid_until,
        ))  # fmt: skip
    for result in certification.audit_results.all():
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.CHECKLIST_POINT,
            title_en=result.text_en, title_zh=result.text_zh,
            method_en=f"Audit outcome: {OUTCOME_EN[result.outcome]}",
            method_zh=f"审核结果：{OUTCOME_ZH[result.outcome]}",
            performed_by=_actor_name(actor), performed_at=now, valid_until=certification.valid_until,
        ))  # fmt: skip
    EvidenceItem.objects.bulk_create(items)


@transaction.atomic
def supplier_certify(
    *,
    supplier: Supplier,
    level: str,
    actor: User | None,
    valid_until: datetime.date | None = None,
    reason: str = "",
    audit_report: "UploadedFile[bytes] | None" = None,
    checklist: AuditChecklist | None = None,
    point_results: Mapping[str, tuple[str, str]] | None = None,
) -> Supplier:
    """Certify `supplier` at `level` until `valid_until` (default: a year from today), on record.

    The audited-factory level needs the audit report and an outcome for every point of the
    checklist; the checklist's version is kept with the certification. The same decision twice
    changes nothing and records nothing. A new certification supersedes the current one.
    """
    if level not in CertificationLevel.values or level == CertificationLevel.NONE:
        raise ApplicationError(_("Unknown certification level."))
    valid_until = valid_until or timezone.localdate() + CERTIFICATION_VALIDITY
    if valid_until <= timezone.localdate():
        raise ApplicationError(_("The certification must run until a date after today."))
    supplier = _lock(supplier)
    if not supplier.can_be_decided():
        raise ApplicationError(_("The application has not been submitted yet."))
    was_certified = supplier.status == Supplier.Status.CERTIFIED
    from_level = supplier.certification_level
    if was_certified and from_level == level and supplier.certified_until == valid_until and audit_report is None:
        return supplier
    points = list(checklist.points.all()) if checklist else []
    if level == CertificationLevel.AUDITED_FACTORY:
        if audit_report is None or checklist is None:
            raise ApplicationError(_("An audited-factory certification needs the audit report and its checklist."))
        missing = [p.code for p in points if p.code not in (point_results or {})]
        if any(outcome not in OUTCOME_EN for outcome, _note in (point_results or {}).values()):
            raise ValueError("Audit point outcomes are pass, fail or na")
        if missing:
            raise ApplicationError(
                _("Record an outcome for every checklist point: %(codes)s.") % {"codes": ", ".join(missing)}
            )
    if was_certified and from_level == level:
        kind = SupplierEvent.Kind.RENEWED
    elif was_certified:
        kind = SupplierEvent.Kind.LEVEL_CHANGED
    else:
        kind = SupplierEvent.Kind.CERTIFIED

    Certification.objects.filter(supplier=supplier, status=Certification.Status.ACTIVE).update(
        status=Certification.Status.SUPERSEDED
    )
    certification = Certification(
        supplier=supplier, level=level, valid_until=valid_until, decided_by=actor, reason=reason,
        checklist=checklist, checklist_version=checklist.version if checklist else None,
    )  # fmt: skip
    if audit_report is not None:
        clean, _content_type = clean_document_upload(audit_report)
        certification.audit_report.save(clean.name, clean, save=False)
    certification.save()
    AuditPointResult.objects.bulk_create(
        AuditPointResult(
            certification=certification,
            code=p.code,
            text_en=p.text_en,
            text_zh=p.text_zh,
            outcome=(point_results or {})[p.code][0],
            note=(point_results or {})[p.code][1],
        )
        for p in points
        if p.code in (point_results or {})
    )
    _collect_evidence(certification, supplier, actor)

    now = timezone.now()
    if not was_certified:
        supplier.certified_at = now
    supplier.status = Supplier.Status.CERTIFIED
    supplier.certification_level = level
    supplier.certified_until = valid_until
    supplier.current_certification = certification
    supplier.decided_at = now
    supplier.save(
        update_fields=[
            "status",
            "certification_level",
            "certified_until",
            "certified_at",
            "current_certification",
            "decided_at",
        ]
    )
    if LEVEL_RANK[level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN] and supplier.belt is not None:
        # Origin is certified per site: the sites inside the belt's region are now verified.
        supplier.sites.filter(province=supplier.belt.province, is_verified=False).update(
            is_verified=True, verified_at=now
        )
    SupplierEvent.objects.create(
        supplier=supplier, kind=kind, actor=actor, from_level=from_level, to_level=level, reason=reason,
        data={"certification": certification.pk, "valid_until": valid_until.isoformat()},
    )  # fmt: skip
    supplier_notify(supplier=supplier, template="supplier_certified", context={"certification": certification})
    certification_changed.run(supplier_ids=[supplier.pk], belt_ids=[supplier.belt_id])
    return supplier


@transaction.atomic
def supplier_reject(*, supplier: Supplier, actor: User | None, reason: str) -> Supplier:
    """Reject the application (or withdraw a certification) with a reason the supplier reads."""
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the rejection: the supplier will read it."))
    supplier = _lock(supplier)
    if supplier.status == Supplier.Status.REJECTED:
        return supplier
    if not supplier.can_be_decided():
        raise ApplicationError(_("The application has not been submitted yet."))
    from_level = supplier.certification_level
    Certification.objects.filter(supplier=supplier, status=Certification.Status.ACTIVE).update(
        status=Certification.Status.REVOKED
    )
    supplier.status, supplier.certification_level = Supplier.Status.REJECTED, CertificationLevel.NONE
    supplier.current_certification, supplier.decided_at = None, timezone.now()
    supplier.save(update_fields=["status", "certification_level", "current_certification", "decided_at"])
    SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.REJECTED, actor=actor, from_level=from_level,
        to_level=CertificationLevel.NONE, reason=reason,
    )  # fmt: skip
    supplier_notify(supplier=supplier, template="supplier_rejected", context={"reason": reason})
    certification_changed.run(supplier_ids=[supplier.pk], belt_ids=[supplier.belt_id])
    return supplier


@transaction.atomic
def supplier_request_info(*, supplier: Supplier, actor: User | None, message: str) -> Supplier:
    """Send the application back to the applicant with what to add or fix."""
    if not message.strip():
        raise ApplicationError(_("Say what the supplier should add or fix."))
    supplier = _lock(supplier)
    if supplier.status not in (Supplier.Status.UNDER_VERIFICATION, Supplier.Status.INFO_REQUESTED):
        raise ApplicationError(_("Only an application under verification can be sent back for more information."))
    supplier.status = Supplier.Status.INFO_REQUESTED
    supplier.save(update_fields=["status"])
    SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.INFO_REQUESTED, actor=actor, reason=message)
    supplier_notify(supplier=supplier, template="supplier_info_requested", context={"message": message})
    return supplier


@transaction.atomic
def supplier_recommend(
    *, supplier: Supplier, actor: User, decision: str, level: str = "", reason: str = ""
) -> SupplierEvent:
    """A belt operator's recommendation on an application of its own belt; the admin decides."""
    supplier = _lock(supplier)
    if supplier.belt_id is None or not BeltOperator.objects.filter(user=actor, belt_id=supplier.belt_id).exists():
        raise PermissionDenied("Not an operator of this supplier's belt")
    if not supplier.can_be_decided():
        raise ApplicationError(_("The application has not been submitted yet."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason for your recommendation."))
    if decision not in ("certify", "reject"):
        raise ApplicationError(_("Recommend to certify or to reject."))
    if decision == "certify" and (level not in CertificationLevel.values or level == CertificationLevel.NONE):
        raise ApplicationError(_("Choose the level you recommend."))
    return SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.RECOMMENDED, actor=actor, reason=reason,
        to_level=level if decision == "certify" else "", data={"decision": decision},
    )  # fmt: skip


def _downgrade(supplier_id: int, *, to_level: str, kind: str, reason: str, data: dict[str, Any]) -> bool:
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
        if (
            supplier.status != Supplier.Status.CERTIFIED
            or LEVEL_RANK[supplier.certification_level] <= LEVEL_RANK[to_level]
        ):
            return False  # already done (the job ran twice) or nothing to lower
        from_level = supplier.certification_level
        current = supplier.current_certification
        Certification.objects.filter(supplier=supplier, status=Certification.Status.ACTIVE).update(
            status=Certification.Status.DOWNGRADED
        )
        if to_level == CertificationLevel.NONE:
            supplier.status, supplier.current_certification = Supplier.Status.SUSPENDED, None
        else:
            supplier.current_certification = Certification.objects.create(
                supplier=supplier, level=to_level, reason=reason,
                valid_until=current.valid_until if current else supplier.certified_until or timezone.localdate(),
            )  # fmt: skip
        supplier.certification_level = to_level
        supplier.save(update_fields=["status", "certification_level", "current_certification"])
        SupplierEvent.objects.create(
            supplier=supplier, kind=kind, from_level=from_level, to_level=to_level, reason=reason, data=data
        )
        supplier_notify(
            supplier=supplier, template="supplier_downgraded", context={"reason": reason, "to_level": to_level}
        )
        certification_changed.run(supplier_ids=[supplier.pk], belt_ids=[supplier.belt_id])
    return True


def certifications_expiry_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: remind before documents expire, and downgrade on record once they have.

    - a certificate or licence of a certified supplier that expires within 30 days: one reminder
      per document and expiry date (an event records it, so a second run sends nothing);
    - an expired business licence: the supplier is suspended (no badge);
    - an expired certificate of a supplier above "verified": lowered to "verified".
    """
    today = today or timezone.localdate()
    counts = {"reminded": 0, "suspended": 0, "downgraded": 0}
    documents = (
        SupplierDocument.objects.filter(
            supplier__status=Supplier.Status.CERTIFIED,
            kind__in=[SupplierDocument.Kind.LICENCE, SupplierDocument.Kind.CERTIFICATE],
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_REMINDER_DAYS),
        )
        .select_related("supplier")
        .order_by("supplier_id", "id")
    )
    for document in documents:
        name = f"{document.get_kind_display()} {document.get_standard_display()} {document.number}".strip()
        if document.valid_until < today:  # type: ignore[operator]
            if document.kind == SupplierDocument.Kind.LICENCE:
                reason = f"Business licence expired on {document.valid_until}"
                counts["suspended"] += _downgrade(
                    document.supplier_id, to_level=CertificationLevel.NONE, kind=SupplierEvent.Kind.SUSPENDED,
                    reason=reason, data={"document": document.pk},
                )  # fmt: skip
            else:
                reason = f"Certificate {name} expired on {document.valid_until}"
                counts["downgraded"] += _downgrade(
                    document.supplier_id, to_level=CertificationLevel.VERIFIED, kind=SupplierEvent.Kind.DOWNGRADED,
                    reason=reason, data={"document": document.pk},
                )  # fmt: skip
            continue
        key = {"document": document.pk, "valid_until": document.valid_until.isoformat()}  # type: ignore[union-attr]
        with transaction.atomic():
            supplier = Supplier.objects.select_for_update().get(pk=document.supplier_id)
            if SupplierEvent.objects.filter(supplier=supplier, kind=SupplierEvent.Kind.REMINDED, data=key).exists():
                continue
            SupplierEvent.objects.create(supplier=supplier, kind=SupplierEvent.Kind.REMINDED, data=key, reason=name)
            supplier_notify(supplier=supplier, template="supplier_expiry_reminder", context={"document": document})
            counts["reminded"] += 1
    return counts
