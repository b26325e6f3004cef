"""Another supplier's member can never see or change this application.

No URL of the wizard or the dashboard names a supplier: each finds the application through the
signed-in user's membership. Documents and sites are removed by id, and another supplier's id
answers 404 and changes nothing.
"""

import pytest
from django.urls import reverse

from suppliers.models import ProductionSite, Supplier, SupplierDocument
from tests import factories as f
from tests.conftest import client_for

from .factories import (
    CompleteDraftFactory,
    applicant,
    png_upload,
)


@pytest.fixture
def alice_app(db):
    supplier = CompleteDraftFactory(name_en="Alice Looms Ltd.", legal_representative="Alice Secret-Rep")
    f.ProductionSiteFactory(supplier=supplier, name="Alice secret plant")
    return supplier


@pytest.fixture
def alice(alice_app):
    client = client_for(applicant(alice_app))
    client.post("/apply/documents/", {"action": "licence", "licence-upload": png_upload()})
    return client


@pytest.fixture
def bob_app(db):
    return CompleteDraftFactory(name_en="Bob Knitwear Ltd.")


@pytest.fixture
def bob(bob_app):
    return client_for(applicant(bob_app))


@pytest.mark.parametrize("step", ["company", "location", "belt", "documents", "contact", "review"])
def test_each_member_sees_only_its_own_application(alice, bob, alice_app, step):
    html = bob.get(f"/apply/{step}/").content.decode()
    assert "Alice Looms Ltd." not in html
    assert "Alice Secret-Rep" not in html
    assert "Alice secret plant" not in html
    assert alice_app.uscc not in html


def test_another_suppliers_document_id_is_404_and_stays(alice, bob, alice_app):
    document = alice_app.documents.get()
    response = bob.post(reverse("suppliers:apply_document_remove", args=[document.pk]))
    assert response.status_code == 404
    assert SupplierDocument.objects.filter(pk=document.pk).exists()


def test_another_suppliers_site_id_is_404_and_stays(alice, bob, alice_app):
    site = alice_app.sites.get()
    response = bob.post(reverse("suppliers:apply_site_remove", args=[site.pk]))
    assert response.status_code == 404
    assert ProductionSite.objects.filter(pk=site.pk).exists()


def test_a_certified_suppliers_member_cannot_remove_an_applicants_document(alice, alice_app, supplier_member):
    document = alice_app.documents.get()
    response = client_for(supplier_member).post(reverse("suppliers:apply_document_remove", args=[document.pk]))
    assert response.status_code == 404
    assert SupplierDocument.objects.filter(pk=document.pk).exists()


def test_bob_writing_changes_only_bobs_application(alice, bob, alice_app, bob_app):
    bob.post("/apply/contact/", {"contact_name": "Bob", "contact_email": "bob@knit.test"})
    bob.post("/apply/documents/", {"action": "licence", "licence-upload": png_upload()})
    alice_app.refresh_from_db()
    bob_app.refresh_from_db()
    assert alice_app.contact_name != "Bob"
    assert bob_app.contact_name == "Bob"
    assert alice_app.documents.count() == 1
    assert bob_app.documents.count() == 1


def test_bob_cannot_submit_alices_application(alice, bob, alice_app, monkeypatch):
    monkeypatch.setattr("suppliers.tasks.verification_run_execute_task.delay", lambda run_id: None)
    bob.post("/apply/submit/")  # there is no id to aim at: it can only ever be Bob's own
    alice_app.refresh_from_db()
    assert alice_app.status == Supplier.Status.DRAFT


def test_checks_partial_shows_only_the_own_run(alice, bob):
    html = bob.get(reverse("suppliers:application_checks")).content.decode()
    assert "Alice" not in html


@pytest.mark.parametrize("who", ["buyer", "outsider", "operator"])
def test_people_without_a_supplier_get_404_at_removals_and_submit(request, who, alice, alice_app):
    client = client_for(request.getfixturevalue(who))
    document, site = alice_app.documents.get(), alice_app.sites.get()
    assert client.post(reverse("suppliers:apply_document_remove", args=[document.pk])).status_code == 404
    assert client.post(reverse("suppliers:apply_site_remove", args=[site.pk])).status_code == 404
    assert client.post("/apply/submit/").status_code == 404
    assert client.get(reverse("suppliers:application_checks")).status_code == 404
    assert SupplierDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    "url",
    ["/apply/submit/", "/apply/documents/1/remove/", "/apply/sites/1/remove/", "/dashboard/supplier/checks/"],
)
def test_anonymous_is_sent_to_sign_in(client, db, url):
    response = client.post(url) if "checks" not in url else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
