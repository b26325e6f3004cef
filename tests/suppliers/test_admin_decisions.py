"""Each certification decision end to end through the admin, as staff click it.

The action on the changelist leads to the decision's page (GET); its form is read back as a
browser would submit it and posted. The services do the work and write the audit record;
these tests check the rows they leave, with the staff user as the actor.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers.models import (
    AuditChecklist,
    AuditPointResult,
    Certification,
    CertificationLevel,
    EvidenceItem,
    Supplier,
    SupplierEvent,
    VerificationRun,
)
from suppliers.services import supplier_certify
from tests import factories as f
from tests.admin_forms import form_data
from tests.suppliers.test_admin import (
    CHANGELIST,
    PDF_BYTES,
    admin_client_fixture,  # noqa: F401 (fixture)
    applicant_fixture,  # noqa: F401 (fixture)
    change_url,
    document,
    laser_checklist,
    verification_run,
)

FORM = "decision_form"


def run_action(client, action: str, suppliers, **query):
    """Choose the action on the changelist: returns the redirect to its page (or the changelist)."""
    url = CHANGELIST + (f"?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else "")
    return client.post(url, {"action": action, "_selected_action": [s.pk for s in suppliers], "index": "0"})


def open_page(client, action: str, suppliers, **query):
    response = run_action(client, action, suppliers, **query)
    assert response.status_code == 302, response
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def applicants(belt):
    made = [
        f.ApplicantSupplierFactory(belt=belt, submitted_at=timezone.now(), uscc=f"9142010000000000{i}X")
        for i in range(2)
    ]
    for supplier in made:
        verification_run(supplier, uscc="pass", licence="pass")
        document(supplier)
    return made


def assert_untouched(supplier: Supplier) -> None:
    status, level = supplier.status, supplier.certification_level
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == (status, level)
    assert supplier.current_certification is None
    assert not SupplierEvent.objects.filter(supplier=supplier).exists()
    assert not Certification.objects.filter(supplier=supplier).exists()


# --- Certify as verified / certified origin manufacturer ------------------------------------------


def test_changelist_offers_every_decision(admin_client, applicants):
    html = admin_client.get(CHANGELIST).content.decode()
    for action in (
        "certify_verified", "certify_certified_origin", "certify_audited_factory", "reject", "request_info",
        "rerun_verification",
    ):  # fmt: skip
        assert f'value="{action}"' in html


def test_certify_as_verified_asks_for_date_and_reason_then_certifies_each_with_staff_as_actor(
    admin_client, staff, applicants, belt
):
    untouched = f.ApplicantSupplierFactory(belt=belt)
    url, page = open_page(admin_client, "certify_verified", applicants)

    assert url.startswith("/admin/suppliers/supplier/decide/certify/verified/")
    html = page.content.decode()
    assert all(s.name_en in html for s in applicants) and untouched.name_en not in html
    data = form_data(html, FORM)
    a_year_ahead = timezone.localdate() + datetime.timedelta(days=365)
    assert data["valid_until"] == a_year_ahead.isoformat()  # the default

    valid_until = timezone.localdate() + datetime.timedelta(days=200)
    data.update(valid_until=valid_until.isoformat(), reason="Licence and registry match")
    response = admin_client.post(url, data, follow=True)

    assert "2 suppliers certified as “Verified”." in messages_of(response)
    events = []
    for supplier in applicants:
        supplier.refresh_from_db()
        assert supplier.status == Supplier.Status.CERTIFIED
        assert supplier.certification_level == CertificationLevel.VERIFIED
        assert supplier.certified_until == valid_until
        certification = supplier.current_certification
        assert (certification.level, certification.valid_until) == ("verified", valid_until)
        assert (certification.decided_by, certification.reason) == (staff, "Licence and registry match")
        kinds = set(certification.evidence.values_list("kind", flat=True))
        assert kinds == {EvidenceItem.Kind.CODE_CHECKSUM, EvidenceItem.Kind.DOCUMENT}
        [event] = SupplierEvent.objects.filter(supplier=supplier)
        assert (event.kind, event.actor, event.reason) == (SupplierEvent.Kind.CERTIFIED, staff, certification.reason)
        assert (event.from_level, event.to_level) == ("none", "verified")
        events.append(event.pk)
    assert events == sorted(events)  # decided in pk order
    assert_untouched(untouched)


def test_certify_as_certified_origin_manufacturer_from_the_change_page_returns_there(admin_client, staff, applicant):
    verification_run(applicant, uscc="pass")
    page = admin_client.get(change_url(applicant)).content.decode()
    url = f"/admin/suppliers/supplier/decide/certify/certified_origin/?ids={applicant.pk}&_from=change"
    assert url.replace("&", "&amp;") in page

    data = form_data(admin_client.get(url).content.decode(), FORM)
    response = admin_client.post(url, {**data, "reason": "Factory visited by the Wuhan team", **f.ORIGIN})

    assert response.status_code == 302 and response["Location"] == change_url(applicant)
    applicant.refresh_from_db()
    assert applicant.certification_level == CertificationLevel.CERTIFIED_ORIGIN
    event = SupplierEvent.objects.get(supplier=applicant)
    assert (event.actor, event.to_level) == (staff, "certified_origin")


def test_certify_keeps_the_queue_filters_on_the_way_back(admin_client, applicants):
    url, page = open_page(admin_client, "certify_verified", applicants[:1], status="all")
    data = {**form_data(page.content.decode(), FORM), "reason": "ok"}
    response = admin_client.post(url, data)
    assert response["Location"] == f"{CHANGELIST}?status=all"


def test_the_same_certification_again_records_nothing_and_says_so(admin_client, staff, applicants):
    url, page = open_page(admin_client, "certify_verified", applicants[:1])
    data = {**form_data(page.content.decode(), FORM), "reason": "ok"}
    admin_client.post(url, data)

    response = admin_client.post(url, data, follow=True)

    assert "Nothing changed for 1 supplier: the same decision was already on record." in messages_of(response)
    assert SupplierEvent.objects.filter(supplier=applicants[0]).count() == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"reason": ""}, "This field is required."),
        ({"valid_until": "2001-01-01"}, "Choose a date after today."),
    ],
)
def test_certify_without_a_reason_or_with_a_past_date_is_refused(admin_client, applicants, change, error):
    url, page = open_page(admin_client, "certify_verified", applicants)
    data = {**form_data(page.content.decode(), FORM), "reason": "typed by staff", **change}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Nothing was recorded: correct the errors below." in messages_of(response)
    for supplier in applicants:
        assert_untouched(supplier)


def test_a_refusal_by_the_service_changes_no_supplier_and_keeps_what_was_typed(admin_client, applicants, belt):
    draft = f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.DRAFT, name_en="Draft Co.")
    url, page = open_page(admin_client, "certify_verified", [*applicants, draft], status="all")
    data = {**form_data(page.content.decode(), FORM), "reason": "Checked by Li Wei on 3 March"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Draft Co.: The application has not been submitted yet. Nothing was changed." in messages_of(response)
    assert "Checked by Li Wei on 3 March" in response.content.decode()
    for supplier in [*applicants, draft]:
        assert_untouched(supplier)


# --- Certify as audited factory --------------------------------------------------------------------


@pytest.fixture
def checklist(db):
    return laser_checklist(points=3)


def audit_data(page_html: str, **outcomes: str) -> dict:
    data = form_data(page_html, FORM)
    for i in range(3):
        if f"point-{i}" in outcomes:
            data[f"points-{i}-outcome"] = outcomes[f"point-{i}"]
            data[f"points-{i}-note"] = f"note {i}"
    return {**data, "reason": "Audited on site by Zhang Min"}


def report(name: str = "audit.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_audited_factory_records_report_checklist_version_and_every_point(admin_client, staff, applicant, checklist):
    verification_run(applicant, uscc="pass")
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    html = page.content.decode()
    assert "Laser equipment" in html and "Point 2 in English" in html and "第2点" in html
    assert form_data(html, FORM)["checklist"] == str(checklist.pk)  # matched the belt's industry

    data = audit_data(html, **{"point-0": "pass", "point-1": "fail", "point-2": "na"})
    response = admin_client.post(url, {**data, "audit_report": report(), **f.ORIGIN}, follow=True)

    assert f"{applicant.name_en} certified as an audited factory." in messages_of(response)
    applicant.refresh_from_db()
    assert (applicant.status, applicant.certification_level) == ("certified", "audited_factory")
    certification = applicant.current_certification
    assert (certification.checklist, certification.checklist_version) == (checklist, 1)
    assert certification.decided_by == staff and certification.audit_report.name.endswith(".pdf")
    results = {
        r.code: (r.outcome, r.note, r.text_en) for r in AuditPointResult.objects.filter(certification=certification)
    }
    assert results == {
        "point-0": ("pass", "note 0", "Point 0 in English"),
        "point-1": ("fail", "note 1", "Point 1 in English"),
        "point-2": ("na", "note 2", "Point 2 in English"),
    }
    kinds = list(certification.evidence.values_list("kind", flat=True))
    assert kinds.count(EvidenceItem.Kind.CHECKLIST_POINT) == 3
    assert EvidenceItem.Kind.SITE_VISIT in kinds
    event = SupplierEvent.objects.get(supplier=applicant)
    assert (event.kind, event.actor, event.to_level) == ("certified", staff, "audited_factory")
    assert event.reason == "Audited on site by Zhang Min"

    report_url = f"/admin/suppliers/certification/{certification.pk}/audit-report/"
    assert report_url in admin_client.get(change_url(applicant)).content.decode()
    download = admin_client.get(report_url)
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")


def test_audited_factory_refuses_more_than_one_supplier(admin_client, applicants, checklist):
    response = run_action(admin_client, "certify_audited_factory", applicants)

    assert response["Location"] == CHANGELIST  # back to the queue, not to a decision page
    assert any("one supplier at a time" in m for m in messages_of(admin_client.get(CHANGELIST)))
    for supplier in applicants:
        assert_untouched(supplier)

    page = admin_client.get(f"{CHANGELIST}decide/audited-factory/?ids={applicants[0].pk},{applicants[1].pk}")
    assert page.status_code == 302


def test_audited_factory_without_the_report_is_refused_and_keeps_the_typed_outcomes(admin_client, applicant, checklist):
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    data = audit_data(page.content.decode(), **{"point-0": "pass", "point-1": "fail", "point-2": "na"})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Nothing was recorded: correct the errors below." in messages_of(response)
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="fail" id="id_points-1-outcome_1" checked' in html
    assert "note 1" in html and "Audited on site by Zhang Min" in html
    assert_untouched(applicant)
    assert not AuditPointResult.objects.exists()


def test_audited_factory_with_a_point_left_out_is_refused(admin_client, applicant, checklist):
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    data = audit_data(page.content.decode(), **{"point-0": "pass", "point-2": "na"})

    response = admin_client.post(url, {**data, "audit_report": report()})

    assert response.status_code == 200
    assert "Record an outcome for every point of the checklist." in messages_of(response)
    assert_untouched(applicant)
    assert not AuditPointResult.objects.exists()


def test_audited_factory_with_a_point_removed_from_the_post_is_refused(admin_client, applicant, checklist):
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    data = audit_data(page.content.decode(), **{"point-0": "pass", "point-1": "pass", "point-2": "na"})
    data.update({"points-TOTAL_FORMS": "2", "points-INITIAL_FORMS": "0"})  # a tampered form

    response = admin_client.post(url, {**data, "audit_report": report()})

    assert response.status_code == 200
    assert "check the points again" in response.content.decode()
    assert_untouched(applicant)


def test_audited_factory_when_the_checklist_changed_meanwhile_asks_to_look_again(admin_client, applicant, checklist):
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    data = audit_data(page.content.decode(), **{"point-0": "pass", "point-1": "pass", "point-2": "na"})
    checklist.version = 2
    checklist.save()

    response = admin_client.post(url, {**data, "audit_report": report()})

    assert "it is now version 2" in response.content.decode()
    assert_untouched(applicant)


def test_audited_factory_with_a_report_that_is_not_a_pdf_or_image_is_refused(admin_client, applicant, checklist):
    url, page = open_page(admin_client, "certify_audited_factory", [applicant])
    data = audit_data(page.content.decode(), **{"point-0": "pass", "point-1": "pass", "point-2": "na"})

    response = admin_client.post(
        url, {**data, "audit_report": report("audit.pdf", b"MZ\x90\x00 not a pdf"), **f.ORIGIN}
    )

    assert response.status_code == 200
    assert "Upload a PDF file or a JPEG, PNG or WebP image." in response.content.decode()
    assert_untouched(applicant)


def test_audited_factory_picks_the_checklist_named_in_the_belts_industry(admin_client, applicant, checklist):
    applicant.belt.industry_en = "Laser equipment and photonics"
    applicant.belt.save()
    _, page = open_page(admin_client, "certify_audited_factory", [applicant])
    assert form_data(page.content.decode(), FORM)["checklist"] == str(checklist.pk)


def test_audited_factory_picks_the_checklist_an_admin_linked_to_the_belt_over_a_name_match(
    admin_client, applicant, checklist
):
    # The belt's industry names the laser checklist, but an admin linked the belt to another one.
    applicant.belt.industry_en = "Laser equipment"
    applicant.belt.save()
    linked = AuditChecklist.objects.create(
        industry_en="Precision machinery", industry_zh="精密机械", slug="precision-machinery"
    )
    linked.belts.add(applicant.belt)

    _, page = open_page(admin_client, "certify_audited_factory", [applicant])

    assert form_data(page.content.decode(), FORM)["checklist"] == str(linked.pk)


def test_audited_factory_picks_the_checklist_this_belts_last_audit_used(admin_client, applicant, staff, belt):
    belt.industry_en = "Men's clothing"
    belt.save()
    textiles = laser_checklist(points=1)
    textiles.industry_en, textiles.slug = "Textiles and apparel", "textiles"
    textiles.save()
    audited = f.origin_ready(f.ApplicantSupplierFactory(belt=belt))
    supplier_certify(
        supplier=audited, level=CertificationLevel.AUDITED_FACTORY, actor=staff, checklist=textiles, **f.ORIGIN,
        audit_report=SimpleUploadedFile("r.pdf", PDF_BYTES), point_results={"point-0": ("pass", "")},
    )  # fmt: skip

    _, page = open_page(admin_client, "certify_audited_factory", [applicant])

    assert form_data(page.content.decode(), FORM)["checklist"] == str(textiles.pk)


def test_audited_factory_without_a_matching_checklist_asks_to_choose_one(admin_client, applicant):
    textiles = laser_checklist(points=2)
    textiles.industry_en, textiles.slug = "Textiles and apparel", "textiles"
    textiles.save()

    url, page = open_page(admin_client, "certify_audited_factory", [applicant])

    html = page.content.decode()
    assert "choose the checklist the auditor used" in html and 'id="decision_form"' not in html
    chosen = admin_client.get(f"{url}&checklist={textiles.pk}")
    assert 'id="decision_form"' in chosen.content.decode() and "Point 1 in English" in chosen.content.decode()
    assert form_data(chosen.content.decode(), FORM)["checklist"] == str(textiles.pk)


# --- Reject, ask for more information, re-run -----------------------------------------------------


def test_reject_needs_a_reason(admin_client, applicants):
    url, page = open_page(admin_client, "reject", applicants)

    response = admin_client.post(url, {**form_data(page.content.decode(), FORM), "reason": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    for supplier in applicants:
        assert_untouched(supplier)


def test_reject_with_a_reason_rejects_each_on_record(admin_client, staff, applicants):
    url, page = open_page(admin_client, "reject", applicants)
    data = {**form_data(page.content.decode(), FORM), "reason": "The licence belongs to another company."}

    response = admin_client.post(url, data, follow=True)

    assert "2 applications rejected." in messages_of(response)
    for supplier in applicants:
        supplier.refresh_from_db()
        assert supplier.status == Supplier.Status.REJECTED
        event = SupplierEvent.objects.get(supplier=supplier)
        assert (event.kind, event.actor, event.reason) == ("rejected", staff, "The licence belongs to another company.")


def test_ask_for_more_information_sends_the_message_on_record(admin_client, staff, applicant):
    url, page = open_page(admin_client, "request_info", [applicant])
    data = {**form_data(page.content.decode(), FORM), "message": "Upload a sharper scan of the licence."}

    response = admin_client.post(url, data, follow=True)

    assert "1 supplier was asked for more information." in messages_of(response)
    applicant.refresh_from_db()
    assert applicant.status == Supplier.Status.INFO_REQUESTED
    event = SupplierEvent.objects.get(supplier=applicant)
    assert (event.kind, event.actor, event.reason) == ("info_requested", staff, "Upload a sharper scan of the licence.")


def test_ask_for_more_information_refused_by_the_service_keeps_the_message(admin_client, supplier):
    url = f"{CHANGELIST}decide/request-info/?ids={supplier.pk}"  # a certified supplier
    response = admin_client.post(url, {"message": "Please send the new ISO 9001 certificate."})

    assert response.status_code == 200
    assert any("Only an application under verification" in m for m in messages_of(response))
    assert "Please send the new ISO 9001 certificate." in response.content.decode()
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.CERTIFIED
    assert not SupplierEvent.objects.exists()


def test_rerun_verification_queues_a_run_for_each_selected(admin_client, applicants, belt, staff):
    untouched = f.ApplicantSupplierFactory(belt=belt)

    response = run_action(admin_client, "rerun_verification", applicants)

    assert response.status_code == 302
    messages = messages_of(admin_client.get(response["Location"]))
    assert "Verification queued again for 2 suppliers." in messages
    for supplier in applicants:
        assert supplier.verification_runs.filter(trigger=VerificationRun.Trigger.RERUN).count() == 1
        # Who asked for the re-run is on record, like every other decision.
        event = supplier.events.get(kind=SupplierEvent.Kind.RERUN_REQUESTED)
        assert event.actor == staff
    assert not untouched.verification_runs.exists()
    assert not untouched.events.exists()


def test_rerun_button_on_the_change_page_is_post_only(admin_client, applicant):
    url = f"{CHANGELIST}{applicant.pk}/rerun/"
    assert admin_client.get(url).status_code == 405

    response = admin_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == change_url(applicant)
    assert "Verification queued again for 1 supplier." in messages_of(response)
    assert applicant.verification_runs.get().trigger == VerificationRun.Trigger.RERUN


def test_rerun_of_a_draft_is_refused_with_a_message(admin_client, belt):
    draft = f.ApplicantSupplierFactory(belt=belt, status=Supplier.Status.DRAFT)
    response = admin_client.post(f"{CHANGELIST}{draft.pk}/rerun/", follow=True)
    assert "The application has not been submitted yet." in messages_of(response)
    assert not VerificationRun.objects.exists()


def test_a_decision_page_without_suppliers_goes_back_to_the_queue(admin_client, db):
    response = admin_client.get(f"{CHANGELIST}decide/reject/?ids=999999", follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "Select at least one supplier." in messages_of(response)
