from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.i18n import COUNTRY_CHOICES

from .models import BuyerCompany


class BuyerSignUpForm(forms.Form):
    """Sign-up of a buying company and its first member. Fields are listed, never inferred."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Work email"))
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "---------"), *COUNTRY_CHOICES])
    business_type = forms.ChoiceField(label=_("Business type"), choices=BuyerCompany.BusinessType.choices)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_email(self) -> str:
        # No "already registered" error here: that would tell strangers who has an account.
        # The service emails the owner of a known address instead (RELIABILITY.md, enumeration).
        return self.cleaned_data["email"].lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


ATTACHMENT_HELP = _("Optional. A picture (JPEG, PNG, WebP) or a PDF, up to 15 MB.")


class InquiryStartForm(forms.Form):
    """The first message to a supplier. Who, to whom and about what come from the URL, not the form."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Quantities, specifications, target price, destination port: the more the supplier knows, "
            "the better the answer."
        ),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)


class InquiryReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)


def add_service_errors(form: forms.Form, exc: Exception) -> None:
    """Show a service's ValidationError / ApplicationError on the form, field by field where it says."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, getattr(exc, "message", str(exc)))


# --- the company's team ----------------------------------------------------------------------------


class TeamInviteForm(forms.Form):
    """Invite a colleague. The company and the inviter come from the signed-in member, not the form."""

    email = forms.EmailField(label=_("Colleague's email"), max_length=254)
    full_name = forms.CharField(label=_("Colleague's name"), max_length=150, required=False)


class TeamJoinForm(forms.Form):
    """A person without an account joins by an invitation: the address comes from the invitation."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


# --- the company's addresses -----------------------------------------------------------------------


class CompanyAddressForm(forms.Form):
    """A saved address of the company (buyers.services.addresses checks it again and keeps one default
    shipping and one billing address). The company comes from the signed-in member, not the form."""

    label = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("For example “Rotterdam warehouse” or “Head office”.")
    )
    recipient = forms.CharField(label=_("For the attention of"), max_length=120, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Street, building, postcode and city, as a carrier should print it."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "---------"), *COUNTRY_CHOICES])
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_default = forms.BooleanField(label=_("Default shipping address"), required=False)
    is_billing = forms.BooleanField(
        label=_("Billing address"), required=False, help_text=_("Printed as “bill to” on your purchase orders.")
    )
