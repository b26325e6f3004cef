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
