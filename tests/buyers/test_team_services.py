"""The team services: invite by email (sent after commit, in the inviter's language), join by the link
as a new person or a signed-in user, refusals, withdraw, remove (never the last member), and races.

Cast: `buyer` buys for `company` (A); `other_buyer` for company B; `supplier_member` acts for a supplier.
"""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from accounts.models import User
from buyers.models import INVITATION_VALID_DAYS, BuyerInvitation, BuyerMember
from buyers.services import team as services_team
from buyers.services.team import (
    buyer_invitation_accept,
    buyer_invitation_join,
    buyer_invitation_withdraw,
    buyer_member_invite,
    buyer_member_remove,
)
from marketplace.exceptions import ApplicationError
from tests import factories as f

PASSWORD = "a-long-unusual-passphrase-42"


def invite(company, actor, email="colleague@example.test", **kwargs):
    return buyer_member_invite(company=company, actor=actor, email=email, base_url="https://m.test", **kwargs)


def expire(invitation):
    BuyerInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=INVITATION_VALID_DAYS, seconds=1)
    )
    invitation.refresh_from_db()


# --- invite ----------------------------------------------------------------------------------------


def test_invite_creates_one_invitation_and_emails_its_link_only_after_commit(
    buyer, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(company, buyer, email=" Colleague@Example.TEST ", full_name="Mia de Vries")
    assert mail.outbox == [] and len(callbacks) == 1  # nothing goes out before the row commits
    callbacks[0]()
    assert invitation.email == "colleague@example.test" and invitation.invited_by == buyer
    assert invitation.accepted_at is None and len(invitation.token) >= 40
    [email] = mail.outbox
    assert email.to == ["colleague@example.test"]
    assert company.name in email.subject
    assert f"https://m.test/team/join/{invitation.token}/" in email.body
    assert "Mia de Vries" in email.body and "14 days" in email.body


def test_invitation_email_is_written_in_the_inviters_language(buyer, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        invitation = invite(company, buyer)
    assert invitation.language == "zh-hans"
    assert "产业带批发平台" in mail.outbox[0].body  # "Belt Marketplace" in Chinese
    with django_capture_on_commit_callbacks(execute=True):
        invite(company, buyer, email="second@example.test")
    assert "Belt Marketplace" in mail.outbox[1].body and "产业带批发平台" not in mail.outbox[1].body


def test_inviting_the_same_address_again_sends_the_same_link_and_renews_an_expired_one(
    buyer, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(company, buyer)
        again = invite(company, buyer)  # a double click, or "send again"
    assert again.pk == first.pk and again.token == first.token
    assert BuyerInvitation.objects.count() == 1 and len(mail.outbox) == 2
    assert first.token in mail.outbox[1].body
    expire(first)
    with django_capture_on_commit_callbacks(execute=True):
        renewed = invite(company, buyer)
    assert renewed.pk == first.pk and renewed.token != first.token and renewed.is_open()
    assert renewed.token in mail.outbox[2].body


def test_invite_refuses_a_bad_address_a_current_member_and_anyone_outside_the_company(
    buyer, company, other_buyer, outsider
):
    with pytest.raises(ValidationError) as bad:
        invite(company, buyer, email="not an address")
    assert "email" in bad.value.message_dict
    with pytest.raises(ValidationError, match="already a member"):
        invite(company, buyer, email=buyer.email.upper())
    with pytest.raises(PermissionDenied):
        invite(company, other_buyer)
    with pytest.raises(PermissionDenied):
        invite(company, outsider)
    assert not BuyerInvitation.objects.exists()


def test_two_companies_may_invite_the_same_address(buyer, company, other_buyer):
    invite(company, buyer)
    invite(other_buyer.buyer_membership.company, other_buyer)
    assert BuyerInvitation.objects.filter(email="colleague@example.test").count() == 2


# --- join and accept -------------------------------------------------------------------------------


def test_a_new_person_joins_with_name_and_password_as_an_active_member(buyer, company):
    invitation = invite(company, buyer)
    user = buyer_invitation_join(invitation=invitation, full_name="Mia de Vries", password=PASSWORD)
    assert user.is_active and user.role == User.Role.BUYER and user.email == "colleague@example.test"
    assert user.check_password(PASSWORD) and user.full_name == "Mia de Vries"
    assert user.buyer_membership.company == company
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None


def test_joining_checks_name_and_password_and_refuses_an_address_with_an_account(buyer, company):
    invitation = invite(company, buyer)
    with pytest.raises(ValidationError) as errors:
        buyer_invitation_join(invitation=invitation, full_name=" ", password="123")
    assert set(errors.value.message_dict) == {"full_name", "password"}
    f.UserFactory(email="colleague@example.test")
    with pytest.raises(ApplicationError, match="already exists"):
        buyer_invitation_join(invitation=invitation, full_name="Mia", password=PASSWORD)
    assert BuyerMember.objects.filter(company=company).count() == 1


def test_a_signed_in_user_with_the_invited_address_joins_with_one_click(buyer, company):
    person = f.UserFactory(email="colleague@example.test", role=User.Role.BUYER)
    invitation = invite(company, buyer)
    member = buyer_invitation_accept(invitation=invitation, user=person)
    assert member.company == company and member.user == person
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


@pytest.mark.parametrize(
    "who, reason",
    [
        ("other_address", "another email address"),
        ("member_elsewhere", "already buys for another company"),
        ("supplier", "acts for a supplier"),
        ("operator", "belt operator or to platform staff"),
    ],
)
def test_accept_refuses_the_wrong_person_with_a_clear_reason(who, reason, buyer, company, other_buyer, belt):
    if who == "other_address":
        person, email = f.UserFactory(role=User.Role.BUYER), "colleague@example.test"
    elif who == "member_elsewhere":
        person = other_buyer
    elif who == "supplier":
        person = f.SupplierMemberFactory().user
    else:
        person = f.BeltOperatorFactory(belt=belt).user
    email = "colleague@example.test" if who == "other_address" else person.email
    invitation = invite(company, buyer, email=email)
    with pytest.raises(ApplicationError, match=reason):
        buyer_invitation_accept(invitation=invitation, user=person)
    assert not BuyerMember.objects.filter(company=company, user=person).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_used_and_withdrawn_invitations_are_refused(buyer, company):
    expired = invite(company, buyer, email="late@example.test")
    expire(expired)
    with pytest.raises(ApplicationError, match="expired"):
        buyer_invitation_join(invitation=expired, full_name="Late", password=PASSWORD)
    used = invite(company, buyer, email="used@example.test")
    buyer_invitation_join(invitation=used, full_name="First", password=PASSWORD)
    with pytest.raises(ApplicationError, match="already been used"):
        buyer_invitation_accept(invitation=used, user=User.objects.get(email="used@example.test"))
    gone = invite(company, buyer, email="gone@example.test")
    buyer_invitation_withdraw(company=company, actor=buyer, invitation=gone)
    with pytest.raises(ApplicationError, match="withdrawn"):
        buyer_invitation_join(invitation=gone, full_name="Gone", password=PASSWORD)
    assert not User.objects.filter(email__in=["late@example.test", "gone@example.test"]).exists()


# --- withdraw and remove ---------------------------------------------------------------------------


def test_withdraw_is_for_members_only_and_not_for_an_accepted_invitation(buyer, company, other_buyer):
    invitation = invite(company, buyer)
    with pytest.raises(PermissionDenied):
        buyer_invitation_withdraw(company=company, actor=other_buyer, invitation=invitation)
    # Another company's member naming its own company with our invitation changes nothing either.
    buyer_invitation_withdraw(company=other_buyer.buyer_membership.company, actor=other_buyer, invitation=invitation)
    assert BuyerInvitation.objects.filter(pk=invitation.pk).exists()
    buyer_invitation_join(invitation=invitation, full_name="Mia", password=PASSWORD)
    with pytest.raises(ApplicationError, match="already been accepted"):
        buyer_invitation_withdraw(company=company, actor=buyer, invitation=invitation)
    open_one = invite(company, buyer, email="later@example.test")
    buyer_invitation_withdraw(company=company, actor=buyer, invitation=open_one)
    buyer_invitation_withdraw(company=company, actor=buyer, invitation=open_one)  # twice: nothing more
    assert not BuyerInvitation.objects.filter(pk=open_one.pk).exists()


def test_a_member_removes_another_but_never_the_last_one(buyer, company, other_buyer):
    colleague = f.BuyerMemberFactory(company=company)
    with pytest.raises(PermissionDenied):
        buyer_member_remove(company=company, actor=other_buyer, member=colleague)
    buyer_member_remove(company=company, actor=buyer, member=colleague)
    assert list(BuyerMember.objects.filter(company=company).values_list("user", flat=True)) == [buyer.pk]
    assert User.objects.filter(pk=colleague.user_id, is_active=True).exists()  # the account stays
    me = buyer.buyer_membership
    with pytest.raises(ApplicationError, match="at least one member"):
        buyer_member_remove(company=company, actor=buyer, member=me)
    assert BuyerMember.objects.filter(pk=me.pk).exists()


def test_a_member_may_leave_while_others_remain(buyer, company):
    colleague = f.BuyerMemberFactory(company=company)
    buyer_member_remove(company=company, actor=buyer, member=buyer.buyer_membership)
    assert list(BuyerMember.objects.filter(company=company)) == [colleague]


def test_remove_never_touches_another_companys_member(buyer, company, other_buyer):
    f.BuyerMemberFactory(company=company)
    theirs = other_buyer.buyer_membership
    f.BuyerMemberFactory(company=theirs.company)
    buyer_member_remove(company=company, actor=buyer, member=theirs)
    assert BuyerMember.objects.filter(pk=theirs.pk).exists()


# --- races -----------------------------------------------------------------------------------------


def _run_together(*targets):
    failures: list[Exception] = []

    def run(target):
        try:
            target()
        except Exception as exc:  # reported by the test
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return failures


@pytest.mark.django_db(transaction=True)
def test_one_invitation_accepted_twice_at_once_makes_one_member(monkeypatch):
    """Two tabs click "Join" at the same moment. The check of the person is slowed down so both would
    pass it without the row lock; with it, the second waits and finds the invitation used."""
    company = f.BuyerCompanyFactory()
    inviter = f.BuyerMemberFactory(company=company).user
    person = f.UserFactory(email="colleague@example.test", role=User.Role.BUYER)
    invitation = invite(company, inviter)
    real = services_team.buyer_invitation_refusal

    def slow(**kwargs):
        time.sleep(0.4)
        return real(**kwargs)

    monkeypatch.setattr(services_team, "buyer_invitation_refusal", slow)
    accept = lambda: buyer_invitation_accept(invitation=invitation, user=person)  # noqa: E731
    failures = _run_together(accept, accept)
    assert len(failures) == 1 and isinstance(failures[0], ApplicationError)
    assert "already been used" in failures[0].message
    assert BuyerMember.objects.filter(user=person).count() == 1
    assert BuyerMember.objects.filter(company=company).count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_invitation_used_by_two_new_sign_ups_at_once_makes_one_account(monkeypatch):
    company = f.BuyerCompanyFactory()
    inviter = f.BuyerMemberFactory(company=company).user
    invitation = invite(company, inviter)
    real = services_team.validate_password

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(services_team, "validate_password", slow)
    join = lambda: buyer_invitation_join(invitation=invitation, full_name="Mia", password=PASSWORD)  # noqa: E731
    failures = _run_together(join, join)
    assert len(failures) == 1 and isinstance(failures[0], ApplicationError)
    assert User.objects.filter(email="colleague@example.test").count() == 1
    assert BuyerMember.objects.filter(company=company).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_members_removing_each_other_at_once_leave_one(monkeypatch):
    """Alice removes Bob while Bob removes Alice. Both would count two members without the company lock
    (slowed down after taking it); with it, the second finds its actor gone and the company keeps one."""
    company = f.BuyerCompanyFactory()
    alice, bob = f.BuyerMemberFactory(company=company), f.BuyerMemberFactory(company=company)
    real = services_team._lock_company_of_member

    def slow(**kwargs):
        locked = real(**kwargs)
        time.sleep(0.4)
        return locked

    monkeypatch.setattr(services_team, "_lock_company_of_member", slow)
    failures = _run_together(
        lambda: buyer_member_remove(company=company, actor=alice.user, member=bob),
        lambda: buyer_member_remove(company=company, actor=bob.user, member=alice),
    )
    assert BuyerMember.objects.filter(company=company).count() == 1
    assert len(failures) == 1 and isinstance(failures[0], (ApplicationError, PermissionDenied))
