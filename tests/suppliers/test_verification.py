"""The automatic checks of an application, and the run that records them (idempotent, resumable)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from suppliers.models import Supplier, SupplierDocument, SupplierEvent, VerificationCheck, VerificationRun
from suppliers.services import (
    production_site_add,
    supplier_application_submit,
    supplier_document_add,
    verification_run_execute,
)
from suppliers.verification import (
    check_certificates,
    check_duplicates,
    check_licence,
    check_message,
    check_photos,
    check_region,
    check_uscc,
)
from tests import factories as f

PASS, WARN, FAIL = "pass", "warn", "fail"
# With no business registry configured (the default), its check does not run.
CHECKS_WITHOUT_REGISTRY = sorted(set(VerificationCheck.Name.values) - {VerificationCheck.Name.REGISTRY})


@pytest.fixture
def application(belt):
    return f.DraftApplicationFactory(belt=belt, province="CN-HB")


def add_site(application, **fields):
    values = {"name": "Main plant", "address": "1 Optics Valley Road", "province": "CN-HB", "city": "Wuhan",
              "products": "Laser cutters", **fields}  # fmt: skip
    return production_site_add(supplier=application, **values)


def add_certificate(application, *, valid_until, standard="iso_9001", number="CN-9001-1"):
    return supplier_document_add(
        supplier=application, kind="certificate", upload=f.image_upload(size=(800, 600)), standard=standard,
        number=number, issuer="CQC", valid_from=datetime.date(2024, 1, 1), valid_until=valid_until,
    )  # fmt: skip


# --- USCC ------------------------------------------------------------------------------------


def test_uscc_with_correct_check_character_passes(application):
    assert check_uscc(application)[0] == PASS


def test_uscc_with_wrong_check_character_fails_and_says_so(application):
    good = application.uscc
    application.uscc = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert check_uscc(application)[:2] == (FAIL, "uscc_checksum")


def test_uscc_missing_or_malformed_fails(application):
    application.uscc = ""
    assert check_uscc(application)[:2] == (FAIL, "uscc_missing")
    application.uscc = "12345"
    assert check_uscc(application)[:2] == (FAIL, "uscc_format")


# --- licence ---------------------------------------------------------------------------------


def test_missing_licence_fails(application):
    assert check_licence(application)[:2] == (FAIL, "licence_missing")


def test_readable_licence_scan_passes(application):
    supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    assert check_licence(application)[:2] == (PASS, "licence_ok")


def test_tiny_licence_picture_is_flagged(application):
    supplier_document_add(supplier=application, kind="licence", upload=f.image_upload(size=(60, 40)))
    assert check_licence(application)[0] == WARN


def test_licence_pdf_passes(application):
    supplier_document_add(supplier=application, kind="licence", upload=f.pdf_upload())
    assert check_licence(application)[:2] == (PASS, "licence_ok")


# --- certificates ------------------------------------------------------------------------------


def test_no_certificates_is_fine(application):
    assert check_certificates(application)[:2] == (PASS, "certificates_none")


def test_expired_certificate_fails_and_names_it(application):
    add_certificate(application, valid_until=timezone.localdate() - datetime.timedelta(days=1), number="OLD-1")
    outcome, code, params = check_certificates(application)
    assert (outcome, code) == (FAIL, "certificates_expired")
    assert "OLD-1" in params["names"]


def test_certificate_expiring_within_30_days_warns(application):
    add_certificate(application, valid_until=timezone.localdate() + datetime.timedelta(days=10))
    assert check_certificates(application)[:2] == (WARN, "certificates_expiring")


def test_current_certificates_pass(application):
    add_certificate(application, valid_until=timezone.localdate() + datetime.timedelta(days=400))
    assert check_certificates(application)[:2] == (PASS, "certificates_current")


# --- region ------------------------------------------------------------------------------------


def test_sites_inside_the_belt_province_pass(application):
    add_site(application)
    assert check_region(application)[:2] == (PASS, "region_inside")


def test_sites_all_outside_the_belt_region_fail_and_are_named(application):
    add_site(application, name="Dongguan workshop", province="CN-GD", city="Dongguan")
    outcome, code, params = check_region(application)
    assert (outcome, code) == (FAIL, "region_outside")
    assert ["Dongguan workshop", "CN-GD"] in params["sites"]


def test_a_site_outside_beside_one_inside_needs_a_look_and_is_named(application):
    # Origin is per site: the factory inside can give the mark, the workshop outside cannot.
    add_site(application)
    add_site(application, name="Dongguan workshop", province="CN-GD", city="Dongguan")
    outcome, code, params = check_region(application)
    assert (outcome, code) == (WARN, "region_some_outside")
    assert ["Dongguan workshop", "CN-GD"] in params["sites"]


def test_region_messages_name_places_in_the_readers_language(application):
    add_site(application)
    add_site(application, name="Dongguan workshop", province="CN-GD", city="Dongguan")
    _outcome, code, params = check_region(application)  # run by the worker, in no one's language
    with translation.override("en"):
        assert check_message(code, params).startswith(
            "Not inside Hubei, the belt's region: Dongguan workshop (Guangdong)"
        )
    with translation.override("zh-hans"):
        message = check_message(code, params)
    assert "湖北省" in message and "Dongguan workshop (广东省)" in message
    assert "Hubei" not in message


def test_region_messages_stored_before_codes_still_read_in_the_readers_language():
    params = {"province": "Hubei", "sites": "Dongguan workshop (Guangdong)"}  # an older record
    with translation.override("zh-hans"):
        assert "湖北省" in check_message("region_some_outside", params)


def test_no_site_fails(application):
    assert check_region(application)[:2] == (FAIL, "region_no_site")


def test_registered_elsewhere_warns(application):
    add_site(application)
    application.province = "CN-GD"
    assert check_region(application)[:2] == (WARN, "region_registered_elsewhere")


# --- duplicates ----------------------------------------------------------------------------------


def test_same_uscc_as_another_supplier_fails(application, belt):
    # The unique constraint stops a second row with the code; the check runs on the typed value.
    original = f.SupplierFactory(belt=belt, uscc=f.valid_uscc(99_999), name_en="Original Photonics Co., Ltd.")
    application.uscc = original.uscc
    outcome, code, params = check_duplicates(application)
    assert (outcome, code) == (FAIL, "duplicates_uscc")
    assert "Original Photonics" in params["names"]


def test_near_same_name_warns(application, belt):
    application.name_en = "Wuhan Guanggu Photonics Co., Ltd."
    f.SupplierFactory(belt=belt, name_en="Wuhan Guangu Photonics Co., Ltd", name_zh="别的公司")
    outcome, code, params = check_duplicates(application)
    assert (outcome, code) == (WARN, "duplicates_similar")
    assert "Guangu" in params["names"]


def test_same_phone_warns(application, belt):
    f.SupplierFactory(
        belt=belt, name_en="Completely Different Textiles", name_zh="纺织", phone=application.contact_phone
    )
    assert check_duplicates(application)[:2] == (WARN, "duplicates_similar")


def test_a_unique_company_passes(application, belt):
    f.SupplierFactory(belt=belt, name_en="Shishi Ocean Knitting", name_zh="石狮海洋针织")
    assert check_duplicates(application)[:2] == (PASS, "duplicates_none")


# --- photos ----------------------------------------------------------------------------------


def test_real_factory_photos_pass(application):
    supplier_document_add(supplier=application, kind="factory_photo", upload=f.image_upload(size=(800, 600)))
    assert check_photos(application)[:2] == (PASS, "photos_ok")


def test_no_photos_warns(application):
    assert check_photos(application)[:2] == (WARN, "photos_none")


def test_a_pdf_as_factory_photo_fails(application):
    supplier_document_add(supplier=application, kind="factory_photo", upload=f.pdf_upload())
    assert check_photos(application)[:2] == (FAIL, "photos_bad")


# --- the run -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(application, supplier_member_of, django_capture_on_commit_callbacks):
    supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    add_site(application)
    with django_capture_on_commit_callbacks(execute=False):
        supplier_application_submit(supplier=application, actor=supplier_member_of(application))
    return Supplier.objects.get(pk=application.pk)


@pytest.fixture
def supplier_member_of(db):
    return lambda supplier: f.SupplierMemberFactory(supplier=supplier).user


def test_a_run_records_every_check_once_and_closes_with_a_summary_event(submitted):
    run = submitted.verification_runs.get()
    verification_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == VerificationRun.Status.DONE and run.finished_at
    names = list(run.checks.values_list("name", flat=True))
    assert sorted(names) == CHECKS_WITHOUT_REGISTRY
    event = SupplierEvent.objects.get(supplier=submitted, kind=SupplierEvent.Kind.VERIFIED)
    assert event.data["run"] == run.pk
    assert event.data["pass"] + event.data["warn"] + event.data["fail"] == len(names)


def test_running_the_same_job_twice_adds_nothing(submitted):
    run = submitted.verification_runs.get()
    verification_run_execute(run_id=run.pk)
    verification_run_execute(run_id=run.pk)
    assert run.checks.count() == len(CHECKS_WITHOUT_REGISTRY)
    assert SupplierEvent.objects.filter(supplier=submitted, kind=SupplierEvent.Kind.VERIFIED).count() == 1


def test_a_run_cut_short_resumes_where_it_stopped(submitted):
    """A worker that died after two checks: the re-delivered job does the rest, once each."""
    run = submitted.verification_runs.get()
    now = timezone.now()
    VerificationRun.objects.filter(pk=run.pk).update(status=VerificationRun.Status.RUNNING, started_at=now)
    for name in ("uscc", "licence"):
        VerificationCheck.objects.create(
            run=run, name=name, outcome="pass", detail_code="uscc_valid", started_at=now, finished_at=now
        )
    verification_run_execute(run_id=run.pk)
    assert run.checks.count() == len(CHECKS_WITHOUT_REGISTRY)
    assert run.checks.filter(name="uscc").count() == 1


def test_the_database_refuses_a_second_row_for_the_same_check(submitted):
    run = submitted.verification_runs.get()
    now = timezone.now()
    VerificationCheck.objects.create(
        run=run, name="uscc", outcome="pass", detail_code="x", started_at=now, finished_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationCheck.objects.create(
            run=run, name="uscc", outcome="fail", detail_code="x", started_at=now, finished_at=now
        )


def test_a_check_that_crashes_is_recorded_as_needing_a_look_and_the_application_is_kept(submitted, monkeypatch):
    from suppliers import verification

    def broken(supplier):
        raise RuntimeError("registry down")

    monkeypatch.setattr(verification, "CHECKS", [("uscc", broken), *verification.CHECKS[1:]])
    run = submitted.verification_runs.get()
    verification_run_execute(run_id=run.pk)
    check = run.checks.get(name="uscc")
    assert (check.outcome, check.detail_code) == ("warn", "check_error")
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.UNDER_VERIFICATION


def test_check_messages_are_in_the_readers_language(submitted):
    run = submitted.verification_runs.get()
    verification_run_execute(run_id=run.pk)
    check = run.checks.get(name="licence")
    with translation.override("en"):
        english = check.message
    with translation.override("zh-hans"):
        chinese = check.message
    assert english and chinese and english != chinese


def test_documents_are_stored_under_server_made_names(application):
    document = supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    assert "licence" not in document.file.name.rsplit("/", 1)[-1]
    assert document.sha256 and document.size > 0 and document.content_type == "image/png"
    assert SupplierDocument.objects.filter(supplier=application).count() == 1
