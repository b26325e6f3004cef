"""Certification decisions: certify, reject, ask for more, recommend, downgrade.

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
from marketplace.filecheck.models import FileCheck
from marketplace.filecheck.services import file_check_later, file_receive

from ..badges import badges_refresh
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


def _lock(supplier: Supplier) -> Supplier:
    return Supplier.objects.select_for_update().get(pk=supplier.pk)


PLATFORM = "Belt Marketplace"
OUTCOME_ZH = {"pass": "符合", "fail": "不符合", "na": "不适用"}  # nosec B105
OUTCOME_EN = {"pass": "met", "fail": "not met", "na": "not applicable"}  # nosec B105


def _actor_name(actor: User | None) -> str:
    # Stored data, not UI: the same words whoever decides and in whatever language they work.
    return actor.get_full_name() if actor else PLATFORM


def _collect_evidence(
    certification: Certification, supplier: Supplier, actor: User | None, manufacturing_scope: str
) -> None:
    """Record what stands behind the decision: manufacturing confirmed, the sites in the region, the
    credit code's check character, the business registry's record (only when a configured registry
    matched), documents, site visit/audit."""
    now = timezone.now()
    items: list[EvidenceItem] = []
    if manufacturing_scope:
        items.append(EvidenceItem(
            certification=certification, kind=EvidenceItem.Kind.MANUFACTURING,
            title_en=f"Manufacturing within the licence's business scope: {manufacturing_scope}"[:200],
            title_zh=f"营业执照经营范围包含生产：{manufacturing_scope}"[:200],
            method_en="Business type checked against the licence by certification staff",
            method_zh="认证人员对照营业执照核实企业类型",
            performed_by=_actor_name(actor), performed_at=now, valid_until=certification.valid_until,
        ))  # fmt: skip
    if LEVEL_RANK[certification.level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN] and supplier.belt:
        for site in supplier.sites.filter(province=supplier.belt.province, is_verified=True):
            items.append(EvidenceItem(
                certification=certification, kind=EvidenceItem.Kind.SITE_IN_REGION,
                title_en=f"{site.name}, {site.city}: inside the belt's region"[:200],
                title_zh=f"{site.name}，{site.city}：位于产业带区域内"[:200],
                method_en="Site address checked against the belt's region", method_zh="核对生产地址位于产业带区域",
                performed_by=_actor_name(actor), performed_at=now, valid_until=certification.valid_until,
            ))  # fmt: skip
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
    for document in supplier.documents.filter(file_check=FileCheck.CLEAN):
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
    if certification.audit_report or certification.file_quarantine:  # handed in (checked or being checked)
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


def failed_checks(supplier: Supplier) -> list[str]:
    """The automatic checks that failed in the supplier's latest finished verification run."""
    run = supplier.verification_runs.filter(status="done").order_by("-created_at", "-id").first()
    if run is None:
        return []
    return sorted(run.checks.filter(outcome=VerificationCheck.Outcome.FAIL).values_list("name", flat=True))


def _second_person_may_approve(supplier: Supplier, actor: User | None, second: User, level: str) -> bool:
    """Another staff member, or an operator of the supplier's own belt who recommended certifying
    at this level or higher."""
    if actor is not None and second.pk == actor.pk:
        return False
    if second.is_staff and second.is_active:
        return True
    if supplier.belt_id is None or not BeltOperator.objects.filter(user=second, belt_id=supplier.belt_id).exists():
        return False
    recommended = SupplierEvent.objects.filter(
        supplier=supplier, kind=SupplierEvent.Kind.RECOMMENDED, actor=second, data__decision="certify"
    ).values_list("to_level", flat=True)
    return any(LEVEL_RANK.get(to_level, 0) >= LEVEL_RANK[level] for to_level in recommended)


def certification_rule_problems(supplier: Supplier, level: str, *, manufacturing_scope: str = "") -> list[str]:
    """What stops `supplier` from being certified at `level`, in the reader's language (empty: nothing).
    The failed automatic checks are not among them: those need an override (`supplier_certify`)."""
    problems = []
    if LEVEL_RANK[level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN]:
        if supplier.business_type != Supplier.BusinessType.MANUFACTURER:
            problems.append(_("A trading company can be verified, never certified as an origin manufacturer."))
        if not manufacturing_scope.strip():
            problems.append(
                _("Confirm the manufacturing: copy the part of the licence's business scope that covers it.")
            )
        if supplier.belt is None or not supplier.sites.filter(province=supplier.belt.province).exists():
            problems.append(_("An origin level needs at least one production site inside the belt's region."))
    return problems


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
    manufacturing_scope: str = "",
    second_person: User | None = None,
    override_reason: str = "",
) -> Supplier:
    """Certify `supplier` at `level` until `valid_until` (default: a year from today), on record.

    The rules (`certification_rule_problems`): the origin levels need a manufacturer whose
    manufacturing staff confirmed against the licence's business scope (`manufacturing_scope`,
    kept as evidence) and a production site inside the belt's region, which the decision verifies.
    When an automatic check failed, an origin level overrides it only with a written
    `override_reason` and a `second_person` who approves (another staff member, or an operator
    of the supplier's belt who recommended this level); the certification records both people.
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
    problems = certification_rule_problems(supplier, level, manufacturing_scope=manufacturing_scope)
    if problems:
        raise ApplicationError(" ".join(problems))
    origin = LEVEL_RANK[level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN]
    failed = failed_checks(supplier) if origin else []
    if failed:
        if not override_reason.strip():
            raise ApplicationError(
                _("Automatic checks failed (%(checks)s): give the reason for certifying anyway.")
                % {"checks": ", ".join(str(VerificationCheck.Name(name).label) for name in failed)}
            )
        if second_person is None or not _second_person_may_approve(supplier, actor, second_person, level):
            raise ApplicationError(
                _(
                    "Overriding a failed check needs a second person: another staff member, or the belt "
                    "operator who recommended this level."
                )
            )
    elif second_person is not None and not _second_person_may_approve(supplier, actor, second_person, level):
        raise ApplicationError(_("The second person must be another staff member or the belt's operator."))
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
        second_person=second_person, override_reason=override_reason.strip() if failed else "",
        overridden_checks=failed,
    )  # fmt: skip
    if audit_report is not None:
        file_receive(certification, audit_report)  # its content is checked in the worker
    else:
        certification.file_check = FileCheck.CLEAN  # no report: nothing to check
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
    now = timezone.now()
    if LEVEL_RANK[level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN] and supplier.belt is not None:
        # Origin is certified per site: the sites inside the belt's region are now verified.
        supplier.sites.filter(province=supplier.belt.province, is_verified=False).update(
            is_verified=True, verified_at=now
        )
    _collect_evidence(certification, supplier, actor, manufacturing_scope.strip())

    if not was_certified:
        supplier.certified_at = now
    supplier.status = Supplier.Status.CERTIFIED
    supplier.current_certification = certification
    supplier.decided_at = now
    supplier.renewal_requested_at = None  # decided: out of the renewal queue
    supplier.save(
        update_fields=["status", "certified_at", "current_certification", "decided_at", "renewal_requested_at"]
    )
    badges_refresh([supplier.pk])
    supplier.refresh_from_db(fields=["certification_level", "certified_until"])
    SupplierEvent.objects.create(
        supplier=supplier, kind=kind, actor=actor, from_level=from_level, to_level=supplier.certification_level,
        reason=reason,
        data={
            "certification": certification.pk, "valid_until": valid_until.isoformat(),
            **({"second_person": second_person.pk} if second_person else {}),
            **({"overridden_checks": failed, "override_reason": override_reason.strip()} if failed else {}),
        },
    )  # fmt: skip
    supplier_notify(supplier=supplier, template="supplier_certified", context={"certification": certification})
    if certification.file_is_pending:
        file_check_later(certification)
    return supplier


@transaction.atomic
def certification_audit_report_replace(
    *, certification: Certification, actor: User | None, upload: "UploadedFile[bytes]"
) -> Certification:
    """Staff hand in another audit report for a certification whose report was refused by its
    check. The new file is checked in the worker like the first; the audit trail records who
    replaced it. Raises ValidationError when its type or size is refused outright."""
    supplier = _lock(certification.supplier)
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if not certification.file_is_refused:
        raise ApplicationError(_("Only an audit report that was refused by its check can be replaced."))
    refused = certification.file_refusal
    file_receive(certification, upload)
    certification.save()
    SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.REPORT_REPLACED, actor=actor,
        to_level=certification.level, reason=f"Audit report refused ({refused}), replaced",
        data={"certification": certification.pk, "refused": refused},
    )  # fmt: skip
    file_check_later(certification)
    certification.refresh_from_db()
    return certification


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
    supplier.status = Supplier.Status.REJECTED
    supplier.current_certification, supplier.decided_at = None, timezone.now()
    supplier.renewal_requested_at = None
    supplier.save(update_fields=["status", "current_certification", "decided_at", "renewal_requested_at"])
    badges_refresh([supplier.pk])
    SupplierEvent.objects.create(
        supplier=supplier, kind=SupplierEvent.Kind.REJECTED, actor=actor, from_level=from_level,
        to_level=CertificationLevel.NONE, reason=reason,
    )  # fmt: skip
    supplier_notify(supplier=supplier, template="supplier_rejected", context={"reason": reason})
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


def supplier_downgrade(
    supplier_id: int,
    *,
    to_level: str,
    kind: str,
    reason: str,
    data: dict[str, Any],
    actor: User | None = None,
) -> bool:
    """Lower the current certification to `to_level` ("none" suspends), on record, with a mail.

    The daily sweep calls it when a document lapses; staff call it with themselves as `actor`.
    False when there is nothing to lower (already done, or the certification is not above it).
    """
    if to_level not in CertificationLevel.values:
        raise ApplicationError(_("Unknown certification level."))
    with transaction.atomic():
        supplier = (
            Supplier.objects.select_for_update(of=("self",)).select_related("current_certification").get(pk=supplier_id)
        )
        current = supplier.current_certification
        if (
            supplier.status != Supplier.Status.CERTIFIED
            or current is None
            or LEVEL_RANK[current.level] <= LEVEL_RANK[to_level]
        ):
            return False  # already done (the job ran twice) or nothing to lower
        from_level = supplier.certification_level
        Certification.objects.filter(supplier=supplier, status=Certification.Status.ACTIVE).update(
            status=Certification.Status.DOWNGRADED
        )
        if to_level == CertificationLevel.NONE:
            supplier.status, supplier.current_certification = Supplier.Status.SUSPENDED, None
        else:
            supplier.current_certification = Certification.objects.create(
                supplier=supplier, level=to_level, reason=reason, decided_by=actor,
                valid_from=min(current.valid_from, timezone.localdate()), valid_until=current.valid_until,
            )  # fmt: skip
        supplier.save(update_fields=["status", "current_certification"])
        badges_refresh([supplier.pk])
        supplier.refresh_from_db(fields=["certification_level"])
        SupplierEvent.objects.create(
            supplier=supplier, kind=kind, actor=actor, from_level=from_level, to_level=supplier.certification_level,
            reason=reason, data=data,
        )  # fmt: skip
        supplier_notify(
            supplier=supplier, template="supplier_downgraded", context={"reason": reason, "to_level": to_level}
        )
    return True
