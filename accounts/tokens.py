"""Signed, expiring tokens bound to one user and one purpose."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Email-confirmation links: own salt, so a password-reset token never activates."""

    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):  # type: ignore[no-untyped-def]
        return f"{user.pk}{user.is_active}{timestamp}{user.email}"


activation_token = ActivationTokenGenerator()
