"""Sign-in, sign-out, buyer sign-up with email confirmation, password reset, the dashboard switch.

Sign-up and password reset must answer the same whether or not an address has an account
(RELIABILITY.md, user enumeration); activation links are bound to one user and used once.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from buyers.models import BuyerCompany, BuyerMember
from marketplace.mail.models import OutboundMail
from tests import factories as f
from tests.conftest import client_for

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Tulip-Freight-Harbour-42"


def _signup_data(**overrides) -> dict[str, str]:
    return {
        "full_name": "Anna de Vries",
        "email": "anna@tulip-imports.test",
        "company_name": "Tulip Imports B.V.",
        "country": "NL",
        "business_type": "importer",
        "password": NEW_PASSWORD,
        **overrides,
    }


def _normalised(html: str, email: str) -> str:
    """The page without what differs on every request: the address typed, CSRF tokens, CSP nonces."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", html)


def _pages(response) -> list[str]:
    """The HTML templates a response rendered (emails rendered on the way are left out)."""
    return [t.name for t in response.templates if t.name.endswith(".html") and "/partials/" not in t.name]


def _link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


# --- Sign in, sign out ----------------------------------------------------------------------------


def test_login_page_answers_200(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_with_email_and_password_redirects_to_the_dashboard(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(buyer.pk)


@pytest.mark.parametrize("typed", ["Anna@Tulip-Imports.test", "ANNA@TULIP-IMPORTS.TEST", "anna@tulip-imports.test"])
def test_login_accepts_the_email_in_any_case(client, db, typed):
    # Addresses are stored lower-cased (sign-up form and UserManager), so what people type must be too:
    # someone who signed up as "Anna@Tulip-Imports.test" signs in with exactly that.
    user = User.objects.create_user(email="Anna@Tulip-Imports.test", password=PASSWORD)
    assert user.email == "anna@tulip-imports.test"
    response = client.post(reverse("accounts:login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302, "sign-in refused for " + typed
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_wrong_password_shows_an_error_and_keeps_the_email(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": "wrong-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct email address and password" in html
    assert f'value="{buyer.email}"' in html
    assert "wrong-password" not in html
    assert "_auth_user_id" not in client.session


def test_login_of_an_unconfirmed_account_is_refused(client, db):
    user = f.UserFactory(is_active=False)
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_by_post_signs_out(buyer):
    client = client_for(buyer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:home")
    assert "_auth_user_id" not in client.session


def test_logout_by_get_is_refused_and_keeps_the_session(buyer):
    client = client_for(buyer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(buyer.pk)


# --- Buyer sign-up and activation -----------------------------------------------------------------


def test_signup_page_answers_200(client, db):
    response = client.get(reverse("buyers:signup"))
    assert response.status_code == 200
    assert 'name="company_name"' in response.content.decode()


def test_signup_creates_an_inactive_buyer_with_company_and_emails_an_activation_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("buyers:signup"), _signup_data(email="Anna@Tulip-Imports.test"))

    assert response.status_code == 200
    assert _pages(response) == ["buyers/signup_sent.html", "base.html"]
    user = User.objects.get(email="anna@tulip-imports.test")
    assert user.is_active is False
    assert user.role == User.Role.BUYER
    assert user.full_name == "Anna de Vries"
    assert user.check_password(NEW_PASSWORD)
    member = BuyerMember.objects.select_related("company").get(user=user)
    assert member.company.name == "Tulip Imports B.V."
    assert member.company.country == "NL"
    assert member.company.business_type == BuyerCompany.BusinessType.IMPORTER

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@tulip-imports.test"]
    assert _link_in(message).startswith("/accounts/activate/")
    assert "_auth_user_id" not in client.session  # not signed in before confirming


def test_signup_email_is_sent_only_after_commit(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("buyers:signup"), _signup_data())
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_signup_refuses_fields_it_does_not_list(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("buyers:signup"), _signup_data(is_staff="on", is_active="on", role="operator"))
    user = User.objects.get(email="anna@tulip-imports.test")
    assert (user.is_staff, user.is_superuser, user.is_active, user.role) == (False, False, False, User.Role.BUYER)


def test_following_the_activation_link_activates_and_signs_in(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("buyers:signup"), _signup_data())
    link = _link_in(mail.outbox[0])

    response = client.get(link, follow=True)

    user = User.objects.get(email="anna@tulip-imports.test")
    assert user.is_active is True
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[0] == (reverse("dashboard"), 302)
    assert response.request["PATH_INFO"] == reverse("buyers:dashboard")
    assert response.status_code == 200
    assert "Your email address is confirmed" in response.content.decode()


def test_a_used_activation_link_answers_400(db, django_capture_on_commit_callbacks):
    first, second = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        first.post(reverse("buyers:signup"), _signup_data())
    link = _link_in(mail.outbox[0])
    assert first.get(link).status_code == 302

    response = second.get(link)

    assert response.status_code == 400
    assert "This link no longer works" in response.content.decode()
    assert "_auth_user_id" not in second.session


def test_a_forged_activation_link_answers_400_and_activates_nobody(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("buyers:signup"), _signup_data())
    link = _link_in(mail.outbox[0])
    _, _, _, uid, token, _ = link.split("/")
    victim = f.UserFactory(is_active=False)

    victim_uid = urlsafe_base64_encode(force_bytes(victim.pk))
    for forged in (
        reverse("accounts:activate", args=[uid, token[:-1] + ("a" if token[-1] != "a" else "b")]),
        reverse("accounts:activate", args=[victim_uid, token]),  # a real token, another user
        reverse("accounts:activate", args=["bm90LWEtbnVtYmVy", token]),  # uid that is not a number
        reverse("accounts:activate", args=[uid, "1-abc"]),
    ):
        assert client.get(forged).status_code == 400, forged

    assert User.objects.filter(is_active=False).count() == 2
    assert "_auth_user_id" not in client.session


def test_a_password_reset_token_does_not_activate(client, db):

    user = f.UserFactory(is_active=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(reverse("accounts:activate", args=[uid, default_token_generator.make_token(user)]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.is_active is False


def test_signup_with_a_registered_email_answers_the_same_and_emails_the_owner_instead(
    buyer, django_capture_on_commit_callbacks
):
    new_email = "someone.new@example.test"
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Client().post(reverse("buyers:signup"), _signup_data(email=new_email))
    mail.outbox.clear()
    users, companies, members = User.objects.count(), BuyerCompany.objects.count(), BuyerMember.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(reverse("buyers:signup"), _signup_data(email=buyer.email.upper()))

    assert known.status_code == fresh.status_code == 200
    assert _pages(known) == _pages(fresh) == ["buyers/signup_sent.html", "base.html"]
    assert _normalised(known.content.decode(), buyer.email) == _normalised(fresh.content.decode(), new_email)
    assert (User.objects.count(), BuyerCompany.objects.count(), BuyerMember.objects.count()) == (
        users,
        companies,
        members,
    )
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)  # the stranger's password did not replace the owner's
    assert buyer.full_name != "Anna de Vries"
    [message] = mail.outbox
    assert message.to == [buyer.email]
    assert "/accounts/activate/" not in message.body
    assert "/accounts/password-reset/" in message.body


def test_bad_signup_re_renders_with_messages_and_keeps_what_was_typed(client, db, django_capture_on_commit_callbacks):
    data = _signup_data(password="short", company_name="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("buyers:signup"), data)

    assert response.status_code == 200
    assert _pages(response)[0] == "buyers/signup.html"
    html = response.content.decode()
    assert "This password is too short" in html
    assert "This field is required." in html
    assert 'value="anna@tulip-imports.test"' in html
    assert 'value="Anna de Vries"' in html
    assert "short" not in re.findall(r'name="password"[^>]*', html)[0]  # never echo a password
    assert not User.objects.exists()
    assert not BuyerCompany.objects.exists()
    assert mail.outbox == []


def test_bad_signup_keeps_the_company_name_when_only_the_password_is_wrong(client, db):
    response = client.post(reverse("buyers:signup"), _signup_data(password="12345678"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tulip Imports B.V."' in html
    assert "This password is entirely numeric" in html
    assert not User.objects.exists()


def test_signup_page_sends_a_signed_in_user_to_the_dashboard(buyer):
    response = client_for(buyer).get(reverse("buyers:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


# --- Password reset -------------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_emails_and_mails_only_the_known(
    buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the reset email leaves through the outbox
        known = Client().post(reverse("accounts:password_reset"), {"email": buyer.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [buyer.email]
    assert "/accounts/password-reset/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        unknown = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})

    assert len(mail.outbox) == 1
    assert OutboundMail.objects.filter(kind="password_reset").count() == 1
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")


def test_password_reset_link_lets_the_owner_choose_a_new_password(client, buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    link = _link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)


# --- The dashboard switch -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("buyer", "/dashboard/buyer/"),
        ("supplier_member", "/dashboard/supplier/"),
        ("operator", "/dashboard/belt/"),
        ("staff", "/admin/"),
    ],
)
def test_dashboard_sends_each_role_to_its_own_dashboard(request, who, target):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == target


def test_dashboard_sends_anonymous_to_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/dashboard/"


def test_each_dashboard_opens_for_its_own_role(buyer, supplier_member, operator):
    assert client_for(buyer).get("/dashboard/buyer/").status_code == 200
    assert client_for(supplier_member).get("/dashboard/supplier/").status_code == 200
    assert client_for(operator).get("/dashboard/belt/").status_code == 200
