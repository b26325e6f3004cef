"""The supplier's lot form and certificate form. They check input only; the services decide."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.bounds import INTEGER_MAX
from marketplace.numbers import AsciiIntegerField, ascii_formfield
from suppliers.models import Supplier

from ..models import Listing
from .models import Lot, LotCertificate
from .services import MAX_LISTINGS, WRITABLE_FIELDS


class ListingsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Listing) -> str:
        return f"{obj.title} ({obj.unit_label})"


class LotForm(forms.ModelForm):
    """A lot's own fields and the listings it supplies (the supplier's listings that are not archived)."""

    listings = ListingsField(
        queryset=Listing.objects.none(),
        label=_("Listings this lot supplies"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl or ⌘ to choose more than one; they must be sold in the lot's unit."),
    )

    quantity = AsciiIntegerField(
        label=_("Quantity"), min_value=1, max_value=INTEGER_MAX, help_text=_("In the unit below, e.g. 5000 kg.")
    )

    class Meta:
        model = Lot
        fields = WRITABLE_FIELDS
        formfield_callback = ascii_formfield  # the model's number fields refuse digits other than 0-9
        widgets = {
            "produced_on": forms.DateInput(attrs={"type": "date"}),
            "packed_on": forms.DateInput(attrs={"type": "date"}),
            "best_before": forms.DateInput(attrs={"type": "date"}),
            "inspection_results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, supplier: Supplier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["listings"])
        field.queryset = (
            Listing.objects.filter(supplier=supplier)
            .exclude(status=Listing.Status.ARCHIVED)
            .only("id", "title_en", "title_zh", "unit", "supplier_id")
            .order_by("title_en", "id")
        )
        if self.instance.pk:
            self.initial.setdefault("listings", [listing.pk for listing in self.instance.listings.all()])

    def clean_listings(self) -> list[Listing]:
        chosen = list(self.cleaned_data["listings"])
        if len(chosen) > MAX_LISTINGS:
            raise ValidationError(_("A lot supplies at most %(n)d listings.") % {"n": MAX_LISTINGS})
        return chosen

    def _post_clean(self) -> None:
        # The service applies and checks the fields (one set of rules for the page and the API).
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in WRITABLE_FIELDS if name in self.cleaned_data}

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class LotCertificateForm(forms.ModelForm):
    """One certificate of a lot: its kind, number, issuer and date, and the file (PDF or image)."""

    upload = forms.FileField(
        label=_("Certificate file"),
        help_text=_("PDF, JPEG or PNG. It is checked before anyone can see it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = LotCertificate
        fields = ("kind", "number", "issuer", "issued_on")
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"})}

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "upload": data["upload"],
            "kind": data["kind"],
            "number": data.get("number", ""),
            "issuer": data.get("issuer", ""),
            "issued_on": data.get("issued_on"),
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            self.add_error("upload" if field == "file" else (field if field in self.fields else None), messages)
