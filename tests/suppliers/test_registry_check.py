"""The business-registry check of a verification run and the evidence it leaves: off by default,
and with a local server playing the registry, match, mismatch, not found, revoked and outage."""

import datetime
import socket

import pytest

from suppliers.models import CertificationLevel, EvidenceItem, VerificationCheck, VerificationRun
from suppliers.registry import RegistryUnavailable, registry_adapter
from suppliers.services import (
    production_site_add,
    supplier_application_submit,
    supplier_document_add,
    verification_rerun,
    verification_run_execute,
)
from suppliers.tasks import verification_run_execute_task
from tests import factories as f
from tests.suppliers import factories as world
from tests.suppliers.registry_server import Answer, RegistryServer, record

pytestmark = pytest.mark.django_db

NAMES = {"name_zh": "武汉光谷光电科技有限公司", "name_en": "Wuhan Guanggu Photonics Co., Ltd.",
         "legal_representative": "Chen Jie"}  # fmt: skip


@pytest.fixture
def registry(settings):
    with RegistryServer() as server:
        settings.SUPPLIER_REGISTRY = {
            "ADAPTER": "suppliers.registry.http.HttpRegistryAdapter",
            "OPTIONS": {"base_url": server.url(), "source": "Test registry", "timeout": 2,
                        "allow_networks": ["127.0.0.1/32"]},
        }  # fmt: skip
        yield server


def _registry_check(supplier) -> VerificationCheck:
    return VerificationCheck.objects.get(run__supplier=supplier, name=VerificationCheck.Name.REGISTRY)


def _apply(belt, registry, **answer_fields) -> tuple:
    """An application whose code the registry answers with `answer_fields` (None: not found)."""
    uscc = world.uscc_for(7000 + len(registry.answers))
    if answer_fields.get("status") != "missing":
        registry.answers[uscc] = record(uscc, **answer_fields)
    supplier, _member = world.application(belt, uscc=uscc, **NAMES)
    return supplier, _registry_check(supplier)


def test_off_by_default_no_lookup_no_row_and_no_registry_evidence(belt, staff, settings, monkeypatch):
    assert settings.SUPPLIER_REGISTRY == {}
    assert registry_adapter() is None

    def no_network(*args, **kwargs):
        raise AssertionError("no lookup may happen with the registry off")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    supplier = world.certified_supplier(belt, staff)

    names = set(VerificationCheck.objects.filter(run__supplier=supplier).values_list("name", flat=True))
    assert VerificationCheck.Name.REGISTRY not in names and VerificationCheck.Name.USCC in names
    kinds = set(supplier.current_certification.evidence.values_list("kind", flat=True))
    assert EvidenceItem.Kind.REGISTRY_RECORD not in kinds and EvidenceItem.Kind.CODE_CHECKSUM in kinds


def test_a_matching_record_passes_and_becomes_registry_evidence(belt, staff, registry):
    supplier, check = _apply(belt, registry)
    assert (check.outcome, check.detail_code) == ("pass", "registry_match")
    assert "Test registry" in check.message

    supplier = world.certify(supplier, staff, CertificationLevel.VERIFIED)

    piece = supplier.current_certification.evidence.get(kind=EvidenceItem.Kind.REGISTRY_RECORD)
    assert piece.get_kind_display() == "Business registry record"
    assert (piece.method_en, piece.method_zh) == ("Looked up in Test registry", "查询自 Test registry")
    assert piece.performed_at == datetime.datetime.fromisoformat(check.detail_params["fetched_at"])
    assert "武汉光谷光电科技有限公司" in piece.title_en


def test_names_match_whatever_the_width_of_brackets_and_spaces(belt, registry):
    _supplier, check = _apply(
        belt, registry, name="武汉光谷光电科技有限公司 ", name_en="WUHAN GUANGGU PHOTONICS CO LTD"
    )
    assert check.detail_code == "registry_match"


def test_another_name_under_the_code_fails_and_leaves_no_registry_evidence(belt, staff, registry):
    supplier, check = _apply(belt, registry, name="深圳某贸易有限公司", name_en="Shenzhen Some Trading Co., Ltd.")
    assert (check.outcome, check.detail_code) == ("fail", "registry_name_differs")
    assert "深圳某贸易有限公司" in check.message

    supplier = world.certify(supplier, staff, CertificationLevel.VERIFIED)
    assert not supplier.current_certification.evidence.filter(kind=EvidenceItem.Kind.REGISTRY_RECORD).exists()


def test_another_legal_representative_needs_a_look(belt, registry):
    _supplier, check = _apply(belt, registry, legal_representative="Wang Wei")
    assert (check.outcome, check.detail_code) == ("warn", "registry_representative_differs")
    assert "Wang Wei" in check.message


def test_a_code_the_registry_does_not_know_fails(belt, registry):
    _supplier, check = _apply(belt, registry, status="missing")
    assert (check.outcome, check.detail_code) == ("fail", "registry_not_found")


@pytest.mark.parametrize(("status", "code"), [("revoked", "registry_revoked"), ("cancelled", "registry_cancelled"),
                                              ("suspended", "registry_other_status")])  # fmt: skip
def test_a_company_not_in_business_fails(belt, staff, registry, status, code):
    supplier, check = _apply(belt, registry, status=status)
    assert (check.outcome, check.detail_code) == ("fail", code)
    supplier = world.certify(supplier, staff, CertificationLevel.VERIFIED)
    assert not supplier.current_certification.evidence.filter(kind=EvidenceItem.Kind.REGISTRY_RECORD).exists()


def test_a_refused_answer_needs_a_look_and_only_staff_read_why(belt, registry):
    uscc = world.uscc_for(7999)
    registry.answers[uscc] = Answer(status=302, headers={"Location": "http://169.254.169.254/"})
    supplier, _member = world.application(belt, uscc=uscc, **NAMES)
    check = _registry_check(supplier)
    assert (check.outcome, check.detail_code) == ("warn", "registry_refused")
    assert "redirect" in check.staff_note and "redirect" not in check.message


# --- outage ----------------------------------------------------------------------------------------


@pytest.fixture
def down(registry):
    """A registry that answers 503 to every code until a test brings it back."""
    registry.answers.clear()

    class Down(dict):
        def get(self, key, default=None):
            return Answer(status=503)

    registry.answers = Down()
    return registry


def _submitted(belt, django_capture_on_commit_callbacks):
    supplier = f.DraftApplicationFactory(belt=belt, province=belt.province, uscc=world.uscc_for(7500), **NAMES)
    member = f.SupplierMemberFactory(supplier=supplier).user
    production_site_add(supplier=supplier, name="Plant", address="1 Gaoxin Avenue", province=belt.province,
                              city="Wuhan", products="Lasers")  # fmt: skip
    supplier_document_add(supplier=supplier, kind="licence", upload=world.licence_upload())
    with django_capture_on_commit_callbacks(execute=False):
        supplier_application_submit(supplier=supplier, actor=member)
    return supplier


def test_an_outage_leaves_the_run_open_for_a_retry_and_the_retry_finishes_it(
    belt, down, django_capture_on_commit_callbacks
):
    supplier = _submitted(belt, django_capture_on_commit_callbacks)
    run = supplier.verification_runs.get()

    with pytest.raises(RegistryUnavailable):
        verification_run_execute(run_id=run.pk, retry_unavailable=True)

    run.refresh_from_db()
    assert run.status == VerificationRun.Status.RUNNING
    names = set(run.checks.values_list("name", flat=True))
    assert VerificationCheck.Name.REGISTRY not in names and VerificationCheck.Name.LICENCE in names

    uscc = supplier.uscc
    down.answers = {uscc: record(uscc)}
    verification_run_execute(run_id=run.pk, retry_unavailable=True)
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.DONE
    assert run.checks.get(name=VerificationCheck.Name.REGISTRY).detail_code == "registry_match"


def test_the_job_retries_an_outage_and_records_it_on_its_last_attempt(belt, down, django_capture_on_commit_callbacks):
    supplier = _submitted(belt, django_capture_on_commit_callbacks)
    run = supplier.verification_runs.get()
    calls = len(down.requests)

    verification_run_execute_task.apply(args=(run.pk,))  # eager: the retries run inline

    run.refresh_from_db()
    assert run.status == VerificationRun.Status.DONE
    check = run.checks.get(name=VerificationCheck.Name.REGISTRY)
    assert (check.outcome, check.detail_code) == ("warn", "registry_unavailable")
    assert "503" in check.staff_note
    assert len(down.requests) - calls == verification_run_execute_task.max_retries + 1


def test_a_rerun_by_staff_looks_the_code_up_again(belt, staff, down, django_capture_on_commit_callbacks):
    supplier = _submitted(belt, django_capture_on_commit_callbacks)
    verification_run_execute(run_id=supplier.verification_runs.get().pk)
    down.answers = {supplier.uscc: record(supplier.uscc)}
    with django_capture_on_commit_callbacks(execute=False):
        rerun = verification_rerun(supplier=supplier, actor=staff)
    verification_run_execute(run_id=rerun.pk)
    assert rerun.checks.get(name=VerificationCheck.Name.REGISTRY).detail_code == "registry_match"


# --- names shown to buyers ----------------------------------------------------------------------------


def test_the_check_character_evidence_is_not_called_a_registry_check_on_the_pages_or_the_api(client, belt, staff):
    supplier = world.certified_supplier(belt, staff)
    code = supplier.current_certification.code

    profile = client.get(supplier.get_absolute_url()).content.decode()
    certificate = client.get(f"/verify/{code}/").content.decode()
    api = client.get(f"/api/v1/suppliers/{supplier.slug}/certification/").json()["certificate"]

    assert "Credit code check character (format only)" in profile
    for page in (profile, certificate):
        assert "Registry check" not in page and "Business registry record" not in page
    kinds = [piece["kind"] for piece in api["evidence"]]
    assert "code_checksum" in kinds and "registry_check" not in kinds and "registry_record" not in kinds


def test_the_migration_moves_old_registry_check_rows_to_the_check_character_kind(belt, staff):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("suppliers.migrations.0008_registry_evidence")
    supplier = world.certified_supplier(belt, staff)
    evidence = supplier.current_certification.evidence
    evidence.filter(kind=EvidenceItem.Kind.CODE_CHECKSUM).update(kind="registry_check")

    migration.rename_kind("registry_check", "code_checksum")(apps, None)

    assert not evidence.filter(kind="registry_check").exists()
    assert evidence.filter(kind=EvidenceItem.Kind.CODE_CHECKSUM).count() == 1
