"""Forms of the supplier application. Every form lists the fields it may write; none writes status or level.

The step forms validate on a copy of the supplier and never save: the view hands `application_data()`
to `services.supplier_application_update`, the one place the application is written.
"""

import copy
import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from belts.models import Belt, Category
from marketplace.numbers import AsciiIntegerField, ascii_formfield

from ..models import ProductionSite, Supplier, SupplierDocument
from ..services.application import APPLICATION_FIELDS
from ..validators import uscc_clean

MAX_PHOTOS_PER_UPLOAD = 10


class SupplierSignUpForm(forms.Form):
    """Sign-up of a manufacturing company's first member. Fields are listed, never inferred."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Work email"))
    company_name = forms.CharField(
        label=_("Company name (English)"),
        max_length=200,
        help_text=_("The legal name as on your business licence; you can change it in the application."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_email(self) -> str:
        # No "already registered" error here: that would tell strangers who has an account.
        # The service emails the owner of a known address instead (RELIABILITY.md, enumeration).
        return self.cleaned_data["email"].lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class ApplicationStepForm(forms.ModelForm):
    """One step of the application wizard, shown read-only once the application cannot change."""

    def __init__(self, *args: Any, supplier: Supplier, read_only: bool = False, **kwargs: Any) -> None:
        # Validate on a copy: a form with errors must not leave what was typed on the supplier
        # the rest of the page shows (its name in the header, the step indicator).
        # mypy cannot tell that *args never holds the instance as well.
        super().__init__(*args, instance=copy.copy(supplier), **kwargs)  # type: ignore[misc]
        self.supplier = supplier
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def application_data(self) -> dict[str, Any]:
        """What the service may write: this step's fields, and only application fields."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or () if name in APPLICATION_FIELDS}


class CompanyForm(ApplicationStepForm):
    # Wider than the 18 stored characters: people paste "9142 0100 …" with spaces; we compact it.
    uscc = forms.CharField(
        label=_("Unified social credit code (USCC)"),
        max_length=40,
        required=False,
        help_text=_("18 characters, as printed on your business licence (统一社会信用代码)."),
    )
    year_founded = AsciiIntegerField(label=_("Year founded"), required=False, min_value=1800)

    class Meta:
        model = Supplier
        fields = (
            "name_en", "name_zh", "uscc", "legal_representative", "business_type",
            "year_founded", "staff_count", "factory_area_m2", "description_en", "description_zh",
        )  # fmt: skip
        formfield_callback = ascii_formfield  # the model's number fields refuse digits other than 0-9
        widgets = {
            "business_type": forms.RadioSelect,
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A draft may be saved half filled; `application_missing` says what submission needs.
        self.fields["name_zh"].required = False
        # This year, worked out per request rather than once at import.
        this_year = timezone.localdate().year
        self.fields["year_founded"].validators.append(MaxValueValidator(this_year))
        self.fields["year_founded"].widget.attrs["max"] = this_year

    def clean_uscc(self) -> str:
        return uscc_clean(self.cleaned_data.get("uscc") or "", supplier=self.supplier)


class LocationForm(ApplicationStepForm):
    class Meta:
        model = Supplier
        fields = ("registered_address", "province", "city_en", "city_zh")


class ProductionSiteForm(forms.ModelForm):
    """A production site to add; handed to `services.production_site_add`, never saved here."""

    class Meta:
        model = ProductionSite
        fields = ("name", "address", "province", "city", "products")

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def has_input(self) -> bool:
        """Whether anything was typed into it (an empty site form next to "Save" is not an error)."""
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields)

    def site_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class BeltForm(ApplicationStepForm):
    belt = forms.ModelChoiceField(
        label=_("Belt to join"), queryset=Belt.objects.none(), required=False, widget=forms.RadioSelect
    )
    main_categories = forms.ModelMultipleChoiceField(
        label=_("Main categories"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Supplier
        fields = ("belt", "main_categories")

    def __init__(self, *args: Any, belts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["belt"]).queryset = belts

    def categories(self) -> list[Category]:
        return list(self.cleaned_data["main_categories"])


class ContactForm(ApplicationStepForm):
    class Meta:
        model = Supplier
        fields = ("contact_name", "contact_email", "contact_phone", "phone", "website")


class _DocumentForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.FileField):
                # A hint for the file picker only; the server checks the content (marketplace.uploads).
                field.widget.attrs["accept"] = "application/pdf,image/jpeg,image/png,image/webp"


class LicenceForm(_DocumentForm):
    upload = forms.FileField(
        label=_("Business licence (营业执照)"),
        help_text=_("A scan or a clear photo: PDF, JPEG, PNG or WebP."),
    )


class CertificateForm(_DocumentForm):
    upload = forms.FileField(label=_("Certificate file"), help_text=_("PDF, JPEG, PNG or WebP."))
    standard = forms.ChoiceField(label=_("Standard"), choices=[("", "---------"), *SupplierDocument.Standard.choices])
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("valid_until", _("The end of validity comes before its start."))
        return cleaned

    def certificate_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("standard", "number", "issuer", "valid_from", "valid_until")}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each one is cleaned (and later checked by content) on its own."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        clean_one = super().clean
        return [clean_one(f, initial) for f in files]


class PhotosForm(_DocumentForm):
    uploads = MultipleFileField(label=_("Factory photos"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["uploads"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        # Formatted here, in the language of the request, not once at import.
        self.fields["uploads"].help_text = gettext(
            "Workshops, production lines, the building: JPEG, PNG or WebP, up to %(n)s at a time."
        ) % {"n": MAX_PHOTOS_PER_UPLOAD}

    def clean_uploads(self) -> list[UploadedFile]:
        files = self.cleaned_data["uploads"]
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(n)s photos at a time."), code="too_many", params={"n": MAX_PHOTOS_PER_UPLOAD}
            )
        for upload in files:
            # The document checker also takes PDFs; a photo must be a picture.
            upload.seek(0)
            if upload.read(5) == b"%PDF-":
                raise ValidationError(
                    _("%(name)s is a PDF. Factory photos must be JPEG, PNG or WebP images."),
                    code="not_an_image",
                    params={"name": upload.name},
                )
            upload.seek(0)
        return files
