"""The demo's people and companies: logins, categories, belts, audit checklists, and each supplier
with the evidence it handed in, its verification run and its certification.

A certification is an evidence chain, so each company first gets what it would have handed in:
production sites, a business licence, certificates and a factory photo (generated pictures,
marked as demo documents). The verification checks then run on them synchronously, and only then
is the company certified, audited factories with an audit report and an outcome for every point
of their industry's checklist. Each step is guarded by what already exists. Certification goes
through `supplier_certify`, so the demo carries the same audit events as real use.
"""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from belts.models import Belt, Category
from buyers.models import BuyerCompany, BuyerMember
from buyers.services.addresses import address_save, company_net_terms_set
from demo.seed.pictures import (
    FACTORY_PHOTO_COLOURS,
    audit_report_picture,
    certificate_picture,
    english,
    licence_picture,
    listing_picture,
)
from demo.seed.run import Run, pick
from marketplace.filecheck.services import file_check, file_receive
from suppliers.filechecks import AUDIT_REPORT_CHECK, DOCUMENT_CHECK
from suppliers.models import (
    AuditChecklist,
    AuditChecklistPoint,
    BeltOperator,
    CertificationLevel,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierMember,
    VerificationRun,
)
from suppliers.services import (
    production_site_add,
    supplier_certify,
    supplier_document_add,
    verification_run_enqueue,
    verification_run_execute,
)

# Fields copied as they are from the data files onto the model.
BELT_FIELDS = (
    "name_en",
    "name_zh",
    "brand_en",
    "brand_zh",
    "province",
    "city_en",
    "city_zh",
    "industry_en",
    "industry_zh",
    "story_en",
    "story_zh",
)
SUPPLIER_FIELDS = (
    "name_en",
    "name_zh",
    "uscc",
    "business_type",
    "city_en",
    "city_zh",
    "description_en",
    "description_zh",
    "year_founded",
    "staff_count",
    "factory_area_m2",
)
EVIDENCE_SUPPLIER_FIELDS = ("legal_representative", "registered_address")


def user_sync(run: Run, account: dict[str, Any]) -> User:
    """The demo login, active, with its role and the demo password (reset if someone changed it)."""
    is_staff = account["role"] == User.Role.STAFF
    values = {
        "role": account["role"],
        "full_name": account["full_name"],
        "is_active": True,
        "is_staff": is_staff,
        "is_superuser": is_staff,
    }
    user = User.objects.filter(email=account["email"]).first()
    if user is None:
        run.tally["created user"] += 1
        return User.objects.create_user(account["email"], run.world.password, **values)
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if not user.check_password(run.world.password):
        user.set_password(run.world.password)
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
        run.tally["updated user"] += 1
    return user


def categories_sync(run: Run) -> tuple[dict[str, Category], dict[str, tuple[str, str]]]:
    """The two-level tree; returns leaves and roots by slug, and each slug's picture colours."""
    categories: dict[str, Category] = {}
    colours: dict[str, tuple[str, str]] = {}
    for position, root_data in enumerate(run.world.categories):
        root = run.sync(
            Category,
            {"slug": root_data["slug"]},
            {
                "parent_id": None,
                **pick(root_data, "name_en", "name_zh"),
                "position": position,
                "hs_code": root_data.get("hs_code", ""),
            },
        )
        categories[root.slug] = root
        colours[root.slug] = root_data["colours"]
        for child_position, child_data in enumerate(root_data["children"]):
            child = run.sync(
                Category,
                {"slug": child_data["slug"]},
                {
                    "parent_id": root.pk,
                    **pick(child_data, "name_en", "name_zh"),
                    "position": child_position,
                    "hs_code": child_data.get("hs_code", ""),
                },
            )
            categories[child.slug] = child
            colours[child.slug] = root_data["colours"]
    return categories, colours


def belt_sync(run: Run, data: dict[str, Any], position: int) -> Belt:
    fields = pick(data, *BELT_FIELDS)
    return run.sync(Belt, {"slug": data["slug"]}, {**fields, "position": position, "is_active": True})


def checklists_sync(run: Run) -> dict[str, AuditChecklist]:
    """Each industry's audit checklist by slug. A missing one is created; an existing one is the
    admins' to edit, so it is never rewritten (its version says which points an audit used)."""
    checklists: dict[str, AuditChecklist] = {}
    for data in run.world.audit_checklists:
        checklist = AuditChecklist.objects.filter(slug=data["slug"]).first()
        if checklist is None:
            checklist = AuditChecklist.objects.create(
                slug=data["slug"], industry_en=data["industry_en"], industry_zh=data["industry_zh"]
            )
            AuditChecklistPoint.objects.bulk_create(
                AuditChecklistPoint(checklist=checklist, code=code, text_en=en, text_zh=zh, position=position)
                for position, (code, en, zh) in enumerate(data["points"])
            )
            run.tally["created audit checklist"] += 1
            run.tally["created checklist point"] += len(data["points"])
        checklists[checklist.slug] = checklist
    return checklists


def supplier_sync(
    run: Run,
    data: dict[str, Any],
    belt: Belt,
    *,
    actor: User,
    valid_until: datetime.date,
    checklist: AuditChecklist,
) -> Supplier:
    """The company row, what it handed in, its verification run, then its certification.

    Status and level are the services' to write, so an existing supplier's status is left alone:
    an admin who rejects a demo supplier is not overruled by the next seed.
    """
    evidence = run.world.supplier_evidence[data["slug"]]
    status = data.get("status") or Supplier.Status.UNDER_VERIFICATION
    values = {
        **pick(data, *SUPPLIER_FIELDS),
        **pick(evidence, *EVIDENCE_SUPPLIER_FIELDS),
        "contact_name": evidence["legal_representative"],
        "contact_email": evidence.get("contact_email", ""),
        "belt_id": belt.pk,
        "province": belt.province,
    }
    submitted_at = None if status == Supplier.Status.DRAFT else timezone.now()
    supplier = run.sync(
        Supplier, {"slug": data["slug"]}, values, create_only={"status": status, "submitted_at": submitted_at}
    )
    _sites(run, supplier, belt, evidence["sites"])
    _documents(run, supplier, data, evidence)
    if supplier.status != Supplier.Status.DRAFT:
        _verification(run, supplier)
    level = data["certification"]
    if level and _needs_certification(supplier, level):
        supplier = _certify(run, supplier, level, actor=actor, valid_until=valid_until, checklist=checklist)
    return supplier


def _sites(run: Run, supplier: Supplier, belt: Belt, sites: list[dict[str, str]]) -> None:
    """The production sites the company declared (found by name)."""
    existing = set(supplier.sites.values_list("name", flat=True))
    for data in sites:
        if data["name"] in existing:
            continue
        fields = {
            **pick(data, "name", "address", "city", "products"),
            "province": data.get("province", belt.province),
        }
        if supplier.is_editable_by_applicant():
            production_site_add(supplier=supplier, **fields)
        else:
            # Past the applicant's hands (under verification or decided), so the service would
            # refuse: file the site as declared before it submitted, validated the same way.
            site = ProductionSite(supplier=supplier, **fields)
            site.full_clean()
            site.save()
        run.tally["created production site"] += 1


def _documents(run: Run, supplier: Supplier, data: dict[str, Any], evidence: dict[str, Any]) -> None:
    """Licence, certificates (found by number) and a factory photo, as generated pictures."""
    documents = list(supplier.documents.only("kind", "number"))
    kinds = {document.kind for document in documents}
    numbers = {document.number for document in documents if document.kind == SupplierDocument.Kind.CERTIFICATE}
    if evidence.get("licence", True) and SupplierDocument.Kind.LICENCE not in kinds:
        _document(run, supplier, SupplierDocument.Kind.LICENCE, licence_picture(data, evidence))
    today = timezone.localdate()
    for certificate in evidence["certificates"]:
        if certificate["number"] in numbers:
            continue
        dates = {
            "valid_from": today - datetime.timedelta(days=certificate["from"]),
            "valid_until": today + datetime.timedelta(days=certificate["until"]),
        }
        picture = certificate_picture(data, evidence, certificate, **dates)
        _document(
            run,
            supplier,
            SupplierDocument.Kind.CERTIFICATE,
            picture,
            **pick(certificate, "standard", "number", "issuer"),
            **dates,
        )
    if evidence.get("photo", True) and SupplierDocument.Kind.FACTORY_PHOTO not in kinds:
        site = evidence["sites"][0]
        picture = listing_picture(
            title=english(site["name"]),
            brand="Factory photo",
            caption=data["name_en"],
            colours=FACTORY_PHOTO_COLOURS,
        )
        _document(run, supplier, SupplierDocument.Kind.FACTORY_PHOTO, picture)


def _document(run: Run, supplier: Supplier, kind: str, picture: bytes, **certificate: Any) -> None:
    upload = SimpleUploadedFile(f"{kind}.png", picture)
    if supplier.is_editable_by_applicant():
        document = supplier_document_add(supplier=supplier, kind=kind, upload=upload, **certificate)
    else:
        # As for sites: the upload the company made before it submitted, received exactly as
        # `supplier_document_add` receives it.
        document = SupplierDocument(supplier=supplier, kind=kind, **certificate)
        document.full_clean(exclude=["file", "file_quarantine"])
        file_receive(document, upload)
        document.save()
    # The check the worker would run, run here: the demo's documents are clean without a worker.
    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    run.tally[f"created {kind} document"] += 1


def _verification(run: Run, supplier: Supplier) -> None:
    """A finished verification run, so the admin queue shows check results and the credit code's
    check character can stand as evidence. Its job is queued on commit as in real use; it runs here too, so
    the demo needs no worker for it, and the worker later finds the run done and does nothing."""
    runs = list(supplier.verification_runs.all())  # newest first
    if any(done.status == VerificationRun.Status.DONE for done in runs):
        return
    verification = (
        runs[0] if runs else verification_run_enqueue(supplier=supplier, trigger=VerificationRun.Trigger.SUBMITTED)
    )
    verification_run_execute(run_id=verification.pk)
    run.tally["finished verification run"] += 1


def _certify(
    run: Run, supplier: Supplier, level: str, *, actor: User, valid_until: datetime.date, checklist: AuditChecklist
) -> Supplier:
    """Certify through the service; an audited factory with its report and every point's outcome."""
    audit: dict[str, Any] = {}
    if level == CertificationLevel.AUDITED_FACTORY:
        notes = run.world.supplier_evidence[supplier.slug].get("audit", {})
        points = list(checklist.points.all())
        results = {point.code: tuple(notes.get(point.code, ("pass", ""))) for point in points}
        report = audit_report_picture(supplier, checklist, points, results)
        audit = {
            "audit_report": SimpleUploadedFile("audit-report.png", report),
            "checklist": checklist,
            "point_results": results,
        }
    if level in (CertificationLevel.CERTIFIED_ORIGIN, CertificationLevel.AUDITED_FACTORY):
        # The part of the licence's business scope staff confirm as manufacturing.
        made = ", ".join(category.name_en.lower() for category in supplier.main_categories.all()) or "its products"
        audit["manufacturing_scope"] = f"Manufacture and sale of {made}"
    before = supplier.current_certification_id
    supplier = supplier_certify(
        supplier=supplier,
        level=level,
        actor=actor,
        valid_until=valid_until,
        reason=run.world.certification_reason,
        **audit,
    )
    if supplier.current_certification_id != before:
        run.tally["certified supplier"] += 1
        if supplier.current_certification_id is not None:  # its audit report, checked as the worker would
            file_check(kind=AUDIT_REPORT_CHECK, pk=supplier.current_certification_id)
    return supplier


def accounts_sync(run: Run, users: dict[str, User], *, first_supplier: Supplier, operator_belt: Belt) -> BuyerCompany:
    """Tie the demo logins to what they act for: a buying company, a supplier, a belt."""
    company_data = run.world.buyer_company
    company = run.sync(BuyerCompany, {"name": company_data["name"]}, pick(company_data, "country", "business_type"))
    run.sync(BuyerMember, {"user_id": users["buyer@demo.test"].pk}, {"company_id": company.pk})
    run.sync(
        SupplierMember,
        {"user_id": users["supplier@demo.test"].pk},
        {"supplier_id": first_supplier.pk, "role": SupplierMember.Role.OWNER},
    )
    run.sync(
        BeltOperator,
        {"belt_id": operator_belt.pk, "user_id": users["operator@demo.test"].pk},
        {"organisation": run.world.operator["organisation"]},
    )
    return company


def _needs_certification(supplier: Supplier, level: str) -> bool:
    """Certify a company nobody has decided on yet. One certified by an older seed, before a
    certification carried its evidence, is certified again (a renewal on record) so its badge gets
    the chain; any other decision (rejected, downgraded, another level) is left as it is."""
    if supplier.status == Supplier.Status.UNDER_VERIFICATION:
        return True
    if supplier.status != Supplier.Status.CERTIFIED or supplier.certification_level != level:
        return False
    current = supplier.current_certification
    return current is None or not current.evidence.exists()


def company_terms_sync(run: Run, company: BuyerCompany, *, buyer: User, admin: User) -> None:
    """The demo buying company's saved addresses (added by its buyer, once) and staff's approval
    for net payment terms, through the services that record each change."""
    data = run.world.buyer_company
    if not company.addresses.exists():
        for address in data.get("addresses", []):
            address_save(company=company, actor=buyer, data=address)
            run.tally["saved demo company address"] += 1
    if data.get("net_terms_reason") and not company.net_terms_approved:
        company_net_terms_set(company=company, approved=True, actor=admin, reason=data["net_terms_reason"])
        run.tally["approved demo company for net terms"] += 1
