"""The public supplier profile: level, dates, business type, production sites and the evidence,
piece by piece, behind the badge. Documents themselves are never shown or linked."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suppliers.models import CertificationLevel, SupplierDocument
from suppliers.services import supplier_reject
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db


def _html(client, supplier, **headers) -> str:
    response = client.get(supplier.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_profile_shows_level_since_until_business_type_and_the_verify_link(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    certification = supplier.current_certification

    html = _html(client, supplier)

    assert "Certified origin manufacturer" in html
    assert f">{timezone.localtime(supplier.certified_at):%Y-%m-%d}<" in html
    assert f">{supplier.certified_until:%Y-%m-%d}<" in html
    assert "Manufacturer" in html
    assert f'href="/verify/{certification.code}/"' in html


def test_profile_lists_sites_and_marks_only_verified_ones_inside_the_belts_region(client, belt, staff):
    supplier = world.certified_supplier(belt, staff, sites=2, outside_sites=1)

    html = _html(client, supplier)

    assert html.count('data-testid="site"') == 3
    assert html.count('data-testid="site-in-region"') == 2  # the Shenzhen office is outside Hubei
    assert "Shenzhen sales office 1" in html
    assert "Fibre laser cutting machines" in html
    assert "Verified site in the belt's region (Hubei" in html


def test_a_verified_level_company_has_no_site_marked_as_verified_origin(client, belt, staff):
    supplier = world.certified_supplier(belt, staff, CertificationLevel.VERIFIED)
    html = _html(client, supplier)
    assert 'data-testid="site"' in html
    assert 'data-testid="site-in-region"' not in html


def test_profile_shows_each_evidence_piece_with_method_who_when_and_until(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    certificate = supplier.documents.get(kind=SupplierDocument.Kind.CERTIFICATE)

    html = _html(client, supplier)

    pieces = re.findall(r'<tr data-testid="evidence-piece">(.*?)</tr>', html, flags=re.S)
    # The credit code's check character, licence, ISO 9001, manufacturing confirmed, the site in the region.
    assert len(pieces) == 5
    text = " ".join(pieces)
    assert "Credit code check character (format only)" in text
    assert "Unified social credit code: format and check character" in text
    assert "Registry check" not in text and "registry record" not in text.lower()
    assert "Business licence" in text and "Document examined by certification staff" in text
    assert f"ISO 9001 {certificate.number}" in text
    assert staff.get_full_name() in text
    assert f"{certificate.valid_until:%Y-%m-%d}" in text


def test_audited_factory_shows_checklist_version_and_every_points_outcome(client, belt, staff):
    supplier, _member = world.application(belt)
    supplier = world.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY, checklist=world.laser_checklist(3))

    html = _html(client, supplier)

    assert "Laser equipment checklist, version 3" in html
    points = re.findall(r'<tr data-testid="audit-point">(.*?)</tr>', html, flags=re.S)
    assert len(points) == len(world.LASER_POINTS)
    assert sum("Not met" in point for point in points) == 1
    assert sum(">Met<" in point for point in points) == 2
    assert "Interlock on bay 3 bypassed" in html
    assert "Site visit" in html  # the on-site audit is a piece of evidence too


def test_profile_never_shows_or_links_documents_or_the_audit_report(client, belt, staff):
    supplier, _member = world.application(belt)
    supplier = world.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY)

    html = _html(client, supplier)

    assert "/media/suppliers/" not in html
    assert "/documents/" not in html and "audit-report" not in html
    for document in supplier.documents.all():
        assert document.file.name.rsplit("/", 1)[-1] not in html
    assert supplier.current_certification.audit_report.name.rsplit("/", 1)[-1] not in html


def test_profile_in_chinese_shows_the_chinese_evidence_titles(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    html = _html(client, supplier, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "营业执照" in html and "统一社会信用代码：格式及校验位" in html


def test_a_certified_supplier_without_a_certification_record_still_renders(client, supplier):
    # Suppliers certified before certifications were recorded have a level but no evidence yet.
    html = _html(client, supplier)
    assert "No certificate on record." in html


@pytest.mark.parametrize("who", ["applicant", "rejected"])
def test_applicants_and_rejected_companies_have_no_public_profile(client, belt, staff, who):
    if who == "applicant":
        supplier, _member = world.application(belt)
    else:
        supplier = world.certified_supplier(belt, staff)
        supplier_reject(supplier=supplier, actor=staff, reason="The licence was forged")
    assert client.get(f"/suppliers/{supplier.slug}/").status_code == 404


def test_profile_query_count_does_not_grow_with_sites_evidence_or_audit_points(client, belt, staff, category):
    small = world.certified_supplier(belt, staff, sites=1)
    large, _member = world.application(belt, sites=4, outside_sites=2)
    large = world.certify(large, staff, CertificationLevel.AUDITED_FACTORY)
    for supplier in (small, large):
        f.ListingFactory(supplier=supplier, category=category)

    counts = []
    for supplier in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(supplier.get_absolute_url()).status_code == 200
        counts.append(len(queries))

    # the page versions with its belt (marketplace.pagecache); supplier with belt and certification,
    # sites, evidence, audit points; listings: count, page, images; the day's exchange rates
    # (catalog.prices: the cards' approximate prices); the regional-brand licences in force
    assert counts == [10, 10]
