"""Writes to accounts: email confirmation."""

from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from marketplace.mail.services import mail_enqueue

from .models import User
from .tokens import activation_token


def user_send_activation(*, user: User, base_url: str) -> None:
    """Email `user` a link that confirms the address and activates the account (outbox: written
    with the account, sent after commit), in the language of the sign-up."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = base_url + reverse("accounts:activate", args=[uid, activation_token.make_token(user)])
    mail_enqueue(
        to=user.email,
        template="emails/activate.txt",
        context={"user": user, "link": link},
        subject=_("Confirm your email address"),
        kind="account_activation",
    )


def user_send_already_registered(*, email: str, base_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it (outbox, after commit)."""
    mail_enqueue(
        to=email,
        template="emails/already_registered.txt",
        context={"login": base_url + reverse("accounts:login"), "reset": base_url + reverse("accounts:password_reset")},
        subject=_("You already have an account"),
        kind="account_already_registered",
    )


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate the account of a confirmed address (idempotent)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
