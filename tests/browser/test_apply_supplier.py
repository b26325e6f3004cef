"""A new supplier applies in a real browser: sign-up, activation, every step, a refused USCC,
a licence upload, submission; a separate Celery worker process runs the verification and the
checks arrive on the dashboard by htmx polling; an admin certifies it in Django admin; the
public profile and the /verify/ page show the badge.

Screenshots of each step go to var/screenshots/apply-*.png.
"""

import re

import pytest
from django.core import mail

from suppliers.models import Supplier, VerificationRun
from tests import factories as f
from tests.suppliers.factories import png_bytes, uscc_for, uscc_with_wrong_check_character

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(filesystem_broker):
    textiles = f.CategoryFactory(slug="textiles", name_en="Textiles and apparel", name_zh="纺织服装")
    f.CategoryFactory(slug="knitted-fabric", name_en="Knitted fabric", name_zh="针织面料", parent=textiles)
    f.CategoryFactory(slug="laser-equipment", name_en="Laser equipment", name_zh="激光设备")
    f.BeltFactory(
        slug="shishi-textiles", name_en="Shishi textiles belt", name_zh="石狮纺织产业带", brand_en="Shishi textiles",
        province="CN-FJ", industry_en="Textiles and apparel", position=1,
    )  # fmt: skip
    f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", province="CN-HB", position=0)
    f.BeltFactory(
        slug="wenzhou-menswear", name_en="Wenzhou men's clothing belt", province="CN-ZJ",
        brand_en="Wenzhou menswear", industry_en="Men's clothing", position=2,
    )  # fmt: skip


def test_a_new_supplier_applies_is_verified_by_the_worker_and_certified_in_admin(
    live_server, page, screenshot, world, worker, staff
):
    base = live_server.url
    page.goto(base + "/apply/")
    page.fill("input[name=full_name]", "Chen Jie")
    page.fill("input[name=email]", "chen@shishi-looms.test")
    page.fill("input[name=company_name]", "Shishi Looms Co., Ltd.")
    page.fill("input[name=password]", "Silk-Road-Looms-2024")
    screenshot("apply-00-signup")
    page.get_by_role("button", name="Create account and start").click()
    page.wait_for_load_state()
    assert "Check your email" in page.content()
    link = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", mail.outbox[-1].body).group(1)

    page.goto(base + link)
    page.wait_for_url(re.compile(r"/dashboard/supplier/$"))
    assert page.get_by_test_id("continue-application").is_visible()
    screenshot("apply-01-dashboard-draft")
    page.get_by_test_id("continue-application").get_by_role("link").click()

    # Company, with a mistyped check character first: refused beside the field, the rest kept.
    page.wait_for_url(re.compile(r"/apply/company/$"))
    page.fill("input[name=name_zh]", "石狮织机有限公司")
    page.fill("input[name=uscc]", uscc_with_wrong_check_character(1))
    page.fill("input[name=legal_representative]", "Chen Jie")
    page.fill("input[name=year_founded]", "2006")
    page.fill("input[name=staff_count]", "240")
    page.fill("input[name=factory_area_m2]", "18000")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert "check character" in page.locator(".invalid-feedback").first.inner_text()
    assert page.input_value("input[name=name_zh]") == "石狮织机有限公司"
    screenshot("apply-02-company-error")
    page.fill("input[name=uscc]", uscc_for(1))
    page.get_by_role("button", name="Save and continue").click()

    # Location, with one production site.
    page.wait_for_url(re.compile(r"/apply/location/$"))
    page.fill("input[name=registered_address]", "8 Baogai Road, Shishi, Quanzhou")
    page.select_option("select[name=province]", "CN-FJ")
    page.fill("input[name=city_en]", "Quanzhou")
    page.fill("input[name=city_zh]", "泉州")
    page.fill("input[name=site-name]", "Baogai knitting plant")
    page.fill("input[name=site-address]", "12 Industrial Road, Baogai")
    page.select_option("select[name=site-province]", "CN-FJ")
    page.fill("input[name=site-city]", "Shishi")
    page.fill("input[name=site-products]", "Knitted fabric, T-shirts")
    page.get_by_role("button", name="Add this site").click()
    page.wait_for_load_state()
    assert "Baogai knitting plant" in page.get_by_test_id("sites").inner_text()
    screenshot("apply-03-location")
    page.get_by_role("button", name="Save and continue").click()

    # Belt: the province's belt is suggested; ticking a category refreshes the list by htmx.
    page.wait_for_url(re.compile(r"/apply/belt/$"))
    assert "Shishi textiles belt" in page.get_by_test_id("belt-suggestion").inner_text()
    page.get_by_label("Knitted fabric").check()
    page.wait_for_timeout(400)
    screenshot("apply-04-belt")
    page.get_by_role("button", name="Save and continue").click()

    # Documents: a text file posing as a licence is refused, then the real scan is accepted.
    page.wait_for_url(re.compile(r"/apply/documents/$"))
    licence_form = page.get_by_test_id("licence-form")
    licence_form.locator("input[type=file]").set_input_files(
        {"name": "licence.png", "mimeType": "image/png", "buffer": b"not an image at all\n" * 30}
    )
    licence_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Upload a PDF file or a JPEG, PNG or WebP image." in page.get_by_test_id("licence-form").inner_text()
    screenshot("apply-05-documents-error")
    page.get_by_test_id("licence-form").locator("input[type=file]").set_input_files(
        {"name": "licence.png", "mimeType": "image/png", "buffer": png_bytes((900, 650))}
    )
    page.get_by_test_id("licence-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    photos = page.get_by_test_id("photos-form")
    photos.locator("input[type=file]").set_input_files(
        [{"name": f"hall-{i}.png", "mimeType": "image/png", "buffer": png_bytes((640, 480))} for i in range(2)]
    )
    photos.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("documents").locator("tbody tr").count() == 3
    screenshot("apply-06-documents")
    page.get_by_role("link", name="Continue").click()

    page.wait_for_url(re.compile(r"/apply/contact/$"))
    page.fill("input[name=contact_phone]", "+86 595 8888 0000")
    screenshot("apply-07-contact")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(re.compile(r"/apply/review/$"))
    assert page.get_by_test_id("ready").is_visible()
    screenshot("apply-08-review")
    page.get_by_test_id("submit-application").click()

    # Under verification: the dashboard polls while the worker process records the checks.
    page.wait_for_url(re.compile(r"/dashboard/supplier/$"))
    supplier = Supplier.objects.get(name_en="Shishi Looms Co., Ltd.")
    assert supplier.status == Supplier.Status.UNDER_VERIFICATION
    assert "Waiting" in page.get_by_test_id("application-checks").inner_text()
    screenshot("apply-09-dashboard-waiting")
    page.wait_for_selector('[data-check="photos"]:not([data-outcome="pending"])', timeout=60_000)
    page.wait_for_selector("#application-checks:not([hx-trigger])", timeout=30_000)
    assert VerificationRun.objects.get(supplier=supplier).status == VerificationRun.Status.DONE
    assert "verification_run_execute_task" in worker[1].read_text()  # the worker process did it
    assert "Finished" in page.get_by_test_id("run-status").inner_text()
    screenshot("apply-10-dashboard-checks")

    # Read-only now.
    page.goto(base + "/apply/company/")
    assert page.get_by_test_id("read-only").is_visible()
    assert page.locator("input[name=uscc]").is_disabled()
    screenshot("apply-11-read-only")

    # Staff certify it in Django admin, through the decision page.
    admin = page.context.new_page()
    admin.goto(base + "/admin/login/?next=/admin/")
    admin.fill("#id_username", staff.email)
    admin.fill("#id_password", "correct-horse-battery")
    admin.click("input[type=submit]")
    admin.goto(f"{base}/admin/suppliers/supplier/{supplier.pk}/change/")
    admin.get_by_role("link", name="Certify as certified origin manufacturer").click()
    admin.fill("textarea[name=reason]", "Licence and sites checked; factory in Shishi.")
    admin.fill("input[name=manufacturing_scope]", "Manufacture and sale of knitted garments")
    admin.click("input[name=_decide]")
    admin.wait_for_load_state()
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.CERTIFIED
    assert supplier.certification_level == "certified_origin"
    screenshot_of(admin, "apply-12-admin-certified")

    # The public profile and the certificate's verification page show the badge.
    page.goto(base + supplier.get_absolute_url())
    assert page.get_by_test_id("certification-badge").first.is_visible()
    screenshot("apply-13-public-profile")
    page.goto(base + supplier.current_certification.get_absolute_url())
    assert "Certified origin manufacturer" in page.content()
    screenshot("apply-14-verify")


def screenshot_of(tab, name: str) -> None:
    from tests.browser.conftest import SCREENSHOTS

    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
