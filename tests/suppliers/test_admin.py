"""The supplier admin: certification only through its actions, each on record; the audit trail is read-only.

Change forms are posted the way a browser would: every field of the rendered form, as rendered,
with only the field under test changed.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from suppliers.models import CertificationLevel, Supplier, SupplierEvent
from suppliers.services import supplier_certify
from tests import factories as f
from tests.admin_forms import form_data
from tests.conftest import client_for

CHANGELIST = "/admin/suppliers/supplier/"


@pytest.fixture
def admin_client(staff) -> Client:
    return client_for(staff)


@pytest.fixture
def applicants(belt):
    return [f.ApplicantSupplierFactory(belt=belt) for _ in range(2)]


# --- Certify action -------------------------------------------------------------------------------


def test_changelist_offers_the_three_certify_actions(admin_client, applicants):
    html = admin_client.get(CHANGELIST).content.decode()
    for action in ("certify_verified", "certify_certified_origin", "certify_audited_factory"):
        assert f'value="{action}"' in html


def test_certify_action_certifies_the_selected_suppliers_with_the_staff_user_as_actor(
    admin_client, staff, applicants, belt
):
    untouched = f.ApplicantSupplierFactory(belt=belt)

    response = admin_client.post(
        CHANGELIST,
        {"action": "certify_audited_factory", "_selected_action": [s.pk for s in applicants], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 suppliers certified." in response.content.decode()
    for applicant in applicants:
        applicant.refresh_from_db()
        assert applicant.status == Supplier.Status.CERTIFIED
        assert applicant.certification_level == CertificationLevel.AUDITED_FACTORY
        assert applicant.certified_at is not None
        [event] = SupplierEvent.objects.filter(supplier=applicant)
        assert event.kind == SupplierEvent.Kind.CERTIFIED
        assert event.actor == staff
        assert (event.from_level, event.to_level) == ("none", "audited_factory")
        assert event.reason == "Certify as audited factory"
    untouched.refresh_from_db()
    assert untouched.status == Supplier.Status.UNDER_VERIFICATION
    assert not SupplierEvent.objects.filter(supplier=untouched).exists()


def test_certify_action_is_refused_to_staff_without_change_permission(applicants):
    viewer = f.UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_supplier"))
    client = client_for(viewer)
    assert "certify_audited_factory" not in client.get(CHANGELIST).content.decode()

    response = client.post(
        CHANGELIST, {"action": "certify_audited_factory", "_selected_action": [applicants[0].pk], "index": "0"}
    )

    assert response.status_code == 200  # the changelist again: no such action for this user
    applicants[0].refresh_from_db()
    assert applicants[0].status == Supplier.Status.UNDER_VERIFICATION
    assert not SupplierEvent.objects.exists()


# --- Read-only certification on the change form ---------------------------------------------------


def test_certification_fields_are_read_only_on_the_change_form(admin_client, supplier, supplier_member):
    url = f"{CHANGELIST}{supplier.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "supplier_form")
    assert "name_en" in data and "members-TOTAL_FORMS" in data  # the parser found the real form
    for field in ("status", "certification_level", "certified_at", "certified_until"):
        assert field not in data

    data.update(
        name_en="Wuhan Guanggu Photonics Co., Ltd. (renamed)",
        status=Supplier.Status.CERTIFIED,
        certification_level=CertificationLevel.AUDITED_FACTORY,
        certified_until="2099-12-31",
    )
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    supplier.refresh_from_db()
    assert supplier.name_en.endswith("(renamed)")  # the form was saved...
    assert supplier.certification_level == CertificationLevel.VERIFIED  # ...but not the certification
    assert supplier.certified_until != datetime.date(2099, 12, 31)
    assert not SupplierEvent.objects.exists()


def test_change_form_cannot_add_audit_events_through_the_inline(admin_client, supplier):
    url = f"{CHANGELIST}{supplier.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "supplier_form")
    data.update(
        {
            "events-TOTAL_FORMS": "1",
            "events-0-kind": SupplierEvent.Kind.CERTIFIED,
            "events-0-to_level": CertificationLevel.AUDITED_FACTORY,
            "events-0-reason": "forged",
        }
    )
    admin_client.post(url, data)
    assert not SupplierEvent.objects.exists()


# --- The audit trail ------------------------------------------------------------------------------


@pytest.fixture
def event(supplier, staff):
    supplier_certify(supplier=supplier, level=CertificationLevel.AUDITED_FACTORY, actor=staff)
    return SupplierEvent.objects.get(supplier=supplier)


def test_supplier_event_admin_lists_events_but_offers_no_add(admin_client, event):
    response = admin_client.get("/admin/suppliers/supplierevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/admin/suppliers/supplierevent/add/" not in html
    assert 'value="delete_selected"' not in html


def test_supplier_event_cannot_be_added_changed_or_deleted(admin_client, event, staff):
    base = "/admin/suppliers/supplierevent/"
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}add/", {"supplier": event.supplier_id, "kind": "certified"}).status_code == 403

    view = admin_client.get(f"{base}{event.pk}/change/")
    assert view.status_code == 200  # a read-only view
    assert 'name="_save"' not in view.content.decode()
    admin_client.post(f"{base}{event.pk}/change/", {"kind": "suspended", "reason": "edited", "to_level": "none"})

    assert admin_client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert admin_client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    event.refresh_from_db()
    assert (event.kind, event.reason, event.to_level) == ("level_changed", "", "audited_factory")
    assert event.actor == staff


def test_audit_inline_on_the_supplier_is_read_only(admin_client, event, supplier):
    html = admin_client.get(f"{CHANGELIST}{supplier.pk}/change/").content.decode()
    assert 'name="events-MAX_NUM_FORMS" value="0"' in html
    assert 'name="events-0-DELETE"' not in html
    assert "Audited factory" in html


# --- Who may enter ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["buyer", "supplier_member", "operator", "outsider"])
def test_non_staff_is_sent_to_the_admin_login(request, who, supplier):
    client = client_for(request.getfixturevalue(who))
    for url in (CHANGELIST, f"{CHANGELIST}{supplier.pk}/change/", "/admin/suppliers/supplierevent/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_non_staff_cannot_run_the_certify_action(buyer, belt):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    response = client_for(buyer).post(
        CHANGELIST, {"action": "certify_audited_factory", "_selected_action": [applicant.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    applicant.refresh_from_db()
    assert applicant.status == Supplier.Status.UNDER_VERIFICATION


def test_anonymous_is_sent_to_the_admin_login(client, db):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={CHANGELIST}"
