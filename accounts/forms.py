from typing import Any

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, PasswordResetForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from marketplace.mail.services import mail_enqueue

from .models import ApiToken, User


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


class ApiTokenForm(forms.Form):
    """A new API token: its name, scope and optional expiry (a date: the token ends as it begins)."""

    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. your ERP."))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ_WRITE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )
