"""Public certification API: a supplier's certification with its evidence, and the certificate check.

Anyone may read them (no sign-in); documents are never part of an answer, applicants answer 404,
and both appear in the OpenAPI schema.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suppliers.models import CertificationLevel
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db


def _certification(client, supplier):
    return client.get(f"/api/v1/suppliers/{supplier.slug}/certification/")


def test_certification_is_public_with_level_certificate_and_evidence_pieces(client, belt, staff):
    supplier = world.certified_supplier(belt, staff, sites=1, outside_sites=1)
    certification = supplier.current_certification

    response = _certification(client, supplier)

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == supplier.slug and body["business_type"] == "manufacturer"
    assert body["certification_level"] == "certified_origin"
    assert body["belt"] == "wuhan-laser"
    certificate = body["certificate"]
    assert certificate["code"] == certification.code
    assert certificate["is_current"] is True
    assert certificate["verify_url"] == f"/verify/{certification.code}/"
    assert sorted(piece["kind"] for piece in certificate["evidence"]) == [
        "code_checksum", "document", "document", "manufacturing", "site_in_region",
    ]  # fmt: skip
    [licence] = [piece for piece in certificate["evidence"] if piece["title_en"] == "Business licence"]
    assert (licence["title_en"], licence["title_zh"]) == ("Business licence", "营业执照")
    assert licence["performed_by"] == staff.get_full_name()
    assert certificate["audit"] is None
    assert [(s["province"], s["in_belt_region"]) for s in body["sites"]] == [("CN-HB", True), ("CN-GD", False)]


def test_audited_factory_answers_checklist_version_and_every_points_outcome(client, belt, staff):
    supplier, _member = world.application(belt)
    supplier = world.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY, checklist=world.laser_checklist(4))

    audit = _certification(client, supplier).json()["certificate"]["audit"]

    assert audit["checklist_version"] == 4
    assert audit["industry_en"] == "Laser equipment"
    assert [(p["code"], p["outcome"]) for p in audit["points"]] == [
        ("own-assembly", "pass"),
        ("laser-safety", "fail"),
        ("acceptance-test", "pass"),
    ]


def test_certification_never_carries_documents_or_files(client, belt, staff):
    supplier, _member = world.application(belt)
    supplier = world.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY)

    text = json.dumps(_certification(client, supplier).json())

    assert "/media/" not in text and "/documents/" not in text and "audit-report" not in text
    assert '"document"' not in text.replace('"kind": "document"', "")
    assert '"file"' not in text and '"audit_report"' not in text


def test_applicant_has_no_public_certification(client, belt):
    supplier, _member = world.application(belt)
    response = _certification(client, supplier)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_certification_query_count_does_not_grow_with_evidence(client, belt, staff):
    small = world.certified_supplier(belt, staff, sites=1)
    large, _member = world.application(belt, sites=4, outside_sites=2)
    large = world.certify(large, staff, CertificationLevel.AUDITED_FACTORY)
    counts = []
    for supplier in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert _certification(client, supplier).status_code == 200
        counts.append(len(queries))
    # the page versions with its belt (marketplace.pagecache); the supplier with its certification,
    # evidence, checklist outcomes, sites
    assert counts == [5, 5]


# --- GET /api/v1/verify/<code>/ -------------------------------------------------------------------


def test_verify_a_current_certificate(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    code = supplier.current_certification.code

    body = client.get(f"/api/v1/verify/{code}/").json()

    assert body["genuine"] is True and body["current"] is True and body["state"] == "current"
    assert body["certificate"]["code"] == code
    assert body["company"]["slug"] == supplier.slug and body["company"]["belt"] == "wuhan-laser"
    assert body["profile_url"] == f"/suppliers/{supplier.slug}/"
    assert body["company_current_certificate"] is None


def test_verify_a_superseded_certificate_points_to_the_current_one(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    old = supplier.current_certification.code
    supplier = world.certify(supplier, staff, CertificationLevel.VERIFIED)

    body = client.get(f"/api/v1/verify/{old}/").json()

    assert body["genuine"] is True and body["current"] is False and body["state"] == "superseded"
    assert body["since"] is not None and body["to_level"] == "verified"
    assert body["company_current_certificate"]["code"] == supplier.current_certification.code


def test_verify_unknown_or_partial_code_is_404(client, belt, staff):
    code = world.certified_supplier(belt, staff).current_certification.code
    for unknown in ("AAAAAAAAAAAAAAAA", code[:-1], code + "A"):
        response = client.get(f"/api/v1/verify/{unknown}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_verify_reads_a_code_as_typed_in_lower_case_with_its_dashes(client, belt, staff):
    certification = world.certified_supplier(belt, staff).current_certification
    response = client.get(f"/api/v1/verify/{certification.code_display.lower()}/")
    assert response.status_code == 200 and response.json()["certificate"]["code"] == certification.code


# --- OpenAPI ---------------------------------------------------------------------------------------


def test_the_trust_endpoints_are_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    paths = schema["paths"]
    for path, operation in (
        ("/api/v1/suppliers/{slug}/certification/", "supplier_certification"),
        ("/api/v1/verify/{code}/", "certificate_verify"),
        ("/api/v1/me/application/", "my_application"),
    ):
        assert paths[path]["get"]["operationId"] == operation
    components = schema["components"]["schemas"]
    assert {"SupplierCertification", "CertificationDetail", "EvidencePiece", "CertificateVerification"} <= set(
        components
    )
    assert {"MyApplication", "MyApplicationRun", "MyApplicationCheck"} <= set(components)
    certification = paths["/api/v1/suppliers/{slug}/certification/"]["get"]
    assert certification["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SupplierCertification"
    }
    assert "document" not in components["EvidencePiece"]["properties"]
