"""A buying company's team over the API (buyers/api_team.py), through the team page's services:
members and open invitations listed, an invitation emailed after commit (inviting the address again
sends the same link, a member's address is refused), withdrawn, a member removed or leaving, the
last member kept. Another company's member or invitation answers 404, a supplier 403, anonymous
403; the lists have a fixed query budget."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from buyers.models import BuyerInvitation, BuyerMember
from buyers.services.team import buyer_member_invite
from tests import factories as f

pytestmark = pytest.mark.django_db

MEMBERS, INVITATIONS = "/api/v1/buyer/team/members/", "/api/v1/buyer/team/invitations/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_invite_emails_the_link_once_and_lists_it(buyer, company, django_capture_on_commit_callbacks):
    client = api(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITATIONS, {"email": "Mia@Example.test", "full_name": "Mia"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["email"], response.json()["invited_by"]) == ("mia@example.test", buyer.email)
    assert [m.to for m in mail.outbox] == [["mia@example.test"]]
    again = client.post(INVITATIONS, {"email": "mia@example.test"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == response.json()["id"]
    assert [i["email"] for i in client.get(INVITATIONS).json()] == ["mia@example.test"]
    assert "token" not in response.json()  # the link is the invitee's secret: only emailed


def test_inviting_a_member_or_a_bad_address_answers_400(buyer, company):
    client = api(buyer)
    assert client.post(INVITATIONS, {"email": buyer.email}, format="json").status_code == 400
    assert client.post(INVITATIONS, {"email": "not-an-address"}, format="json").status_code == 400
    assert not BuyerInvitation.objects.exists()


def test_withdraw_and_remove_and_the_last_member_stays(buyer, company):
    colleague = f.BuyerMemberFactory(company=company)
    invitation = buyer_member_invite(company=company, actor=buyer, email="x@example.test")
    client = api(buyer)
    members = client.get(MEMBERS).json()
    assert {m["email"] for m in members} == {buyer.email, colleague.user.email}
    assert [m["is_you"] for m in members if m["email"] == buyer.email] == [True]
    assert client.delete(f"{INVITATIONS}{invitation.pk}/").status_code == 204
    assert not BuyerInvitation.objects.exists()
    assert client.delete(f"{MEMBERS}{colleague.pk}/").status_code == 204
    me = BuyerMember.objects.get(user=buyer)
    last = client.delete(f"{MEMBERS}{me.pk}/")
    assert last.status_code == 400 and "at least one member" in last.json()["detail"]


def test_another_companys_member_and_invitation_answer_404(buyer, company):
    other = f.BuyerMemberFactory()
    f.BuyerMemberFactory(company=other.company)
    invitation = buyer_member_invite(company=other.company, actor=other.user, email="y@example.test")
    client = api(buyer)
    assert client.delete(f"{MEMBERS}{other.pk}/").status_code == 404
    assert client.delete(f"{INVITATIONS}{invitation.pk}/").status_code == 404
    assert other.user.email not in str(client.get(MEMBERS).json())
    assert BuyerMember.objects.filter(pk=other.pk).exists() and BuyerInvitation.objects.filter(pk=invitation.pk)


def test_a_supplier_and_anonymous_get_403(supplier_member):
    for client in (api(supplier_member), api()):
        assert client.get(MEMBERS).status_code == 403
        assert client.get(INVITATIONS).status_code == 403
        assert client.post(INVITATIONS, {"email": "z@example.test"}, format="json").status_code == 403
    assert not BuyerInvitation.objects.exists()


def test_the_lists_have_a_fixed_query_budget(buyer, company):
    client = api(buyer)
    buyer_member_invite(company=company, actor=buyer, email="a@example.test")
    with CaptureQueriesContext(connection) as few:
        client.get(MEMBERS)
        client.get(INVITATIONS)
    for n in range(4):
        f.BuyerMemberFactory(company=company)
        buyer_member_invite(company=company, actor=buyer, email=f"b{n}@example.test")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(MEMBERS).json()) == 5
        assert len(client.get(INVITATIONS).json()) == 5
    assert len(few) == len(many) <= 6
