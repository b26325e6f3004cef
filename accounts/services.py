"""Writes to accounts: email confirmation, API tokens."""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import NotFoundError
from marketplace.mail.services import mail_enqueue

from .apitokens import api_token_digest
from .models import ApiToken, User
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


# ---- API tokens --------------------------------------------------------------------------------

TOKEN_PREFIX = "mkt_"  # noqa: S105  # nosec B105 (marks a key as ours in logs and scanners; not a secret)
TOKEN_SHOWN_CHARS = 12  # "mkt_" and 8 characters of the key: enough to tell a user's keys apart


@dataclass(frozen=True)
class NewApiToken:
    """A token just made, with its key: the only moment the key is known."""

    token: ApiToken
    key: str


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str = ApiToken.Scope.READ_WRITE, expires_at: datetime.datetime | None = None
) -> NewApiToken:
    """Make a named token for `user` and return it with its key (shown once, stored as a digest).
    An expiry, when given, must lie in the future."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": [_("Choose read and write or read only.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The expiry must lie in the future.")]})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=key[:TOKEN_SHOWN_CHARS],
        digest=api_token_digest(key),
        scope=scope,
        expires_at=expires_at,
    )
    return NewApiToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke one of `user`'s tokens (idempotent: a revoked token keeps its first revocation time).
    Another user's token is not found."""
    locked = ApiToken.objects.select_for_update().filter(pk=token.pk, user=user).first()
    if locked is None:
        raise NotFoundError(str(_("No such token.")))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked
