"""A suspended supplier comes back, in a real browser: it uploads its renewed licence and asks for
re-verification on its dashboard, a separate Celery worker process runs the checks, staff decide in
Django admin's renewal queue with a second staff member signing in to approve, and the public profile
and /verify/ show the restored level; the code typed in lower case without its dashes still verifies.

Screenshots go to var/screenshots/renewal-*.png.
"""

import datetime
import re

import pytest
from django.utils import timezone

from suppliers.models import Supplier, SupplierDocument, VerificationRun
from suppliers.services import certifications_expiry_sweep
from tests import factories as f
from tests.suppliers import factories as world
from tests.suppliers.factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


@pytest.fixture
def suspended(filesystem_broker, staff):
    belt = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", province="CN-HB")
    supplier, member = world.application(belt, name_en="Wuhan Ruiguang Laser Co., Ltd.")
    world.certify(supplier, staff, "certified_origin")
    SupplierDocument.objects.filter(supplier=supplier, kind="licence").update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    certifications_expiry_sweep()
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.SUSPENDED
    return supplier, member


def test_a_suspended_supplier_renews_and_two_staff_restore_its_level(
    live_server, page, screenshot, suspended, worker, staff
):
    supplier, member = suspended
    second = f.UserFactory(email="second-reviewer@example.test", is_staff=True, is_superuser=True)
    base = live_server.url

    # The supplier: dashboard → renewal → renewed licence → ask for re-verification.
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.goto(base + "/dashboard/supplier/")
    assert page.get_by_test_id("renewal-needed").is_visible()
    screenshot("renewal-01-suspended")
    page.get_by_test_id("renewal-link").click()
    page.wait_for_url(re.compile(r"/dashboard/supplier/renewal/$"))
    page.get_by_test_id("licence-form").locator("input[type=file]").set_input_files(
        {"name": "licence-2027.png", "mimeType": "image/png", "buffer": png_bytes((900, 650))}
    )
    page.get_by_test_id("licence-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "The renewed business licence is on file." in page.content()
    page.get_by_test_id("request-reverification").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("renewal-requested").is_visible()
    screenshot("renewal-02-requested")

    # The worker process runs the checks.
    run = VerificationRun.objects.get(supplier=supplier, trigger=VerificationRun.Trigger.RENEWAL)
    for _ in range(120):
        run.refresh_from_db()
        if run.status == VerificationRun.Status.DONE:
            break
        page.wait_for_timeout(500)
    assert run.status == VerificationRun.Status.DONE
    assert "verification_run_execute_task" in worker[1].read_text()

    # Staff: the renewal queue, the decision, a second staff member signs in to approve.
    admin = page.context.new_page()
    admin.goto(base + "/admin/login/?next=/admin/suppliers/supplier/%3Fstatus%3Drenewal")
    admin.fill("#id_username", staff.email)
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url(re.compile(r"status=renewal"))
    assert admin.locator("#result_list tbody tr").count() == 1
    admin.screenshot(path=str(screenshot("renewal-02-requested").parent / "renewal-03-admin-queue.png"), full_page=True)
    admin.goto(f"{base}/admin/suppliers/supplier/{supplier.pk}/change/")
    admin.get_by_role("link", name="Certify as certified origin manufacturer").click()
    admin.fill("textarea[name=reason]", "Renewed licence checked against the registry copy.")
    admin.fill("input[name=manufacturing_scope]", "Manufacture of fibre laser cutting machines")
    admin.fill("input[name=second_person_email]", second.email)
    admin.fill("input[name=second_person_password]", PASSWORD)
    admin.click("input[name=_decide]")
    admin.wait_for_load_state()
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == ("certified", "certified_origin")
    certification = supplier.current_certification
    assert (certification.decided_by, certification.second_person) == (staff, second)

    # The public: the profile and the certificate, the code typed the lazy way.
    page.goto(base + supplier.get_absolute_url())
    assert "Certified origin manufacturer" in page.content()
    page.goto(base + "/verify/")
    page.fill("input[name=code]", certification.code.lower().replace("-", ""))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert supplier.name_en in page.content() and "Certified origin manufacturer" in page.content()
    screenshot("renewal-04-verified")
