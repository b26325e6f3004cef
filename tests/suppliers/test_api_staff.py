"""Staff certification decisions over the API (suppliers/api_staff.py), through the admin's services:
the queue of applications awaiting a decision, certify (the supplier's public page shows the level
on the next request, and stops showing the supplier once rejected: no stale cached copy), reject
with a reason, ask for more information; rules refuse with 400. Only staff with the admin's
`suppliers.change_supplier` permission: staff without it, operators, suppliers, buyers get 403,
anonymous 403; the queue has a fixed query budget."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from suppliers.models import Supplier, SupplierEvent
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/staff/applications/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def decide(client, supplier, step, data):
    return client.post(f"/api/v1/staff/suppliers/{supplier.pk}/{step}/", data, format="json")


@pytest.fixture
def decider(db):
    """Staff who are not superusers, with the permission the admin's decision actions need."""
    user = f.UserFactory(role=User.Role.STAFF, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_supplier", content_type__app_label="suppliers"))
    return User.objects.get(pk=user.pk)


def test_certify_then_reject_and_the_public_page_follows_at_once(decider, belt, monkeypatch):
    supplier, _member = world.application(belt)
    client = api(decider)
    assert [a["id"] for a in client.get(QUEUE).json()["results"]] == [supplier.pk]
    response = decide(client, supplier, "certify", {"level": "verified", "reason": "Licence and site checked"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["certification_level"]) == ("certified", "verified")
    public = api().get(f"/api/v1/suppliers/{supplier.slug}/")
    assert public.status_code == 200 and public.json()["certification_level"] == "verified"
    assert client.get(QUEUE).json()["results"] == []
    rejected = decide(client, supplier, "reject", {"reason": "The licence was forged"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert api().get(f"/api/v1/suppliers/{supplier.slug}/").status_code == 404  # no stale cached copy
    kinds = list(SupplierEvent.objects.filter(supplier=supplier, actor=decider).values_list("kind", flat=True))
    assert sorted(kinds) == ["certified", "rejected"]


def test_request_info_sends_the_application_back(decider, belt):
    supplier, _member = world.application(belt)
    response = decide(api(decider), supplier, "request-info", {"message": "Add the ISO certificate's pages"})
    assert response.status_code == 200 and response.json()["status"] == "info_requested"
    supplier.refresh_from_db()
    assert supplier.is_editable_by_applicant()


def test_rules_refuse_with_400(decider, belt):
    draft = f.DraftApplicationFactory(belt=belt)
    client = api(decider)
    refused = decide(client, draft, "certify", {"level": "verified", "reason": "x"})
    assert refused.status_code == 400 and "not been submitted" in refused.json()["detail"]
    assert decide(client, draft, "certify", {"level": "audited_factory", "reason": "x"}).status_code == 400
    assert (
        decide(client, draft, "certify", {"level": "verified", "reason": "x", "valid_until": "2000-01-01"}).status_code
        == 400
    )
    assert decide(client, draft, "request-info", {"message": "x"}).status_code == 400
    assert Supplier.objects.get(pk=draft.pk).status == Supplier.Status.DRAFT
    assert decide(client, draft, "reject", {"reason": ""}).status_code == 400


def test_an_unknown_supplier_answers_404(decider):
    assert (
        api(decider).post("/api/v1/staff/suppliers/999999/reject/", {"reason": "x"}, format="json").status_code == 404
    )


def test_everyone_without_the_permission_gets_403(belt, operator, supplier_member, buyer):
    supplier, _member = world.application(belt)
    staff_without = f.UserFactory(role=User.Role.STAFF, is_staff=True)
    for user in (staff_without, operator, supplier_member, buyer, None):
        client = api(user)
        assert client.get(QUEUE).status_code == 403
        assert decide(client, supplier, "certify", {"level": "verified", "reason": "x"}).status_code == 403
        assert decide(client, supplier, "reject", {"reason": "x"}).status_code == 403
    assert Supplier.objects.get(pk=supplier.pk).status == Supplier.Status.UNDER_VERIFICATION


def test_the_queue_has_a_fixed_query_budget(decider, belt):
    client = api(decider)
    world.application(belt)
    client.get(QUEUE)  # the user's permissions are read once, then cached on it
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(4):
        world.application(belt)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(QUEUE).json()["results"]) == 5
    assert len(few) == len(many) <= 3
