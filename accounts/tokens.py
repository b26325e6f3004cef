"""Signed, expiring tokens bound to one user and one purpose."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Email-confirmation links: own salt, so a password-reset token never activates."""

    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # last_login: a link stops working once the account has been used (or re-activated).
        login_timestamp = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.is_active}{login_timestamp}{timestamp}{user.email}"


activation_token = ActivationTokenGenerator()
