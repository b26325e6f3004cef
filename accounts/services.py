"""Writes to accounts: email confirmation."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User
from .tokens import activation_token


def user_send_activation(*, user: User, base_url: str) -> None:
    """Email `user` a link that confirms the address and activates the account."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = base_url + reverse("accounts:activate", args=[uid, activation_token.make_token(user)])
    body = render_to_string("emails/activate.txt", {"user": user, "link": link})
    transaction.on_commit(lambda: send_mail(_("Confirm your email address"), body, None, [user.email]))


def user_send_already_registered(*, email: str, base_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it."""
    body = render_to_string(
        "emails/already_registered.txt",
        {"login": base_url + reverse("accounts:login"), "reset": base_url + reverse("accounts:password_reset")},
    )
    transaction.on_commit(lambda: send_mail(_("You already have an account"), body, None, [email]))


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate the account of a confirmed address (idempotent)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
