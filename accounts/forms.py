from typing import Any

from django.contrib.auth.forms import AdminUserCreationForm, PasswordResetForm, UserChangeForm

from marketplace.mail.services import mail_enqueue

from .models import User


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its email written to the outbox: a mail server that is down
    neither fails the page nor loses the link (the sweep sends it later)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        mail_enqueue(
            to=to_email,
            template=email_template_name,
            subject_template=subject_template_name,
            html_template=html_email_template_name,
            context=context,
            kind="password_reset",
        )


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}
