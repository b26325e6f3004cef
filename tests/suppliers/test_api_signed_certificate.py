"""POST /api/v1/certificates/verify/: the verdict on a signed certificate, from the published keys
and revocation list; a body that is not a signed certificate answers 400 with what is wrong."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suppliers.models import Certification, CertificationLevel
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates/verify/"


@pytest.fixture
def certified(belt, staff):
    return world.certified_supplier(belt, staff)


@pytest.fixture
def signed(client, certified) -> dict:
    return json.loads(client.get(f"/verify/{certified.current_certification.code}/certificate.json").content)


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_a_genuine_current_certificate_is_valid(client, certified, signed):
    response = _post(client, signed)
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True and data["verdict"] == "valid" and data["kid"] == "test-1"
    assert data["certificate"]["code"] == certified.current_certification.code
    assert data["revocation"] is None
    assert data["message"].startswith("Genuine")


def test_a_tampered_certificate_has_a_bad_signature(client, signed):
    signed["payload"]["level"] = CertificationLevel.AUDITED_FACTORY
    data = _post(client, signed).json()
    assert data == {**data, "valid": False, "verdict": "bad_signature", "certificate": None}


def test_an_unknown_key_is_named(client, signed):
    signed["signature"]["kid"] = "not-ours"
    assert _post(client, signed).json()["verdict"] == "unknown_key"


def test_a_superseded_certificate_is_revoked_from_the_revocation_list(client, certified, signed, staff):
    world.certify(certified, staff, CertificationLevel.VERIFIED)
    data = _post(client, signed).json()
    assert data["verdict"] == "revoked"
    assert data["revocation"]["status"] == "superseded"


def test_an_expired_certificate_is_expired(client, certified, staff):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certification.objects.filter(pk=certified.current_certification.pk).update(
        valid_from=yesterday - datetime.timedelta(days=365), valid_until=yesterday
    )
    signed = json.loads(client.get(f"/verify/{certified.current_certification.code}/certificate.json").content)
    data = _post(client, signed).json()
    assert data["verdict"] == "expired" and yesterday.isoformat() in data["message"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"format": "belt-marketplace-certificate/1"},
        {"format": "something-else/1", "payload": {}, "signature": {"alg": "Ed25519", "kid": "x", "value": ""}},
        {"format": "belt-marketplace-certificate/1", "payload": {}, "signature": {"alg": "RS256", "kid": "x"}},
        [1, 2, 3],
    ],
)
def test_a_body_that_is_not_a_signed_certificate_is_400_with_a_message(client, db, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("This is not a signed certificate:")


def test_invalid_json_is_400(client, db):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_the_answer_is_in_the_language_of_the_request(client, signed):
    signed["payload"]["level"] = "verified"
    response = client.post(URL, json.dumps(signed), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "签名不符" in response.json()["message"]


def test_only_the_revocation_list_reads_the_database_two_queries_at_most(client, certified, signed, staff):
    world.certify(certified, staff, CertificationLevel.VERIFIED)  # one ended certificate, so both queries run
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, signed).status_code == 200
    # the ended certificates; the decisions that ended them. The signature needs no table.
    assert [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries] == [
        '"suppliers_certification"',
        '"suppliers_supplierevent"',
    ]


def test_only_post_is_allowed(client, db):
    assert client.get(URL).status_code == 405


def test_the_endpoint_is_in_the_schema_with_its_request_and_verdicts(client, db):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/certificates/verify/"]["post"]
    assert operation["operationId"] == "signed_certificate_verify"
    # Its verdicts, and the errors any operation without sign-in may answer (marketplace.schema).
    assert set(operation["responses"]) == {"200", "400", "415", "429"}
    verdict = schema["components"]["schemas"]["SignedCertificateVerdict"]["properties"]["verdict"]
    assert "$ref" in verdict or "enum" in verdict


def test_it_is_throttled_like_the_other_public_endpoints(client, signed, monkeypatch):
    """It keeps the project's throttles (the test settings turn them off, so they are put back here):
    with no authentication at all, every caller is counted by address as anonymous."""
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    from suppliers.api import SignedCertificateVerifyApi

    assert "throttle_classes" not in SignedCertificateVerifyApi.__dict__  # the defaults of settings apply
    monkeypatch.setattr(SignedCertificateVerifyApi, "throttle_classes", [AnonRateThrottle])
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()

    assert [_post(client, signed).status_code for _ in range(3)] == [200, 200, 429]
