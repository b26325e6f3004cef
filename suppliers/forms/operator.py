"""Forms of the belt-operator pages: the invitation upload and the recommendation."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CertificationLevel


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
