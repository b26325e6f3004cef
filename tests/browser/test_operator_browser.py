"""An association operator, in a real browser: imports its member list, reads the row report,
follows the funnel to a stage, opens an application and records a recommendation (screenshots)."""

import datetime
import re

import pytest
from django.utils import timezone

from suppliers.models import Invitation, InvitationImport, Supplier, SupplierDocument, SupplierEvent, VerificationRun
from suppliers.services import invitation_import_run
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory

CSV = """公司名称,联系人,邮箱
武汉锐科光纤激光技术股份有限公司,张伟,zhangwei@raycus.test
湖北华工激光工程有限责任公司,李娜,lina@hgtech.test
,王芳,wangfang@nocompany.test
武汉金运激光股份有限公司,陈杰,not-an-email
武汉帝尔激光科技股份有限公司,刘洋,ZHANGWEI@raycus.test
Wuhan Golden Laser Co. Ltd.,Zhao Lei,zhao@golden.test
"""


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


@pytest.fixture
def wuhan():
    belt = f.BeltFactory(
        slug="wuhan-laser", name_en="Wuhan Optics Valley laser belt", name_zh="武汉光谷激光产业带",
        brand_en="Hubei laser", brand_zh="湖北激光",
    )  # fmt: skip
    operator = f.BeltOperatorFactory(belt=belt, user__email="association@hubei-laser.test", user__full_name="Hu Min")
    for name in ("Wuhan Guanggu Photonics Co., Ltd.", "Hubei Precision Optics Co., Ltd."):
        f.SupplierFactory(belt=belt, name_en=name)
    f.ApplicantSupplierFactory(belt=belt, name_en="Wuhan Huaray Laser Co., Ltd.", contact_name="Zhou Qing")
    _rich_application(belt)
    f.ApplicantSupplierFactory(belt=belt, name_en="Wuhan Lead Laser Co., Ltd.", status=Supplier.Status.INFO_REQUESTED)
    f.ApplicantSupplierFactory(belt=belt, name_en="Xiaogan Trading Co., Ltd.", status=Supplier.Status.REJECTED)
    f.DraftApplicationFactory(belt=belt, name_en="Wuhan Sunic Laser Co., Ltd.")
    return operator


def _rich_application(belt) -> Supplier:
    """An application under verification with documents, a site, checks and a trail, as in life."""
    now = timezone.now()
    tianyu = f.ApplicantSupplierFactory(
        belt=belt, name_en="Wuhan Tianyu Laser Co., Ltd.", name_zh="武汉天宇激光有限公司", uscc=f.valid_uscc(7),
        legal_representative="Wang Jun", registered_address="18 Gaoxin Avenue, Donghu High-tech Zone, Wuhan",
        year_founded=2009, staff_count=420, factory_area_m2=36000, contact_name="Zhou Qing",
        contact_email="zhou.qing@tianyu-laser.test", contact_phone="+86 27 8765 4321", submitted_at=now,
    )  # fmt: skip
    f.ProductionSiteFactory(supplier=tianyu, name="Optics Valley plant", products="Fibre laser cutting machines")
    for kind, extra in (("licence", {}), ("certificate", {"standard": "iso_9001", "number": "CQC-2024-9001"})):
        SupplierDocument.objects.create(
            supplier=tianyu, kind=kind, file=f"suppliers/{tianyu.pk}/documents/{kind}.png", content_type="image/png",
            size=120_000, sha256="0" * 64, valid_until=datetime.date(2027, 6, 30), file_check="clean", **extra,
        )  # fmt: skip
    run = VerificationRun.objects.create(supplier=tianyu, trigger="submitted", status="done", finished_at=now)
    for name, outcome, code, params in (
        ("uscc", "pass", "uscc_valid", {"uscc": tianyu.uscc}),
        ("licence", "pass", "licence_ok", {}),
        ("region", "pass", "region_inside", {"province": "Hubei"}),
        ("photos", "warn", "photos_none", {}),
    ):
        run.checks.create(
            name=name, outcome=outcome, detail_code=code, detail_params=params, started_at=now, finished_at=now
        )
    SupplierEvent.objects.create(supplier=tianyu, kind=SupplierEvent.Kind.SUBMITTED)
    return tianyu


def test_operator_imports_invitations_and_follows_the_funnel(live_server, page, screenshot, wuhan):
    sign_in(page, live_server.url, "association@hubei-laser.test")
    page.wait_for_url(re.compile(r"/dashboard/belt/$"))
    screenshot("operator-funnel")

    page.get_by_role("link", name="Invite companies from a CSV file").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/wuhan-laser/invite/$"))
    page.set_input_files(
        "input[name=file]", files=[{"name": "会员名单.csv", "mimeType": "text/csv", "buffer": CSV.encode("gbk")}]
    )
    page.get_by_role("button", name="Import and send invitations").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/wuhan-laser/invite/\d+/$"))
    screenshot("operator-import-queued")
    # The worker's job, run here: the page refreshes itself until the report is there.
    [queued] = InvitationImport.objects.all()
    invitation_import_run(import_id=queued.pk)
    report = page.get_by_test_id("import-report")
    assert report.get_by_test_id("created-count").inner_text() == "3"
    assert report.get_by_test_id("problem-count").inner_text() == "3"
    rows = page.get_by_test_id("problems").locator("tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == ["4", "5", "6"]
    assert Invitation.objects.count() == 3
    screenshot("operator-import-report")

    page.get_by_role("link", name="See the invited companies in the funnel").click()
    page.wait_for_url(re.compile(r"stage=invited"))
    assert page.get_by_test_id("stage-list").locator("tbody tr").count() == 3
    assert "武汉锐科光纤激光技术股份有限公司" in page.content()

    page.get_by_test_id("stage-verifying").click()  # htmx swaps the funnel section in place
    page.wait_for_url(re.compile(r"stage=verifying"))
    page.get_by_text("Wuhan Lead Laser Co., Ltd.").wait_for()
    assert page.get_by_test_id("stage-list").locator("tbody tr").count() == 3
    screenshot("operator-funnel-verifying")

    page.get_by_role("link", name="Wuhan Tianyu Laser Co., Ltd.").click()
    page.wait_for_url(re.compile(r"/dashboard/belt/applications/\d+/$"))
    page.check("input[name=decision][value=certify]")
    page.select_option("select[name=level]", "verified")
    page.fill("textarea[name=reason]", "A member of our association since 2015; we know the plant.")
    page.get_by_role("button", name="Record my recommendation").click()
    page.wait_for_load_state()
    assert "Your recommendation is on record" in page.content()
    event = SupplierEvent.objects.get(kind=SupplierEvent.Kind.RECOMMENDED)
    assert event.actor == wuhan.user
    screenshot("operator-application")
