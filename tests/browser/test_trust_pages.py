"""The trust pages in a real browser, on the demo world: a profile with its evidence, and the
certificate check for a current, a superseded and an unknown code, typed into the form; in English
and in Chinese. Screenshots go to var/screenshots/trust-*.png."""

import re

import pytest
from playwright.sync_api import expect

from suppliers.models import AuditChecklist, CertificationLevel, Supplier
from suppliers.services import supplier_certify
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _raise_to_audited_factory(supplier: Supplier) -> None:
    """A later decision, so the company's first certificate is superseded."""
    checklist = AuditChecklist.objects.get(slug="laser-equipment")
    supplier_certify(
        supplier=supplier, level=CertificationLevel.AUDITED_FACTORY, actor=None, checklist=checklist, **f.ORIGIN,
        audit_report=f.image_upload("report.jpg", size=(800, 600)),
        point_results={point.code: ("pass", "") for point in checklist.points.all()},
    )  # fmt: skip


def test_buyer_reads_the_evidence_and_checks_certificates(live_server, page, screenshot, demo_world):
    audited = Supplier.objects.get(slug="wuhan-guanggu-photonics")
    current = audited.current_certification.code
    raised = Supplier.objects.get(slug="wuhan-ruiguang-laser")
    superseded = raised.current_certification.code
    _raise_to_audited_factory(raised)

    page.goto(f"{live_server.url}/suppliers/{audited.slug}/")
    assert page.get_by_test_id("level").inner_text() == "Audited factory"
    assert page.get_by_test_id("site-in-region").count() == 2
    assert page.get_by_test_id("evidence-piece").count() >= 4
    assert page.get_by_test_id("audit-point").count() == 7
    assert "/media/suppliers/" not in page.content()
    screenshot("trust-profile-en")

    page.get_by_test_id("verify-link").click()
    page.wait_for_url(re.compile(rf"/verify/{re.escape(current)}/$"))
    assert page.get_by_test_id("verdict").get_attribute("data-verdict") == "current"
    screenshot("trust-verify-current-en")

    page.fill("#certificate-code", superseded)
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/verify/{re.escape(superseded)}/$"))
    assert page.get_by_test_id("verdict").get_attribute("data-verdict") == "superseded"
    assert page.get_by_test_id("company-current").is_visible()
    screenshot("trust-verify-superseded-en")

    page.fill("#certificate-code", current[:-1])  # one character short: no prefix matching
    page.get_by_test_id("verify-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("verdict").get_attribute("data-verdict") == "unknown"
    screenshot("trust-verify-unknown-en")

    trading = Supplier.objects.get(slug="urumqi-xiyu-trading")
    page.goto(f"{live_server.url}/suppliers/{trading.slug}/")
    assert page.get_by_test_id("site-in-region").count() == 0
    screenshot("trust-profile-trading-en")

    page.goto(f"{live_server.url}/suppliers/{audited.slug}/")
    # A cached page holds no CSRF token: the switch first fetches the visitor's own (js/csrf.js).
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert "营业执照" in page.content() and "武汉光谷光电科技有限公司" in page.content()
    screenshot("trust-profile-zh")

    page.goto(f"{live_server.url}/verify/{superseded}/")
    screenshot("trust-verify-superseded-zh")
    page.goto(f"{live_server.url}/verify/")
    assert page.get_by_test_id("verify-form").is_visible()
    screenshot("trust-verify-lookup-zh")
