"""`manage.py verify_certificate`: a signed certificate checked with the published files alone, in a
process whose database cannot be reached; on the demo world, the certified supplier's certificate
verifies with the published key alone and fails after one byte of it is changed."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from suppliers.models import CertificationLevel, Supplier

pytestmark = pytest.mark.django_db
NO_DATABASE = "postgres://nobody@127.0.0.1:1/no_such_database"  # nothing listens on port 1


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo world, seeded once for the module and rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def published(demo_world, tmp_path) -> dict[str, Path]:
    """What a buyer saves from the site: the certified supplier's certificate, the keys, the revocation list."""
    supplier = Supplier.objects.select_related("current_certification").get(slug="wuhan-guanggu-photonics")
    assert supplier.certification_level == CertificationLevel.AUDITED_FACTORY
    client = Client()
    files = {
        "certificate": f"/verify/{supplier.current_certification.code}/certificate.json",
        "keys": "/.well-known/certificate-keys.json",
        "revocations": "/.well-known/certificate-revocations.json",
    }
    paths = {}
    for name, url in files.items():
        response = client.get(url)
        assert response.status_code == 200, url
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_bytes(response.content)
    return paths


def _verify_offline(*args: Path | str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process whose DATABASE_URL points nowhere: any query would fail."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "DATABASE_URL": NO_DATABASE}
    return subprocess.run(
        [sys.executable, "manage.py", "verify_certificate", *map(str, args)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_certificate_verifies_with_the_published_key_alone_without_a_database(published):
    result = _verify_offline(published["certificate"], "--keys", published["keys"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: Genuine")
    assert "Wuhan Guanggu Photonics" in result.stdout and "level: audited_factory" in result.stdout
    assert "revocations: not checked" in result.stdout


def test_the_demo_certificate_fails_after_one_byte_is_changed(published):
    raw = bytearray(published["certificate"].read_bytes())
    position = raw.index(b'"valid_until":"') + len(b'"valid_until":"') + 3  # the last digit of the year
    raw[position] = ord("9") if raw[position] != ord("9") else ord("8")
    published["certificate"].write_bytes(bytes(raw))

    result = _verify_offline(published["certificate"], "--keys", published["keys"])

    assert result.returncode == 1
    assert result.stdout.startswith("bad_signature: Not genuine")


def test_with_the_revocation_list_a_current_certificate_is_still_valid(published):
    result = _verify_offline(
        published["certificate"], "--keys", published["keys"], "--revocations", published["revocations"]
    )
    assert result.returncode == 0, result.stderr
    assert "revocations: not checked" not in result.stdout


def test_a_superseded_certificate_is_revoked_by_the_published_list(published, staff, tmp_path):
    from tests.suppliers import factories as world

    supplier = Supplier.objects.get(slug="wuhan-guanggu-photonics")
    world.certify(supplier, staff, CertificationLevel.VERIFIED)
    (tmp_path / "revocations.json").write_bytes(Client().get("/.well-known/certificate-revocations.json").content)

    result = _verify_offline(
        published["certificate"], "--keys", published["keys"], "--revocations", tmp_path / "revocations.json"
    )

    assert result.returncode == 1
    assert result.stdout.startswith("revoked:") and "superseded" in result.stdout


def test_an_expired_certificate_says_expired(published):
    result = _verify_offline(published["certificate"], "--keys", published["keys"], "--on", "2099-01-01")
    assert result.returncode == 1
    assert result.stdout.startswith("expired:")


def test_a_certificate_whose_key_is_not_in_the_key_set_names_an_unknown_key(published, tmp_path):
    keys = tmp_path / "other-keys.json"
    keys.write_text('{"keys": []}')
    result = _verify_offline(published["certificate"], "--keys", keys)
    assert result.returncode == 1
    assert result.stdout.startswith("unknown_key:")


def test_a_forged_revocation_list_is_refused(published):
    revocations = json.loads(published["revocations"].read_text())
    revocations["payload"]["revoked"].append({"code": "X", "status": "revoked", "since": None})
    published["revocations"].write_text(json.dumps(revocations))
    result = _verify_offline(
        published["certificate"], "--keys", published["keys"], "--revocations", published["revocations"]
    )
    assert result.returncode == 2
    assert "cannot be trusted" in result.stderr


def test_a_file_that_is_not_a_certificate_is_an_error(published, tmp_path):
    (tmp_path / "junk.json").write_text("{not json")
    result = _verify_offline(tmp_path / "junk.json", "--keys", published["keys"])
    assert result.returncode == 2
    assert "not a signed certificate" in result.stderr


def test_in_process_the_command_runs_with_the_database_refused(published, monkeypatch):
    """The same check in this process, with every database connection refused."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self):
        raise AssertionError("verify_certificate touched the database")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    out = io.StringIO()
    call_command("verify_certificate", str(published["certificate"]), keys=str(published["keys"]), stdout=out)
    assert out.getvalue().startswith("valid:")


def test_certificate_key_new_prints_an_entry_the_settings_accept():
    from suppliers.signing import signing_keys_config

    out = io.StringIO()
    call_command("certificate_key_new", kid="2027-01", stdout=out)
    entry = json.loads(out.getvalue())
    assert signing_keys_config([entry])[0]["kid"] == "2027-01"
