"""Renewal and re-verification: a suspended or expired supplier comes back through its dashboard,
staff see it in the renewal queue, a decision restores the level with a new evidence chain and keeps
the old on record; reminders come 60, 30 and 7 days ahead; old certifications are re-verified."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers.models import Certification, Supplier, SupplierDocument, SupplierEvent, VerificationRun
from suppliers.services import (
    certifications_expiry_sweep,
    reverification_sweep,
    supplier_certify,
    verification_run_execute,
)
from tests import factories as f
from tests.conftest import client_for

from . import factories as world

pytestmark = pytest.mark.django_db

RENEWAL = "/dashboard/supplier/renewal/"


@pytest.fixture
def suspended(belt, staff):
    """A certified origin manufacturer whose licence expired: the daily sweep suspended it."""
    supplier, member = world.application(belt)
    world.certify(supplier, staff, "certified_origin")
    SupplierDocument.objects.filter(supplier=supplier, kind="licence").update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert certifications_expiry_sweep()["suspended"] == 1
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == ("suspended", "none")
    return supplier, member


def test_a_suspended_supplier_renews_its_licence_and_staff_restore_the_level(suspended, staff, client):
    supplier, member = suspended
    old = list(Certification.objects.filter(supplier=supplier).values_list("pk", flat=True))
    dashboard = client_for(member)
    assert 'data-testid="renewal-link"' in dashboard.get("/dashboard/supplier/").content.decode()

    response = dashboard.post(RENEWAL, {"action": "licence", "licence-upload": world.licence_upload()})
    assert response.status_code == 302
    renewed = SupplierDocument.objects.filter(supplier=supplier, kind="licence").latest("uploaded_at")
    assert renewed.is_current()
    assert dashboard.post(RENEWAL, {"action": "request"}).status_code == 302
    supplier.refresh_from_db()
    assert supplier.renewal_requested_at is not None
    run = supplier.verification_runs.get(trigger=VerificationRun.Trigger.RENEWAL)
    verification_run_execute(run_id=run.pk)  # the worker's job (tests/browser runs a real worker)

    queue = client_for(staff).get("/admin/suppliers/supplier/", {"status": "renewal"}).content.decode()
    assert supplier.name_en in queue

    supplier_certify(supplier=supplier, level="certified_origin", actor=staff, reason="Licence renewed", **f.ORIGIN)
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == ("certified", "certified_origin")
    assert supplier.renewal_requested_at is None
    assert renewed.pk in supplier.current_certification.evidence.values_list("document_id", flat=True)
    assert set(Certification.objects.filter(pk__in=old).values_list("status", flat=True)) <= {
        "superseded",
        "downgraded",
    }
    assert client.get(f"/verify/{supplier.current_certification.code.lower()}/").status_code == 200
    assert "Certified origin manufacturer" in client.get(supplier.get_absolute_url()).content.decode()


def test_asking_twice_is_refused_with_a_message_and_changes_nothing(suspended):
    supplier, member = suspended
    dashboard = client_for(member)
    dashboard.post(RENEWAL, {"action": "request"})
    response = dashboard.post(RENEWAL, {"action": "request"}, follow=True)
    assert "already with our staff" in response.content.decode()
    assert supplier.verification_runs.filter(trigger=VerificationRun.Trigger.RENEWAL).count() == 1


def test_a_renewed_file_that_is_not_a_document_is_refused_and_the_typed_fields_stay(suspended):
    supplier, member = suspended
    response = client_for(member).post(
        RENEWAL,
        {
            "action": "certificate", "certificate-standard": "iso_9001", "certificate-number": "00124Q3R9",
            "certificate-issuer": "CQC", "certificate-valid_until": "2028-01-31",
            "certificate-upload": SimpleUploadedFile("iso.pdf", b"MZ\x90 not a pdf", content_type="application/pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "00124Q3R9" in html and "2028-01-31" in html
    assert not SupplierDocument.objects.filter(supplier=supplier, number="00124Q3R9").exists()


def test_only_the_suppliers_own_people_reach_renewal_and_only_after_a_certification(suspended, buyer, belt):
    assert client_for(buyer).get(RENEWAL).status_code == 404  # not a supplier's page to them
    _draft, draft_member = world.application(belt)  # under verification, never certified
    response = client_for(draft_member).get(RENEWAL)
    assert response.status_code == 302 and response["Location"] == "/dashboard/supplier/"


def test_reminders_come_60_30_and_7_days_before_the_certification_ends_once_each(belt, staff):
    supplier, _member = world.application(belt)
    world.certify(supplier, staff, "verified")
    supplier.refresh_from_db()
    end = supplier.certified_until
    SupplierDocument.objects.filter(supplier=supplier).update(valid_until=None)  # only the certification ends
    sent = []
    for days_left in (70, 59, 45, 29, 29, 6, 6, 0):
        mail.outbox.clear()
        certifications_expiry_sweep(today=end - datetime.timedelta(days=days_left))
        sent.append(SupplierEvent.objects.filter(supplier=supplier, kind=SupplierEvent.Kind.REMINDED).count())
    assert sent == [0, 1, 1, 2, 2, 3, 3, 3]
    thresholds = sorted(e.data["days"] for e in SupplierEvent.objects.filter(supplier=supplier, kind="reminded"))
    assert thresholds == [7, 30, 60]


def test_on_expiry_an_event_a_mail_and_the_status_says_so(belt, staff, django_capture_on_commit_callbacks):
    supplier, _member = world.application(belt)
    world.certify(supplier, staff, "verified")
    supplier.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        counts = certifications_expiry_sweep(today=supplier.certified_until + datetime.timedelta(days=1))
    assert counts["expired"] == 1
    supplier.refresh_from_db()
    assert (supplier.status, supplier.certification_level) == ("expired", "none")
    assert SupplierEvent.objects.filter(supplier=supplier, kind=SupplierEvent.Kind.EXPIRED).exists()
    assert any("expired" in m.subject.lower() for m in mail.outbox)


def test_certifications_older_than_a_year_are_verified_again_once(belt, staff):
    supplier, _member = world.application(belt)
    world.certify(supplier, staff, "verified")
    supplier.refresh_from_db()
    later = timezone.now() + datetime.timedelta(days=400)
    assert reverification_sweep(now=later) == 1
    assert reverification_sweep(now=later) == 0
    supplier.refresh_from_db()
    assert supplier.renewal_requested_at == later
    assert supplier.verification_runs.filter(trigger=VerificationRun.Trigger.SCHEDULED).count() == 1
    assert Supplier.objects.filter(pk=supplier.pk, status="certified").exists()  # the badge stays meanwhile
