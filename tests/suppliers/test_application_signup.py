"""Supplier sign-up at /apply/: an inactive account, a draft application, an activation email.

Sign-up answers the same for known and unknown addresses (RELIABILITY.md, enumeration), and
starting an application is a POST: a GET that any page can trigger never turns an account into
a supplier's.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from suppliers.models import Invitation, Supplier, SupplierMember
from tests import factories as f
from tests.conftest import client_for

from .factories import DraftSupplierFactory, InvitationFactory, applicant

APPLY = "/apply/"
PASSWORD = "Silk-Road-Looms-2024"


def _signup(**overrides) -> dict[str, str]:
    return {
        "full_name": "Chen Jie",
        "email": "chen@shishi-looms.test",
        "company_name": "Shishi Looms Co., Ltd.",
        "password": PASSWORD,
        **overrides,
    }


def _link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _normalised(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    html = re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", html)


def test_urls():
    assert reverse("suppliers:apply") == APPLY
    assert reverse("suppliers:apply_invited", args=["abc"]) == "/apply/invite/abc/"
    assert reverse("suppliers:apply_step", args=["company"]) == "/apply/company/"
    assert reverse("suppliers:apply_submit") == "/apply/submit/"


def test_anonymous_sees_the_sign_up_form(client, db):
    response = client.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("full_name", "email", "company_name", "password"):
        assert f'name="{name}"' in html


def test_sign_up_creates_an_inactive_supplier_account_a_draft_and_sends_the_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, _signup())
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()

    user = User.objects.get(email="chen@shishi-looms.test")
    assert (user.is_active, user.role, user.full_name) == (False, User.Role.SUPPLIER, "Chen Jie")
    supplier = Supplier.objects.get(members__user=user)
    assert supplier.status == Supplier.Status.DRAFT
    assert supplier.name_en == "Shishi Looms Co., Ltd."
    assert supplier.contact_email == "chen@shishi-looms.test"
    assert SupplierMember.objects.get(user=user).role == SupplierMember.Role.OWNER
    [message] = mail.outbox
    assert message.to == ["chen@shishi-looms.test"]
    assert "/accounts/activate/" in _link_in(message)
    assert "_auth_user_id" not in client.session  # not signed in until the address is confirmed


def test_activation_lands_on_the_supplier_dashboard_with_the_draft(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, _signup())
    response = client.get(_link_in(mail.outbox[0]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("suppliers:dashboard")
    html = response.content.decode()
    assert "Shishi Looms Co., Ltd." in html
    assert 'data-testid="continue-application"' in html
    # ... and /apply/ now takes the member to the first step still missing something.
    assert client.get(APPLY)["Location"] == reverse("suppliers:apply_step", args=["company"])


def test_sign_up_with_a_known_address_answers_the_same_and_creates_nothing(
    client, db, django_capture_on_commit_callbacks
):
    known = f.UserFactory(email="taken@shishi-looms.test", role=User.Role.BUYER)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(APPLY, _signup(email="fresh@shishi-looms.test"))
        again = client.post(APPLY, _signup(email="taken@shishi-looms.test"))
    assert again.status_code == fresh.status_code == 200
    assert _normalised(again.content.decode(), "taken@shishi-looms.test") == _normalised(
        fresh.content.decode(), "fresh@shishi-looms.test"
    )
    known.refresh_from_db()
    assert known.role == User.Role.BUYER
    assert not Supplier.objects.filter(members__user=known).exists()
    assert Supplier.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["fresh@shishi-looms.test"], ["taken@shishi-looms.test"]]
    assert "already have an account" in mail.outbox[1].body.lower() or "/accounts/login/" in mail.outbox[1].body


def test_sign_up_errors_keep_what_was_typed(client, db):
    response = client.post(APPLY, _signup(password="123"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shishi Looms Co., Ltd." in html
    assert "chen@shishi-looms.test" in html
    assert User.objects.count() == 0


# --- signed-in people -----------------------------------------------------------------------------


def test_signed_in_person_without_a_supplier_is_asked_before_a_draft_starts(outsider):
    client = client_for(outsider)
    response = client.get(APPLY)
    assert response.status_code == 200
    assert 'data-testid="start-application"' in response.content.decode()
    assert not Supplier.objects.filter(members__user=outsider).exists()  # a GET changes nothing

    response = client.post(APPLY)
    assert response["Location"] == reverse("suppliers:apply_step", args=["company"])
    supplier = Supplier.objects.get(members__user=outsider)
    assert supplier.status == Supplier.Status.DRAFT
    outsider.refresh_from_db()
    assert outsider.role == User.Role.SUPPLIER


@pytest.mark.parametrize("who", ["operator", "staff"])
def test_operators_and_staff_cannot_turn_their_account_into_a_suppliers(request, who):
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get(APPLY).status_code == 403
    assert client.post(APPLY).status_code == 403
    person.refresh_from_db()
    assert person.role != User.Role.SUPPLIER
    assert not Supplier.objects.filter(members__user=person).exists()


def test_member_going_to_apply_goes_to_its_application(db):
    supplier = DraftSupplierFactory(name_en="Quanzhou Knit Ltd.")
    member = applicant(supplier)
    response = client_for(member).get(APPLY)
    assert response.status_code == 302
    assert response["Location"].startswith("/apply/")
    assert Supplier.objects.count() == 1


def test_member_of_a_submitted_application_goes_to_its_read_only_review(supplier, supplier_member):
    response = client_for(supplier_member).get(APPLY)
    assert response["Location"] == reverse("suppliers:apply_step", args=["review"])


@pytest.mark.parametrize("step", ["company", "location", "belt", "documents", "contact", "review"])
def test_anonymous_is_sent_to_sign_in_from_every_step(client, db, step):
    response = client.get(f"/apply/{step}/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_signed_in_person_without_a_supplier_is_sent_from_a_step_to_the_start(outsider):
    response = client_for(outsider).get("/apply/company/")
    assert response["Location"] == APPLY
    assert not Supplier.objects.exists()


def test_unknown_step_is_404(db):
    member = applicant(DraftSupplierFactory())
    assert client_for(member).get("/apply/payment/").status_code == 404


# --- invitations ------------------------------------------------------------------------------------


def test_invitation_link_opens_the_sign_up_prefilled(client, db):
    invitation = InvitationFactory()
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    form = response.context["form"]
    assert form["full_name"].value() == "Huang Li"
    assert form["email"].value() == invitation.email
    assert form["company_name"].value() == "Shishi Seaside Garments Co., Ltd."
    html = response.content.decode()
    assert invitation.email in html
    assert invitation.belt.name_en in html


def test_sign_up_through_an_invitation_starts_the_draft_from_it(client, db, django_capture_on_commit_callbacks):
    invitation = InvitationFactory()
    data = {"full_name": "Huang Li", "email": invitation.email, "company_name": invitation.company_name}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invitation.get_absolute_url(), {**data, "password": PASSWORD})
    assert response.status_code == 200
    supplier = Supplier.objects.get(members__user__email=invitation.email)
    assert supplier.belt == invitation.belt
    assert supplier.name_en == invitation.company_name
    assert supplier.contact_name == "Huang Li"
    invitation.refresh_from_db()
    assert invitation.supplier == supplier
    assert len(mail.outbox) == 1


def test_signed_in_person_accepting_an_invitation_starts_the_draft_from_it(outsider):
    invitation = InvitationFactory()
    client = client_for(outsider)
    assert client.get(invitation.get_absolute_url()).status_code == 200
    response = client.post(invitation.get_absolute_url())
    assert response["Location"] == reverse("suppliers:apply_step", args=["company"])
    supplier = Supplier.objects.get(members__user=outsider)
    assert supplier.belt == invitation.belt
    assert Invitation.objects.get(pk=invitation.pk).supplier == supplier


def test_unknown_invitation_token_is_404(client, db):
    assert client.get("/apply/invite/not-a-real-token/").status_code == 404
    assert client.post("/apply/invite/not-a-real-token/", _signup()).status_code == 404
    assert not User.objects.exists()


def test_used_invitation_does_not_start_a_second_application(client, db):
    invitation = InvitationFactory()
    first = DraftSupplierFactory()
    Invitation.objects.filter(pk=invitation.pk).update(supplier=first)
    response = client.post(invitation.get_absolute_url(), _signup())
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(email="chen@shishi-looms.test").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_buying_companys_person_cannot_turn_the_account_into_a_suppliers(buyer, method):
    """One account acts for one side: a buyer who opens /apply/ is told to sign up the supplier with
    another address, and a POST starts nothing (the account keeps its buyer role and company)."""
    response = getattr(client_for(buyer), method)(reverse("suppliers:apply"))
    assert response.status_code == 403
    assert "cannot also apply for a supplier" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.role == User.Role.BUYER and not SupplierMember.objects.filter(user=buyer).exists()
