"""Forms of the order detail page's actions that need input: ship, cancel, rate.

They check each field alone; the services check again and decide. A refused form re-renders the
page with what was typed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class _ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        """Each message of the service beside its field (or above the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, exc)  # type: ignore[attr-defined]


class ShipForm(_ServiceErrorsMixin, forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=80,
        error_messages={"required": _("Name the carrier.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. COSCO, Maersk, DHL, SF Express")}),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=80,
        error_messages={"required": _("Enter the tracking number.")},
        help_text=_("Bill of lading, air waybill or parcel tracking number."),
    )


class CancelForm(_ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the order cancelled?"),
        max_length=1000,
        error_messages={"required": _("Say why the order is cancelled.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other party reads this."),
    )


class RateForm(_ServiceErrorsMixin, forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating of the supplier"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Give 1 to 5 stars."), "invalid_choice": _("Give 1 to 5 stars.")},
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quality, communication, delivery: what should other buyers know?"),
    )
