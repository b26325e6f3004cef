"""/verify/<code>/: whether a certificate seen anywhere is genuine and current.

Genuine and current is green; genuine but ended (expired, superseded, downgraded, withdrawn) says
what happened and since when, and points to the company's current certificate if it has one; an
unknown code answers 404 with the same page for any code, and only an exact code matches.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suppliers.models import Certification, CertificationLevel, SupplierDocument
from suppliers.services import certifications_expiry_sweep, supplier_reject
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

# What differs per request anyway: the CSRF token, the CSP nonce and the language switch's
# return address (base.html), which is the requested URL.
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce="|name="next" type="hidden" value=")[^"]+')


@pytest.fixture
def certified(belt, staff):
    return world.certified_supplier(belt, staff)


def _verdict(response) -> str:
    return re.search(r'data-verdict="([a-z_]+)"', response.content.decode()).group(1)


def test_a_current_certificate_is_genuine_and_current_with_company_level_dates_and_belt(client, certified):
    certification = certified.current_certification

    response = client.get(f"/verify/{certification.code}/")

    assert response.status_code == 200
    assert _verdict(response) == "current"
    html = response.content.decode()
    assert "alert-success" in html and "Genuine and current" in html
    assert certified.name_en in html and certified.name_zh in html
    assert "Certified origin manufacturer" in html
    assert f"{certification.valid_from:%Y-%m-%d}" in html and f"{certification.valid_until:%Y-%m-%d}" in html
    assert "Wuhan laser belt" in html
    assert f'href="/suppliers/{certified.slug}/"' in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_an_expired_certificate_says_until_when_it_was_valid(client, certified):
    certification = certified.current_certification
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certification.objects.filter(pk=certification.pk).update(
        valid_from=yesterday - datetime.timedelta(days=365), valid_until=yesterday
    )

    response = client.get(f"/verify/{certification.code}/")

    assert response.status_code == 200
    assert _verdict(response) == "expired"
    html = response.content.decode()
    assert "Genuine, but no longer current" in html
    assert f"it was valid until {yesterday:%Y-%m-%d}" in html
    assert "alert-danger" in html  # the company holds no other current certificate
    assert "The company holds no current certificate" in html


def test_a_superseded_certificate_says_since_when_and_points_to_the_current_one(client, certified, staff):
    old = certified.current_certification
    certified = world.certify(certified, staff, CertificationLevel.AUDITED_FACTORY)
    new = certified.current_certification

    response = client.get(f"/verify/{old.code}/")

    assert _verdict(response) == "superseded"
    html = response.content.decode()
    assert "alert-warning" in html
    assert f"Replaced by a later certification on {timezone.localdate():%Y-%m-%d}" in html
    assert f'href="/verify/{new.code}/"' in html
    assert "Audited factory" in html
    assert _verdict(client.get(f"/verify/{new.code}/")) == "current"


def test_a_downgraded_certificate_names_the_lower_level(client, certified):
    certificate = certified.documents.get(kind=SupplierDocument.Kind.CERTIFICATE)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SupplierDocument.objects.filter(pk=certificate.pk).update(valid_until=yesterday)
    old = certified.current_certification
    assert certifications_expiry_sweep()["downgraded"] == 1

    response = client.get(f"/verify/{old.code}/")

    assert _verdict(response) == "downgraded"
    html = response.content.decode()
    assert f"Downgraded on {timezone.localdate():%Y-%m-%d}" in html
    assert "lowered to “Verified”" in html
    certified.refresh_from_db()
    assert f'href="/verify/{certified.current_certification.code}/"' in html


def test_a_withdrawn_certificate_is_red_and_the_profile_is_not_linked(client, certified, staff):
    code = certified.current_certification.code
    supplier_reject(supplier=certified, actor=staff, reason="Forged licence")

    response = client.get(f"/verify/{code}/")

    assert _verdict(response) == "revoked"
    html = response.content.decode()
    assert "alert-danger" in html and "Withdrawn by the platform on" in html
    assert "Forged licence" not in html  # the reason is for the company, not the public
    assert f'href="/suppliers/{certified.slug}/"' not in html


def test_an_unknown_code_is_404_with_the_same_page_for_any_code(client, certified):
    first = client.get("/verify/AAAAAAAAAAAAAAAA/")
    second = client.get("/verify/not-a-code-at-all/")

    assert first.status_code == second.status_code == 404
    assert _verdict(first) == "unknown"
    assert TOKENS.sub("", first.content.decode()) == TOKENS.sub("", second.content.decode())
    assert "not-a-code-at-all" not in TOKENS.sub("", second.content.decode())


def test_only_a_whole_code_matches_never_a_prefix_or_a_longer_one(client, certified):
    code = certified.current_certification.code
    for near in (code[:-1], code[:8], code + "X", code + "x"):
        assert client.get(f"/verify/{near}/").status_code == 404, near


def test_a_code_is_read_as_people_type_it_any_case_with_or_without_dashes(client, certified):
    certification = certified.current_certification
    shown = certification.code_display  # "7KD3-9XQ2-M4TB-0HZE"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", shown)
    for typed in (shown, shown.lower(), certification.code.lower(), shown.replace("-", " ")):
        response = client.get("/verify/", {"code": typed})
        page = client.get(response.url) if response.status_code == 302 else response
        assert _verdict(page) == "current", typed
    assert _verdict(client.get(f"/verify/{certification.code.lower()}/")) == "current"


def test_a_code_issued_before_the_readable_codes_still_matches_in_any_case(client, certified, staff):
    certification = certified.current_certification
    Certification.objects.filter(pk=certification.pk).update(code="aB3_x-Yz9Qk2Lm0P")
    assert _verdict(client.get("/verify/aB3_x-Yz9Qk2Lm0P/")) == "current"
    assert _verdict(client.get("/verify/ab3_x-yz9qk2lm0p/")) == "current"
    assert client.get("/verify/aB3_xYz9Qk2Lm0P/").status_code == 404  # its dash is part of it
    # Two old codes that differ only by case: each matches exactly, neither by a third spelling.
    other = world.certified_supplier(f.BeltFactory(), staff).current_certification
    Certification.objects.filter(pk=other.pk).update(code="AB3_X-YZ9QK2LM0P")
    assert _verdict(client.get("/verify/AB3_X-YZ9QK2LM0P/")) == "current"
    assert client.get("/verify/ab3_x-yz9qk2lm0p/").status_code == 404


def test_the_lookup_page_has_a_form_and_sends_a_typed_code_to_its_page(client, certified):
    code = certified.current_certification.code

    page = client.get("/verify/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode() and page["X-Robots-Tag"].startswith("noindex")

    assert client.get("/verify/", {"code": f"  {code} "}).url == f"/verify/{code}/"
    pasted = f"https://belts.example/verify/{code}/"
    assert client.get("/verify/", {"code": pasted}).url == f"/verify/{code}/"


def test_a_malformed_typed_code_gets_the_unknown_certificate_page(client, db):
    response = client.get("/verify/", {"code": "<script>x</script>"})
    assert response.status_code == 404
    assert _verdict(response) == "unknown"
    assert "<script>x" not in response.content.decode()


def test_the_result_page_has_the_form_to_check_another_code(client, certified):
    html = client.get(certified.current_certification.get_absolute_url()).content.decode()
    assert 'action="/verify/"' in html and 'name="code"' in html


def test_verify_page_query_count_is_fixed(client, certified, staff):
    current = certified.current_certification.code
    certified = world.certify(certified, staff, CertificationLevel.VERIFIED)
    superseded = current
    current = certified.current_certification.code

    counts = {}
    for name, code in (("current", current), ("superseded", superseded), ("unknown", "nope")):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/verify/{code}/")
        counts[name] = len(queries)

    assert counts == {"current": 1, "superseded": 2, "unknown": 1}
