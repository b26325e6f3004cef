"""Forms of the belt-operator pages: the invitation upload, the recommendation, brand licences."""

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belts.models import Category

from ..models import BrandLicence, CertificationLevel, Supplier


class InvitationImportForm(forms.Form):
    """A CSV file; the request checks its size and that it is text, the import job reads its rows."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns company, contact, email; UTF-8 or GBK; at most 1 MB and 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )


class RecommendationForm(forms.Form):
    """An operator recommends certifying at a level or rejecting, and says why."""

    DECISIONS = [("certify", _("Certify")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Recommendation"), choices=DECISIONS, widget=forms.RadioSelect)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", "---------"), *(c for c in CertificationLevel.choices if c[0] != CertificationLevel.NONE)],
        help_text=_("The level you recommend when you recommend certifying."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you know of the company: the platform's certification staff read it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "certify" and not data.get("level"):
            self.add_error("level", _("Choose the level you recommend."))
        if data.get("decision") == "reject":
            data["level"] = ""
        return data


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO, as a date input reads and sends it


def _scope_queryset(scope: list[Category]) -> QuerySet[Category]:
    return (
        Category.objects.filter(pk__in=[c.pk for c in scope])
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "name_en")
    )


class _CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent is not None else str(obj.name)


class BrandLicenceGrantForm(forms.Form):
    """A belt operator licenses a certified member to use the regional brand or a geographical
    indication: the member, the scope, the period and the licence document (checked in the worker)."""

    supplier = forms.ModelChoiceField(label=_("Member"), queryset=Supplier.objects.none())
    kind = forms.ChoiceField(label=_("Licence for"), choices=BrandLicence.Kind.choices, initial="regional_brand")
    mark_en = forms.CharField(
        label=_("Geographical indication (English)"),
        max_length=120,
        required=False,
        help_text=_("Only for a geographical indication; a regional-brand licence uses the belt's brand."),
    )
    mark_zh = forms.CharField(label=_("Geographical indication (Chinese)"), max_length=120, required=False)
    categories = _CategoryChoice(
        label=_("Scope"),
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The member's listings in these categories (or their subcategories) carry the mark."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    document = forms.FileField(
        label=_("Licence document"),
        help_text=_("The signed licence: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, members: QuerySet[Supplier], scope: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["supplier"]).queryset = members
        cast(forms.ModelMultipleChoiceField, self.fields["categories"]).queryset = _scope_queryset(scope)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["valid_until"].initial = timezone.localdate() + datetime.timedelta(days=365)


class BrandLicenceRenewForm(forms.Form):
    """A new end date, optionally a new scope and document."""

    valid_until = forms.DateField(label=_("New end date"), widget=DATE)
    categories = _CategoryChoice(
        label=_("Scope"), queryset=Category.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    document = forms.FileField(
        label=_("New licence document"),
        required=False,
        help_text=_("Optional: the renewed licence, PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, scope: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["categories"]).queryset = _scope_queryset(scope)


class BrandLicenceRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the licence is withdrawn: kept on record and shown to the member."),
    )
