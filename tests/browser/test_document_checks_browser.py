"""A document's check as its uploader sees it, in a real browser: the upload is kept unchecked,
the page says it is being checked, and once the check refused it the page says why, in English
and in Chinese, beside a button that removes it.

Screenshots go to var/screenshots/document-check-*.png.
"""

import re

import pytest

from marketplace.filecheck.services import file_check
from suppliers.filechecks import DOCUMENT_CHECK
from suppliers.models import SupplierDocument
from tests.marketplace.pdf_corpus import pdf
from tests.suppliers.factories import CompleteDraftFactory, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
HOSTILE_PDF = pdf(b"/OpenAction 4 0 R ", {4: b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"})


def test_the_applicant_sees_the_check_run_and_why_it_refused_the_file(live_server, page, screenshot, settings):
    settings.FILE_CHECK_EAGER = False
    member = applicant(CompleteDraftFactory())
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/|/apply/"))

    page.goto(base + "/apply/documents/")
    page.get_by_test_id("licence-form").locator("input[type=file]").set_input_files(
        {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": HOSTILE_PDF}
    )
    page.get_by_test_id("licence-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/apply/documents/$"))
    assert page.get_by_test_id("document-pending").inner_text() == "Being checked — refresh in a moment"
    screenshot("document-check-01-pending")

    document = SupplierDocument.objects.get()
    file_check(kind=DOCUMENT_CHECK, pk=document.pk)
    page.reload()
    assert "contains scripts (JavaScript)" in page.get_by_test_id("document-refused").inner_text()
    row = page.locator(f"tr[data-document='{document.pk}']")
    assert row.get_by_role("button", name="Remove").is_visible()
    screenshot("document-check-02-refused")

    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    page.reload()
    assert "包含脚本" in page.get_by_test_id("document-refused").inner_text()
    screenshot("document-check-03-refused-zh")

    row = page.locator(f"tr[data-document='{document.pk}']")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/apply/documents/$"))
    assert not SupplierDocument.objects.exists()
