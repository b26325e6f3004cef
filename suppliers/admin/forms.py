"""The forms of the decision pages: what staff give with each decision."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.bounds import INTEGER_MAX
from marketplace.numbers import AsciiIntegerField

from ..models import AuditChecklist, AuditPointResult
from ..services import CERTIFICATION_VALIDITY


def _default_valid_until() -> datetime.date:
    return timezone.localdate() + CERTIFICATION_VALIDITY


class ValidUntilField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Valid until"),
            initial=_default_valid_until,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("The certificate runs until this date (by default a year from today)."),
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value <= timezone.localdate():
            raise ValidationError(_("Choose a date after today."), code="past")


def certify_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Why this level: it is kept on record with the decision."),
    )


def manufacturing_scope_field() -> forms.CharField:
    return forms.CharField(
        label=_("Manufacturing confirmed against the licence"),
        max_length=180,
        required=False,
        help_text=_(
            "For the origin levels: copy the part of the business licence's scope that covers manufacturing. "
            "It is kept as evidence; a trading company cannot be certified at an origin level."
        ),
    )


class FourEyesFields(forms.Form):
    """Overriding a failed automatic check: the reason, and a second person who signs in here to approve."""

    override_reason = forms.CharField(
        label=_("Reason for overriding failed checks"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Only when an automatic check failed: why the decision stands anyway."),
    )
    second_person_email = forms.EmailField(
        label=_("Second person: email"),
        required=False,
        help_text=_("Another staff member, or the belt operator who recommended this level, approves by signing in."),
    )
    second_person_password = forms.CharField(
        label=_("Second person: password"), required=False, widget=forms.PasswordInput(render_value=False)
    )

    def second_person(self, request: Any) -> Any:
        """The approving user, signed in with their own password; None when none was given."""
        from django.contrib.auth import authenticate

        email = self.cleaned_data.get("second_person_email")
        if not email:
            return None
        user = authenticate(request, username=email, password=self.cleaned_data.get("second_person_password") or "")
        if user is None:
            raise ValidationError(_("The second person's email or password is wrong."), code="second_person")
        return user


class CertifyForm(FourEyesFields):
    valid_until = ValidUntilField()
    reason = certify_reason_field()
    manufacturing_scope = manufacturing_scope_field()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("The supplier reads this by email; it is kept on record with the decision."),
    )


class RequestInfoForm(forms.Form):
    message = forms.CharField(
        label=_("What the supplier should add or fix"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("The supplier reads this by email and can change the application again."),
    )


class AuditedFactoryForm(FourEyesFields):
    checklist = forms.ModelChoiceField(queryset=AuditChecklist.objects.all(), widget=forms.HiddenInput)
    # The version the page showed: if an admin edits the checklist meanwhile, the auditor looks again.
    checklist_version = AsciiIntegerField(widget=forms.HiddenInput, min_value=1, max_value=INTEGER_MAX)
    audit_report = forms.FileField(
        label=_("Audit report"),
        help_text=_("PDF or image (JPEG, PNG, WebP). If the page comes back with an error, choose the file again."),
    )
    valid_until = ValidUntilField()
    reason = certify_reason_field()
    manufacturing_scope = manufacturing_scope_field()


class AuditReportReplaceForm(forms.Form):
    audit_report = forms.FileField(
        label=_("New audit report"),
        help_text=_("PDF or image (JPEG, PNG, WebP). It is checked before anyone can open it."),
    )


class AuditPointForm(forms.Form):
    code = forms.SlugField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("outcome"), choices=AuditPointResult.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), max_length=300, required=False, widget=forms.TextInput(attrs={"size": 40}))


AuditPointFormSet = forms.formset_factory(AuditPointForm, extra=0)
