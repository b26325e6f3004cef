"""Certified suppliers built the way real ones are: application → documents → checks → decision.

Shared by the trust-page and certification-API tests, so the evidence they show is the evidence
`supplier_certify` really records.
"""

import datetime
import io
import random
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from belts.models import Belt
from suppliers.models import AuditChecklist, AuditChecklistPoint, CertificationLevel, Supplier
from suppliers.services import (
    production_site_add,
    supplier_application_submit,
    supplier_certify,
    supplier_document_add,
    verification_run_execute,
)
from tests import factories as f

_numbers = count(1)

LASER_POINTS = [
    ("own-assembly", "Machines are assembled in the company's own workshop", "设备在自有车间装配"),
    ("laser-safety", "Class 4 laser areas are enclosed and interlocked", "4类激光区域封闭并联锁"),
    ("acceptance-test", "Every machine passes a recorded acceptance test", "每台设备通过有记录的出厂验收"),
]


def licence_upload() -> SimpleUploadedFile:
    """A licence scan the checks accept: 700 × 640 pixels and well over 10 kB."""
    rng = random.Random(7)
    picture = Image.new("L", (700, 640), 245)
    draw = ImageDraw.Draw(picture)
    for _ in range(1500):
        x, y = rng.randrange(0, 690), rng.randrange(0, 630)
        draw.rectangle((x, y, x + rng.randrange(2, 9), y + rng.randrange(2, 9)), fill=rng.randrange(0, 200))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return SimpleUploadedFile("licence.png", out.getvalue(), content_type="image/png")


def laser_checklist(version: int = 3) -> AuditChecklist:
    checklist = AuditChecklist.objects.create(
        slug=f"laser-equipment-{next(_numbers)}", industry_en="Laser equipment", industry_zh="激光设备", version=version
    )
    AuditChecklistPoint.objects.bulk_create(
        AuditChecklistPoint(checklist=checklist, code=code, text_en=en, text_zh=zh, position=position)
        for position, (code, en, zh) in enumerate(LASER_POINTS)
    )
    return checklist


def application(belt: Belt, *, sites: int = 1, outside_sites: int = 0, **fields: object) -> tuple[Supplier, User]:
    """A submitted application with a licence, an ISO 9001 certificate and its sites, checks done."""
    n = next(_numbers)
    supplier = f.DraftApplicationFactory(belt=belt, province=belt.province, **fields)
    member = f.SupplierMemberFactory(supplier=supplier).user
    for i in range(sites):
        production_site_add(
            supplier=supplier, name=f"Optics Valley plant {i + 1}", address=f"{i + 1} Gaoxin Avenue",
            province=belt.province, city="Wuhan", products="Fibre laser cutting machines",
        )  # fmt: skip
    for i in range(outside_sites):
        production_site_add(
            supplier=supplier, name=f"Shenzhen sales office {i + 1}", address="8 Keyuan Road",
            province="CN-GD", city="Shenzhen", products="Showroom and spare parts",
        )  # fmt: skip
    supplier_document_add(supplier=supplier, kind="licence", upload=licence_upload())
    today = timezone.localdate()
    supplier_document_add(
        supplier=supplier, kind="certificate", upload=f.image_upload(size=(640, 480)), standard="iso_9001",
        number=f"00124Q3{n:04d}R1M", issuer="China Quality Certification Centre",
        valid_from=today - datetime.timedelta(days=100), valid_until=today + datetime.timedelta(days=300),
    )  # fmt: skip
    supplier_application_submit(supplier=supplier, actor=member)
    verification_run_execute(run_id=supplier.verification_runs.get().pk)
    supplier.refresh_from_db()
    return supplier, member


def certify(supplier: Supplier, staff: User, level: str, *, checklist: AuditChecklist | None = None) -> Supplier:
    audit: dict = {}
    if level == CertificationLevel.AUDITED_FACTORY:
        checklist = checklist or laser_checklist()
        outcomes = {"laser-safety": ("fail", "Interlock on bay 3 bypassed; fixed during the visit")}
        audit = {
            "audit_report": f.image_upload("report.jpg", size=(800, 600)),
            "checklist": checklist,
            "point_results": {p.code: outcomes.get(p.code, ("pass", "")) for p in checklist.points.all()},
        }
    supplier_certify(supplier=supplier, level=level, actor=staff, reason="Site visit", **audit)
    supplier.refresh_from_db()
    return supplier


def certified_supplier(belt: Belt, staff: User, level: str = CertificationLevel.CERTIFIED_ORIGIN, **kwargs) -> Supplier:
    supplier, _member = application(belt, **kwargs)
    return certify(supplier, staff, level)
