"""The team pages: the members' page (invite, withdraw, remove), the invitation link for a new person
and a signed-in one, refusals in words, 404 for outsiders, and a fixed query count.

Cast: `buyer` buys for `company` (A); `other_buyer` for company B and must see and change nothing of A.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from buyers.models import INVITATION_VALID_DAYS, BuyerInvitation, BuyerMember
from buyers.services.team import buyer_invitation_join, buyer_member_invite
from tests import factories as f
from tests.conftest import client_for

TEAM = reverse("buyers:team")
PASSWORD = "a-long-unusual-passphrase-42"


def invite(company, actor, email="colleague@example.test", **kwargs):
    return buyer_member_invite(company=company, actor=actor, email=email, **kwargs)


def join_url(invitation):
    return reverse("buyers:team_join", args=[invitation.token])


# --- the members' page -----------------------------------------------------------------------------


def test_team_page_lists_members_and_open_invitations_with_the_invite_form(buyer, company):
    colleague = f.BuyerMemberFactory(company=company).user
    invite(company, buyer, full_name="Mia de Vries")
    html = client_for(buyer).get(TEAM).content.decode()
    assert buyer.email in html and colleague.email in html
    assert html.count('data-testid="team-member"') == 2
    assert "colleague@example.test" in html and "Mia de Vries" in html
    assert 'data-testid="team-invite-form"' in html and "14 days" in html


def test_inviting_from_the_page_sends_the_email_and_shows_the_invitation(
    buyer, company, django_capture_on_commit_callbacks
):
    client = client_for(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEAM, {"email": "colleague@example.test", "full_name": "Mia"})
    assert response.status_code == 302 and response["Location"] == TEAM
    invitation = BuyerInvitation.objects.get(company=company)
    assert [m.to for m in mail.outbox] == [["colleague@example.test"]]
    assert "http://testserver" + join_url(invitation) in mail.outbox[0].body
    assert "Invitation sent to colleague@example.test." in client.get(TEAM).content.decode()


def test_a_refused_invite_re_renders_with_the_message_and_what_was_typed(buyer, company):
    response = client_for(buyer).post(TEAM, {"email": buyer.email, "full_name": "Myself Again"})
    html = response.content.decode()
    assert response.status_code == 200 and "already a member of your company" in html
    assert 'value="Myself Again"' in html
    bad = client_for(buyer).post(TEAM, {"email": "no-at-sign", "full_name": "Typo Person"}).content.decode()
    assert "Enter a valid email address." in bad and 'value="Typo Person"' in bad
    assert not BuyerInvitation.objects.exists()


def test_team_page_and_its_actions_are_404_for_anyone_outside_the_company(
    buyer, company, other_buyer, outsider, supplier_member, client
):
    invitation = invite(company, buyer)
    colleague = f.BuyerMemberFactory(company=company)
    withdraw = reverse("buyers:team_invitation_withdraw", args=[invitation.pk])
    remove = reverse("buyers:team_member_remove", args=[colleague.pk])
    for person in (outsider, supplier_member):
        assert client_for(person).get(TEAM).status_code == 404
    theirs = client_for(other_buyer)
    assert "colleague@example.test" not in theirs.get(TEAM).content.decode()  # B sees its own team only
    assert theirs.post(withdraw).status_code == 404
    assert theirs.post(remove).status_code == 404
    assert client_for(outsider).post(remove).status_code == 404
    assert client.get(TEAM).status_code == 302  # anonymous: to sign-in
    assert client.post(withdraw)["Location"].startswith(reverse("accounts:login"))
    assert BuyerInvitation.objects.filter(pk=invitation.pk).exists()
    assert BuyerMember.objects.filter(pk=colleague.pk).exists()


def test_withdraw_and_remove_take_post_only_and_work_for_members(buyer, company):
    invitation = invite(company, buyer)
    colleague = f.BuyerMemberFactory(company=company)
    client = client_for(buyer)
    withdraw = reverse("buyers:team_invitation_withdraw", args=[invitation.pk])
    remove = reverse("buyers:team_member_remove", args=[colleague.pk])
    assert client.get(withdraw).status_code == 405 and client.get(remove).status_code == 405
    assert client.post(withdraw)["Location"] == TEAM
    assert not BuyerInvitation.objects.exists()
    assert client.get(join_url(invitation)).status_code == 404  # a withdrawn link is gone
    assert client.post(remove)["Location"] == TEAM
    assert not BuyerMember.objects.filter(pk=colleague.pk).exists()


def test_the_last_member_sees_no_remove_button_and_cannot_leave(buyer, company):
    client = client_for(buyer)
    html = client.get(TEAM).content.decode()
    assert 'data-testid="team-leave"' not in html and "only member" in html
    response = client.post(reverse("buyers:team_member_remove", args=[buyer.buyer_membership.pk]), follow=True)
    assert "must keep at least one member" in response.content.decode()
    assert BuyerMember.objects.filter(user=buyer, company=company).exists()


def test_a_member_leaves_and_lands_on_the_home_page(buyer, company):
    f.BuyerMemberFactory(company=company)
    client = client_for(buyer)
    assert 'data-testid="team-leave"' in client.get(TEAM).content.decode()
    response = client.post(reverse("buyers:team_member_remove", args=[buyer.buyer_membership.pk]))
    assert response["Location"] == reverse("catalog:home")
    assert not BuyerMember.objects.filter(user=buyer).exists()


@pytest.mark.parametrize("n", [1, 6])
def test_team_page_query_count_does_not_grow_with_members_or_invitations(n, buyer, company, django_assert_num_queries):
    for i in range(n):
        f.BuyerMemberFactory(company=company)
        invite(company, buyer, email=f"invitee{i}@example.test")
    client = client_for(buyer)
    # session, user, company, members with users, invitations with inviters, + the navigation's unread count
    with django_assert_num_queries(6):
        assert client.get(TEAM).status_code == 200


# --- the invitation link ---------------------------------------------------------------------------


def test_a_new_person_sets_name_and_password_and_is_signed_in_as_an_active_member(buyer, company, client):
    invitation = invite(company, buyer, full_name="Mia de Vries")
    page = client.get(join_url(invitation)).content.decode()
    assert 'data-testid="join-form"' in page and 'value="Mia de Vries"' in page
    assert f"work for {INVITATION_VALID_DAYS} days" in page  # the page says when the link stops working
    response = client.post(
        join_url(invitation), {"full_name": "Mia de Vries", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response["Location"] == reverse("buyers:dashboard")
    user = User.objects.get(email="colleague@example.test")
    assert user.is_active and user.buyer_membership.company == company
    dashboard = client.get(reverse("buyers:dashboard"))  # signed in, no confirmation email needed
    assert dashboard.status_code == 200 and company.name in dashboard.content.decode()


def test_the_join_form_keeps_what_was_typed_when_passwords_differ(buyer, company, client):
    invitation = invite(company, buyer)
    response = client.post(
        join_url(invitation), {"full_name": "Mia Typed", "password": PASSWORD, "password_again": PASSWORD + "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "The two passwords differ." in html and 'value="Mia Typed"' in html
    assert not User.objects.filter(email="colleague@example.test").exists()


def test_an_existing_account_is_asked_to_sign_in_then_joins_with_one_click(buyer, company, client):
    person = f.UserFactory(email="colleague@example.test", role=User.Role.BUYER)
    invitation = invite(company, buyer)
    anonymous = client.get(join_url(invitation)).content.decode()
    assert 'data-testid="join-sign-in"' in anonymous and 'data-testid="join-form"' not in anonymous
    signed_in = client_for(person)
    assert 'data-testid="join-one-click"' in signed_in.get(join_url(invitation)).content.decode()
    assert not BuyerMember.objects.filter(user=person).exists()  # a GET joins nobody
    assert signed_in.post(join_url(invitation))["Location"] == reverse("buyers:dashboard")
    assert person.buyer_membership.company == company


@pytest.mark.parametrize(
    "who, reason",
    [
        ("other_address", "sent to another email address"),
        ("member_elsewhere", "already buys for another company"),
        ("supplier", "acts for a supplier"),
    ],
)
def test_the_wrong_person_is_refused_with_a_clear_message(who, reason, buyer, company, other_buyer):
    if who == "other_address":
        person, email = f.UserFactory(role=User.Role.BUYER), "colleague@example.test"
    elif who == "member_elsewhere":
        person, email = other_buyer, other_buyer.email
    else:
        person = f.SupplierMemberFactory().user
        email = person.email
    invitation = invite(company, buyer, email=email)
    client = client_for(person)
    page = client.get(join_url(invitation))
    assert page.status_code == 403 and reason in page.content.decode()
    assert client.post(join_url(invitation)).status_code == 403
    assert not BuyerMember.objects.filter(user=person, company=company).exists()


def test_expired_used_and_unknown_links_are_refused(buyer, company, client):
    expired = invite(company, buyer, email="late@example.test")
    BuyerInvitation.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=INVITATION_VALID_DAYS + 1)
    )
    page = client.get(join_url(expired))
    assert page.status_code == 410 and 'data-testid="join-expired"' in page.content.decode()
    response = client.post(join_url(expired), {"full_name": "Late", "password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 410 and not User.objects.filter(email="late@example.test").exists()
    used = invite(company, buyer, email="used@example.test")
    buyer_invitation_join(invitation=used, full_name="First", password=PASSWORD)
    page = client.get(join_url(used))
    assert page.status_code == 410 and 'data-testid="join-used"' in page.content.decode()
    assert client.get(reverse("buyers:team_join", args=["no-such-token"])).status_code == 404


def test_staff_see_invitations_in_the_admin_without_their_tokens(buyer, company, staff):
    invitation = invite(company, buyer)
    client = client_for(staff)
    changelist = client.get(reverse("admin:buyers_buyerinvitation_changelist"))
    assert changelist.status_code == 200 and "colleague@example.test" in changelist.content.decode()
    detail = client.get(reverse("admin:buyers_buyerinvitation_change", args=[invitation.pk]))
    assert detail.status_code == 200 and invitation.token not in detail.content.decode()
    assert client_for(buyer).get(reverse("admin:buyers_buyerinvitation_changelist")).status_code == 302
