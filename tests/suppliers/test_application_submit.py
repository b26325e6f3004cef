"""Submitting the application: refused with what is missing, accepted when complete, then read-only.

The verification job is queued only after the transaction commits; the broker is the outside
world, so `delay` is replaced by a recorder.
"""

import pytest
from django.urls import reverse
from stdnum.cn import uscc as stdnum_uscc

from suppliers.models import Supplier, SupplierDocument, SupplierEvent, VerificationRun
from tests import factories as f
from tests.conftest import client_for

from .factories import (
    CompleteDraftFactory,
    DraftSupplierFactory,
    applicant,
    png_upload,
    uscc_for,
)

SUBMIT = "/apply/submit/"


@pytest.fixture
def queued(monkeypatch):
    """Run ids handed to the broker."""
    sent: list[int] = []
    monkeypatch.setattr("suppliers.tasks.verification_run_execute_task.delay", lambda run_id: sent.append(run_id))
    return sent


@pytest.fixture
def complete(db):
    supplier = CompleteDraftFactory(name_en="Shishi Looms Co., Ltd.")
    f.ProductionSiteFactory(supplier=supplier, province="CN-FJ", city="Shishi")
    return supplier


def _add_licence(client) -> None:
    response = client.post("/apply/documents/", {"action": "licence", "licence-upload": png_upload()})
    assert response.status_code == 302


def test_submit_is_refused_with_the_missing_list(db, queued, django_capture_on_commit_callbacks):
    draft = DraftSupplierFactory()
    client = client_for(applicant(draft))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT)
    assert response["Location"] == reverse("suppliers:apply_step", args=["review"])
    html = client.get(response["Location"]).content.decode()
    assert "Before you submit, add:" in html
    assert "business licence" in html
    assert "a production site" in html
    draft.refresh_from_db()
    assert draft.status == Supplier.Status.DRAFT
    assert not VerificationRun.objects.exists()
    assert queued == []


def test_complete_application_is_submitted_and_its_checks_queued_on_commit(
    complete, queued, django_capture_on_commit_callbacks
):
    member = applicant(complete)
    client = client_for(member)
    _add_licence(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(SUBMIT)
    assert queued == []  # nothing reaches the broker before the commit
    for callback in callbacks:
        callback()
    assert response["Location"] == reverse("suppliers:dashboard")
    complete.refresh_from_db()
    assert complete.status == Supplier.Status.UNDER_VERIFICATION
    assert complete.submitted_at is not None
    run = VerificationRun.objects.get(supplier=complete)
    assert queued == [run.pk]
    event = SupplierEvent.objects.get(supplier=complete, kind=SupplierEvent.Kind.SUBMITTED)
    assert event.actor == member


def test_submit_is_post_only(complete, queued):
    assert client_for(applicant(complete)).get(SUBMIT).status_code == 405


def test_submit_refuses_a_uscc_taken_meanwhile(complete, queued, django_capture_on_commit_callbacks):
    lettered = "91350100MA2XYW123"
    Supplier.objects.filter(pk=complete.pk).update(uscc=lettered + stdnum_uscc.calc_check_digit(lettered))
    complete.refresh_from_db()
    client = client_for(applicant(complete))
    _add_licence(client)
    # Another company holding the same code (case differs, so the unique constraint let it in).
    Supplier.objects.filter(pk=f.SupplierFactory().pk).update(uscc=complete.uscc.lower())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, follow=True)
    assert "already on the platform" in response.content.decode()
    complete.refresh_from_db()
    assert complete.status == Supplier.Status.DRAFT
    assert queued == []


# --- read-only once submitted -------------------------------------------------------------------------


@pytest.fixture
def submitted(complete, queued, django_capture_on_commit_callbacks):
    member = applicant(complete)
    client = client_for(member)
    _add_licence(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT)
    complete.refresh_from_db()
    assert complete.status == Supplier.Status.UNDER_VERIFICATION
    return client


@pytest.mark.parametrize("step", ["company", "location", "belt", "documents", "contact", "review"])
def test_steps_are_read_only_after_submit(submitted, step):
    response = submitted.get(f"/apply/{step}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="read-only"' in html
    assert 'name="continue"' not in html
    assert "Upload licence" not in html
    assert not response.context["editable"]
    if "form" in response.context:
        assert all(field.disabled for field in response.context["form"].fields.values())


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("company", {"name_en": "Changed Ltd.", "uscc": uscc_for(77), "business_type": "trading"}),
        ("location", {"registered_address": "Elsewhere", "site-name": "New", "site-address": "x",
                      "site-province": "CN-FJ", "site-city": "x", "site-products": "x", "add_site": ""}),
        ("contact", {"contact_name": "Someone else", "contact_email": "else@example.test"}),
        ("belt", {"belt": ""}),
        ("documents", {"action": "licence", "licence-upload": None}),
    ],
)  # fmt: skip
def test_posts_to_steps_are_refused_after_submit_and_nothing_changes(submitted, complete, step, data):
    before = Supplier.objects.filter(pk=complete.pk).values().get()
    documents, sites = complete.documents.count(), complete.sites.count()
    if step == "documents":
        data = {**data, "licence-upload": png_upload()}
    response = submitted.post(f"/apply/{step}/", data, follow=True)
    assert "cannot be changed now" in response.content.decode()
    assert Supplier.objects.filter(pk=complete.pk).values().get() == before
    assert (complete.documents.count(), complete.sites.count()) == (documents, sites)


def test_removals_and_a_second_submit_are_refused_after_submit(submitted, complete, queued):
    document = complete.documents.get(kind=SupplierDocument.Kind.LICENCE)
    site = complete.sites.get()
    submitted.post(reverse("suppliers:apply_document_remove", args=[document.pk]))
    submitted.post(reverse("suppliers:apply_site_remove", args=[site.pk]))
    response = submitted.post(SUBMIT, follow=True)
    assert "cannot be changed now" in response.content.decode()
    assert complete.documents.filter(pk=document.pk).exists()
    assert complete.sites.filter(pk=site.pk).exists()
    assert VerificationRun.objects.filter(supplier=complete).count() == 1
    assert len(queued) == 1


def test_info_requested_application_is_editable_again(submitted, complete):
    Supplier.objects.filter(pk=complete.pk).update(status=Supplier.Status.INFO_REQUESTED)
    response = submitted.post("/apply/contact/", {"contact_name": "Lin Mei", "contact_email": "new@shishi.test"})
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.contact_email == "new@shishi.test"
