"""Builders of the supplier tests.

- The application wizard: draft suppliers, invitations, applicants, USCCs and uploads.
- The trust world: certified suppliers built the way real ones are: application → documents →
  checks → decision. Shared by the trust-page and certification-API tests, so the evidence they
  show is the evidence `supplier_certify` really records.
"""

import datetime
import io
import random
from itertools import count

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum.cn import uscc as stdnum_uscc

from accounts.models import User
from belts.models import Belt
from suppliers.models import (
    AuditChecklist,
    AuditChecklistPoint,
    CertificationLevel,
    Invitation,
    Supplier,
    SupplierMember,
)
from suppliers.services import (
    production_site_add,
    supplier_application_submit,
    supplier_certify,
    supplier_document_add,
    verification_run_execute,
)
from tests import factories as f
from tests.marketplace.pdf_corpus import pdf

# ==== the application wizard ===================


def uscc_for(n: int) -> str:
    """A well-formed USCC with the right GB 32100-2015 check character, different for each n."""
    body = f"913501007{n:08d}"
    return body + stdnum_uscc.calc_check_digit(body)


def uscc_with_wrong_check_character(n: int) -> str:
    good = uscc_for(n)
    return good[:-1] + ("1" if good[-1] != "1" else "2")


class DraftSupplierFactory(f.SupplierFactory):
    """A draft application with nothing filled in beyond its names."""

    belt = None
    status = Supplier.Status.DRAFT
    certification_level = CertificationLevel.NONE
    certified_at = None
    certified_until = None
    province = ""
    city_en = ""
    city_zh = ""


class CompleteDraftFactory(DraftSupplierFactory):
    """A draft with every field submission needs; add a licence and a site to make it submittable."""

    belt = factory.SubFactory(f.BeltFactory)
    province = "CN-FJ"
    city_en = "Quanzhou"
    city_zh = "泉州"
    uscc = factory.Sequence(uscc_for)
    legal_representative = "Chen Jie"
    registered_address = "8 Baogai Road, Shishi"
    contact_name = "Lin Mei"
    contact_email = factory.Sequence(lambda n: f"lin{n}@shishi-textiles.test")
    contact_phone = "+86 595 8888 0000"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    belt = factory.SubFactory(f.BeltFactory)
    company_name = "Shishi Seaside Garments Co., Ltd."
    contact_name = "Huang Li"
    email = factory.Sequence(lambda n: f"huang{n}@seaside-garments.test")
    invited_by = factory.SubFactory(f.UserFactory, role=User.Role.OPERATOR)


def applicant(supplier: Supplier) -> User:
    """A supplier-role user who acts for `supplier`."""
    return SupplierMember.objects.create(supplier=supplier, user=f.UserFactory(role=User.Role.SUPPLIER)).user


def png_bytes(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 0).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "licence.png", size: tuple[int, int] = (400, 300)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def text_upload(name: str = "licence.png") -> SimpleUploadedFile:
    """A text file wearing an image's name and content type: refused by its content."""
    return SimpleUploadedFile(name, b"this is not a picture of a licence\n" * 20, content_type="image/png")


def bomb_upload(name: str = "bomb.png") -> SimpleUploadedFile:
    """20000 x 20000 one-bit pixels: a few dozen KB on the wire, 400 megapixels to decode."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    padding = b"x" * 4000
    content = pdf(objects={4: (b"<< /Length %d >>" % len(padding), padding)})
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# ==== the trust world ====================================

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
    if level in (CertificationLevel.CERTIFIED_ORIGIN, CertificationLevel.AUDITED_FACTORY):
        audit["manufacturing_scope"] = f.MANUFACTURING_SCOPE
    supplier_certify(supplier=supplier, level=level, actor=staff, reason="Site visit", **audit)
    supplier.refresh_from_db()
    return supplier


def certified_supplier(belt: Belt, staff: User, level: str = CertificationLevel.CERTIFIED_ORIGIN, **kwargs) -> Supplier:
    supplier, _member = application(belt, **kwargs)
    return certify(supplier, staff, level)


CERTIFICATION_STEPS = ("certify_origin", "certify_verified", "renew", "downgrade", "suspend", "expire")


def certification_step(step: str, supplier: Supplier, staff: User, today: datetime.date) -> bool:
    """One certification event of the property tests, done as staff or the daily sweep do it:
    certify (as certified origin, "renew" too, or verified), downgrade to verified, suspend, or
    expire (the year has passed: the certification ended yesterday, and the sweep runs). Raises
    ApplicationError when the service refuses; False when `step` is not a certification step."""
    from suppliers.models import Certification, SupplierEvent
    from suppliers.services import supplier_certification_expire, supplier_downgrade

    if step in ("certify_origin", "renew"):
        supplier_certify(supplier=supplier, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, **f.ORIGIN)
    elif step == "certify_verified":
        supplier_certify(supplier=supplier, level=CertificationLevel.VERIFIED, actor=staff)
    elif step in ("downgrade", "suspend"):
        supplier_downgrade(
            supplier.pk, to_level="verified" if step == "downgrade" else "none", actor=staff,
            kind=SupplierEvent.Kind.DOWNGRADED if step == "downgrade" else SupplierEvent.Kind.SUSPENDED,
            reason="Finding", data={},
        )  # fmt: skip
    elif step == "expire":
        if supplier.current_certification_id:
            Certification.objects.filter(pk=supplier.current_certification_id).update(
                valid_from=today - datetime.timedelta(days=366), valid_until=today - datetime.timedelta(days=1)
            )
            supplier_certification_expire(supplier.pk, today=today)
    else:
        return False
    return True
