"""Certification staff work the queue in a real browser: queue → application → audited factory.

Screenshots go to var/screenshots/admin-*.png.
"""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from suppliers.models import AuditPointResult, CertificationLevel, ProductionSite, Supplier, SupplierEvent
from tests import factories as f
from tests.suppliers.test_admin import PDF_BYTES, document, laser_checklist, recommend, verification_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def licence_picture() -> bytes:
    picture = Image.new("RGB", (900, 640), "#f4efe1")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((20, 20, 880, 620), outline="#b22222", width=8)
    draw.text((360, 60), "BUSINESS LICENCE", fill="#b22222")
    for row in range(8):
        draw.line((80, 160 + row * 50, 820, 160 + row * 50), fill="#999999", width=2)
    out = io.BytesIO()
    picture.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def queue(staff):
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带")
    operator = f.BeltOperatorFactory(belt=belt).user
    passed = {"uscc": "pass", "licence": "pass", "region": "pass", "duplicates": "pass"}
    rows = [
        ("Wuhan Raycus Fiber Laser Technologies Co., Ltd.", "武汉锐科光纤激光技术股份有限公司", passed),
        ("Hubei Huagong Laser Engineering Co., Ltd.", "湖北华工激光工程有限责任公司", {**passed, "licence": "warn"}),
        ("Wuhan Golden Laser Co., Ltd.", "武汉金运激光股份有限公司", {**passed, "uscc": "fail", "region": "warn"}),
        ("Wuhan Optics Valley Photonics Co., Ltd.", "武汉光谷光电有限公司", {}),
    ]
    suppliers = []
    for i, (name_en, name_zh, outcomes) in enumerate(rows):
        supplier = f.ApplicantSupplierFactory(
            belt=belt, name_en=name_en, name_zh=name_zh, uscc=f"91420100MA4K0000{i}X", legal_representative="Li Wei",
            registered_address="88 Guanggu Avenue, Donghu High-tech Zone",
            submitted_at=f"2026-03-0{i + 1}T09:00:00+08:00",
        )  # fmt: skip
        if outcomes:
            verification_run(supplier, **outcomes)
        licence = document(supplier)
        licence.file.save("licence.jpg", ContentFile(licence_picture()))
        document(supplier, "certificate", pdf=True, standard="iso_9001", number="CN-ISO-2291", issuer="CQC")
        ProductionSite.objects.create(
            supplier=supplier, name="Optics Valley plant", address="88 Guanggu Avenue", province="CN-HB", city="Wuhan",
            products="Fibre laser sources",
        )  # fmt: skip
        suppliers.append(supplier)
    recommend(suppliers[0], operator, "certify", CertificationLevel.AUDITED_FACTORY)
    recommend(suppliers[2], operator, "reject")
    laser_checklist(points=4)
    return suppliers


def sign_in(tab, live_server, staff) -> None:
    tab.goto(live_server.url + "/admin/login/?next=/admin/suppliers/supplier/")
    tab.fill("#id_username", staff.email)
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url(re.compile(r"/admin/suppliers/supplier/$"))


# F811: `page` and `screenshot` are the browser fixtures imported above.
def test_staff_certifies_an_audited_factory(live_server, page, screenshot, staff, queue, tmp_path):
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, staff)
    page.click("#toggle-nav-sidebar")  # room for the queue's columns
    assert page.locator("#result_list tbody tr").count() == 4
    assert page.get_by_text("Needs a look").count() >= 1
    screenshot("admin-queue")

    page.goto(live_server.url + "/admin/suppliers/supplier/?checks=fail")
    assert page.locator("#result_list tbody tr").count() == 1

    raycus = queue[0]
    page.goto(f"{live_server.url}/admin/suppliers/supplier/{raycus.pk}/change/")
    thumbnail = page.locator("#documents-group img").first
    thumbnail.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) > 0  # served to staff
    screenshot("admin-application")

    page.get_by_role("link", name="Certify as audited factory").click()
    page.wait_for_url(re.compile(r"/decide/audited-factory/"))
    report = tmp_path / "audit-report.pdf"
    report.write_bytes(PDF_BYTES)
    page.set_input_files("#id_audit_report", str(report))
    page.fill("#id_reason", "Audited on site on 12 March by Zhang Min (platform audit team).")
    page.fill("#id_manufacturing_scope", "Manufacture of fibre laser cutting machines")
    for i, outcome in enumerate(["pass", "pass", "fail", "na"]):
        page.check(f"input[name='points-{i}-outcome'][value='{outcome}']")
    page.fill("#id_points-2-note", "Two operators without laser safety training records.")
    screenshot("admin-audited-factory")

    page.get_by_role("button", name="Certify as audited factory").click()
    page.wait_for_url(re.compile(rf"/admin/suppliers/supplier/{raycus.pk}/change/$"))
    assert page.get_by_text("certified as an audited factory").count() == 1
    screenshot("admin-certified")
    assert not blocked, blocked

    raycus.refresh_from_db()
    assert (raycus.status, raycus.certification_level) == (Supplier.Status.CERTIFIED, "audited_factory")
    assert AuditPointResult.objects.filter(certification=raycus.current_certification).count() == 4
    assert SupplierEvent.objects.get(supplier=raycus, kind="certified").actor == staff
