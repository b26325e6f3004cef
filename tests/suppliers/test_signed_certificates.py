"""Signed certificates: a certificate's file is signed with the platform's Ed25519 key, checked with
the published keys alone, and any changed byte, unknown key, expiry or revocation shows."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suppliers.models import Certification, CertificationLevel
from suppliers.signing import (
    CERTIFICATE_FORMAT,
    BadSignature,
    KeyRing,
    MalformedDocument,
    Verdict,
    b64url,
    document_bytes,
    parse_document,
    private_key_from_seed,
    private_key_pem,
    revocations_index,
    sign_document,
    verify_certificate,
)
from tests.suppliers import factories as world

TODAY = datetime.date(2027, 3, 1)
OLD_KEY = private_key_pem(private_key_from_seed(b"the 2026 key"))
NEW_KEY = private_key_pem(private_key_from_seed(b"the 2027 key"))


def _ring(*entries: dict) -> KeyRing:
    return KeyRing.from_config(list(entries))


def _payload(**changes) -> dict:
    payload = {
        "code": "7KD39XQ2M4TB0HZE",
        "level": "certified_origin",
        "status": "active",
        "valid_from": "2026-06-01",
        "valid_until": "2027-05-31",
        "supplier": {"slug": "guanggu", "name_en": "Wuhan Guanggu Photonics", "name_zh": "武汉光谷光电"},
        "sites": [{"name": "Optics Valley plant 1", "city": "Wuhan", "province": "CN-HB"}],
        "evidence": [{"kind": "document", "title_en": "Business licence", "performed_at": "2026-05-30"}],
    }
    return {**payload, **changes}


ACTIVE = {"kid": "2027-01", "active": True, "private_key": NEW_KEY}


def _verify(document, keys, **kwargs):
    return verify_certificate(document, keys=keys, today=kwargs.pop("today", TODAY), **kwargs)


# --- the signature, without the database -------------------------------------------------------------


def test_a_signed_certificate_verifies_with_the_published_keys_alone():
    keys = _ring(ACTIVE)
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys)
    published = KeyRing.from_published(json.loads(document_bytes(keys.published())))

    verification = _verify(parse_document(document_bytes(document), format=CERTIFICATE_FORMAT), published)

    assert verification.verdict == Verdict.VALID and verification.kid == "2027-01"
    assert verification.payload["supplier"]["name_zh"] == "武汉光谷光电"
    assert verification.revocations_checked is False


def test_every_single_changed_byte_of_the_file_fails():
    """The file is the canonical form, so no byte is insignificant: each change breaks the JSON,
    the format, the key id or the signature."""
    keys = _ring(ACTIVE)
    raw = document_bytes(sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys))
    for position in range(len(raw)):
        for flip in (0x01, 0x20):
            changed = bytearray(raw)
            changed[position] ^= flip
            try:
                verdict = _verify(parse_document(bytes(changed), format=CERTIFICATE_FORMAT), keys).verdict
            except MalformedDocument:
                continue
            assert verdict in (Verdict.BAD_SIGNATURE, Verdict.UNKNOWN_KEY), (position, bytes(changed[position:][:20]))


def test_a_changed_payload_value_or_signature_fails_as_a_bad_signature():
    keys = _ring(ACTIVE)
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys)
    raised = json.loads(json.dumps(document))
    raised["payload"]["level"] = "audited_factory"
    assert _verify(raised, keys).verdict == Verdict.BAD_SIGNATURE

    forged = json.loads(json.dumps(document))
    value = forged["signature"]["value"]
    forged["signature"]["value"] = ("B" if value[0] != "B" else "C") + value[1:]
    assert _verify(forged, keys).verdict == Verdict.BAD_SIGNATURE


def test_the_spare_bits_of_the_signatures_last_character_cannot_be_changed():
    keys = _ring(ACTIVE)
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys)
    value = document["signature"]["value"]  # 64 bytes: 86 characters, the last one carries 2 spare bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    same_bits = alphabet[alphabet.index(value[-1]) ^ 1]
    document["signature"]["value"] = value[:-1] + same_bits
    assert _verify(document, keys).verdict == Verdict.BAD_SIGNATURE


def test_a_certificate_signed_by_a_key_that_is_not_published_names_an_unknown_key():
    stranger = _ring({"kid": "2027-01", "active": True, "private_key": OLD_KEY})
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=stranger)
    assert _verify(document, _ring(ACTIVE)).verdict == Verdict.BAD_SIGNATURE  # same kid, another key

    document["signature"]["kid"] = "someone-else"
    assert _verify(document, _ring(ACTIVE)).verdict == Verdict.UNKNOWN_KEY


def test_after_a_rotation_the_retired_key_still_verifies_older_certificates():
    before = _ring({"kid": "2026-01", "active": True, "private_key": OLD_KEY})
    old_document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=before)
    retired_public = before.keys["2026-01"].public_b64()
    after = _ring(ACTIVE, {"kid": "2026-01", "active": False, "public_key": retired_public})
    new_document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(code="NEWCODE"), keys=after)
    published = KeyRing.from_published(after.published())

    assert [k["status"] for k in after.published()["keys"]] == ["active", "retired"]
    assert new_document["signature"]["kid"] == "2027-01"
    assert _verify(old_document, published).verdict == Verdict.VALID
    assert _verify(new_document, published).verdict == Verdict.VALID


def test_an_expired_or_not_yet_valid_certificate_says_so():
    keys = _ring(ACTIVE)
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys)
    assert _verify(document, keys, today=datetime.date(2027, 6, 1)).verdict == Verdict.EXPIRED
    assert _verify(document, keys, today=datetime.date(2026, 5, 1)).verdict == Verdict.NOT_YET_VALID
    assert _verify(document, keys, today=datetime.date(2027, 5, 31)).verdict == Verdict.VALID


def test_a_certificate_on_the_signed_revocation_list_is_revoked():
    keys = _ring(ACTIVE)
    document = sign_document(format=CERTIFICATE_FORMAT, payload=_payload(), keys=keys)
    entry = {"code": "7KD39XQ2M4TB0HZE", "status": "downgraded", "since": "2027-02-01"}
    revocations = sign_document(
        format="belt-marketplace-certificate-revocations/1",
        payload={"issued_at": "2027-03-01T00:00:00+00:00", "revoked": [entry]},
        keys=keys,
    )

    verification = _verify(document, keys, revoked=revocations_index(revocations, keys=keys))

    assert verification.verdict == Verdict.REVOKED and verification.revocation == entry


def test_a_revocation_list_that_is_not_signed_by_a_published_key_is_refused():
    keys = _ring(ACTIVE)
    revocations = sign_document(format="belt-marketplace-certificate-revocations/1", payload={"revoked": []}, keys=keys)
    revocations["payload"]["revoked"] = [{"code": "X", "status": "revoked"}]
    with pytest.raises(BadSignature):
        revocations_index(revocations, keys=keys)


@pytest.mark.parametrize(
    "document",
    [[], {"format": CERTIFICATE_FORMAT}, {"format": "other/1", "payload": {}, "signature": {}}, "x"],
)
def test_something_that_is_not_a_signed_certificate_is_malformed(document):
    with pytest.raises(MalformedDocument):
        _verify(document, _ring(ACTIVE))


def test_the_base64url_helper_has_no_padding():
    assert b64url(b"\xff\xff") == "__8"


# --- the published keys, the revocation list and a certificate's file, on the site ------------------


@pytest.fixture
def certified(belt, staff):
    return world.certified_supplier(belt, staff)


def _published_keys(client) -> KeyRing:
    response = client.get("/.well-known/certificate-keys.json")
    assert response.status_code == 200
    return KeyRing.from_published(json.loads(response.content))


@pytest.mark.django_db
def test_the_keys_are_published_cacheable_and_public(client):
    response = client.get("/.well-known/certificate-keys.json")
    keys = json.loads(response.content)["keys"]
    assert [(k["kid"], k["kty"], k["crv"], k["alg"], k["status"]) for k in keys] == [
        ("test-1", "OKP", "Ed25519", "Ed25519", "active")
    ]
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_certificate_file_is_signed_and_states_the_company_level_sites_evidence_and_validity(client, certified):
    certification = certified.current_certification
    response = client.get(f"/verify/{certification.code}/certificate.json")
    assert response.status_code == 200
    assert f"certificate-{certification.code}.json" in response["Content-Disposition"]

    verification = verify_certificate(
        parse_document(response.content, format=CERTIFICATE_FORMAT),
        keys=_published_keys(client),
        today=timezone.localdate(),
    )

    assert verification.verdict == Verdict.VALID
    payload = verification.payload
    assert payload["code"] == certification.code and payload["level"] == CertificationLevel.CERTIFIED_ORIGIN
    assert payload["supplier"]["name_en"] == certified.name_en and payload["supplier"]["name_zh"] == certified.name_zh
    assert payload["valid_until"] == certification.valid_until.isoformat()
    assert payload["sites"] == [{"name": "Optics Valley plant 1", "city": "Wuhan", "province": certified.belt.province}]
    assert {piece["kind"] for piece in payload["evidence"]} >= {"document"}
    assert payload["verify_url"] == f"http://testserver/verify/{certification.code}/"


def test_the_certificate_file_costs_three_queries(client, certified):
    code = certified.current_certification.code
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/verify/{code}/certificate.json").status_code == 200
    assert len(queries) == 3  # the certificate with company and belt, its verified sites, its evidence


def test_no_certificate_file_for_an_unknown_or_ended_certificate(client, certified, staff):
    old = certified.current_certification.code
    world.certify(certified, staff, CertificationLevel.VERIFIED)
    assert client.get(f"/verify/{old}/certificate.json").status_code == 404
    assert client.get("/verify/AAAAAAAAAAAAAAAA/certificate.json").status_code == 404


def test_an_ended_certificate_is_on_the_signed_revocation_list_with_its_status_and_day(client, certified, staff):
    old = certified.current_certification
    file = client.get(f"/verify/{old.code}/certificate.json").content  # downloaded while current
    world.certify(certified, staff, CertificationLevel.VERIFIED)

    response = client.get("/.well-known/certificate-revocations.json")
    keys = _published_keys(client)
    revoked = revocations_index(json.loads(response.content), keys=keys)

    assert revoked[old.code] == {"code": old.code, "status": "superseded", "since": timezone.localdate().isoformat()}
    assert certified.current_certification.code not in revoked
    assert "max-age=300" in response["Cache-Control"]
    verification = verify_certificate(
        parse_document(file, format=CERTIFICATE_FORMAT), keys=keys, today=timezone.localdate(), revoked=revoked
    )
    assert verification.verdict == Verdict.REVOKED


def test_the_revocation_list_costs_two_queries_however_many_certificates_ended(client, certified, staff):
    for level in (CertificationLevel.VERIFIED, CertificationLevel.CERTIFIED_ORIGIN, CertificationLevel.VERIFIED):
        world.certify(certified, staff, level)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/.well-known/certificate-revocations.json")
    assert len(json.loads(response.content)["payload"]["revoked"]) == 3
    assert len(queries) == 2


def test_the_certificate_page_offers_the_signed_file_and_a_qr_code_of_itself(client, certified):
    code = certified.current_certification.code
    html = client.get(f"/verify/{code}/").content.decode()
    assert f'href="/verify/{code}/certificate.json"' in html
    assert 'data-testid="certificate-qr"' in html and 'src="data:image/svg+xml' in html


def test_an_expired_certificates_page_has_the_file_but_no_qr_code(client, certified):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certification.objects.filter(pk=certified.current_certification.pk).update(
        valid_from=yesterday - datetime.timedelta(days=365), valid_until=yesterday
    )
    html = client.get(f"/verify/{certified.current_certification.code}/").content.decode()
    assert 'data-testid="signed-download"' in html
    assert 'data-testid="certificate-qr"' not in html


def test_the_public_profile_shows_the_qr_code_of_the_current_certificate(client, certified):
    html = client.get(certified.get_absolute_url()).content.decode()
    assert 'data-testid="certificate-qr"' in html and 'src="data:image/svg+xml' in html


def test_the_signed_file_verifies_after_the_json_is_pretty_printed_but_not_after_a_value_changes(client, certified):
    response = client.get(f"/verify/{certified.current_certification.code}/certificate.json")
    document = json.loads(response.content)
    keys = _published_keys(client)
    pretty = json.dumps(document, indent=2)
    assert verify_certificate(json.loads(pretty), keys=keys, today=timezone.localdate()).valid
    document["payload"]["valid_until"] = "2099-12-31"
    assert verify_certificate(document, keys=keys, today=timezone.localdate()).verdict == Verdict.BAD_SIGNATURE
