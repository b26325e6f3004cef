"""Forms of a supplier's listing page: the listing, its price tiers, variants and specifications.

The forms check what each field can check alone and never save: `ListingEditor.service_kwargs()`
goes to `catalog.services.listing_create` / `listing_update`, which check the rules that span
fields (the tiers against the MOQ, the SKU against the supplier's other listings) and answer with
a ValidationError keyed by field; `ListingEditor.add_service_errors` puts each message beside what
it is about. Whatever was typed is re-rendered as typed.
"""

import copy
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from belts.hs import HsCodeFormField
from belts.models import Category
from marketplace.bounds import ID_MAX
from marketplace.i18n import COUNTRY_CHOICES
from marketplace.numbers import AsciiDecimalField, AsciiIntegerField, ascii_formfield

from .models import Listing, SearchSynonym
from .rules import Tier, validate_tiers
from .selectors.manage import category_list_for_select, production_site_list_for_supplier
from .services import MAX_SPECIFICATIONS, MAX_TIERS, MAX_VARIANTS
from .tradedata import DEFAULT_ORIGIN_COUNTRY, CertificateKind

LISTING_FIELDS = (
    "title_en", "title_zh", "sku", "category", "description_en", "description_zh",
    "unit", "currency", "moq", "moq_mode", "order_multiple",
    "sample_available", "sample_price", "sample_fee_credited",
    "lead_time_days", "monthly_capacity", "production_site", "sold_by_lot",
    "oem", "odm", "customisation_en", "customisation_zh",
    "hs_code", "origin_country", "origin_region", "export_markets", "price_incoterm", "price_incoterm_place",
)  # fmt: skip


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent is not None else str(obj.name)


class ListingForm(forms.ModelForm):
    """The listing's own fields. Validated on a copy: the page header keeps showing the saved listing."""

    hs_code = HsCodeFormField(
        label=_("HS code"),
        help_text=_("Leave empty to use the category's. 6 digits (8456.11) or a national code (8456110000)."),
    )
    origin_country = forms.ChoiceField(
        label=_("Country of origin"), choices=COUNTRY_CHOICES, initial=DEFAULT_ORIGIN_COUNTRY, required=False
    )
    export_markets = forms.MultipleChoiceField(
        label=_("Export markets"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Countries you ship this product to or are approved to sell it in (Ctrl or ⌘ to choose several)."),
    )

    class Meta:
        model = Listing
        fields = LISTING_FIELDS
        field_classes = {"category": CategoryChoiceField}
        formfield_callback = ascii_formfield  # the model's number fields refuse digits other than 0-9
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, supplier: Any, instance: Listing | None = None, **kwargs: Any) -> None:
        # mypy cannot tell that *args never holds the instance as well.
        super().__init__(*args, instance=copy.copy(instance) if instance else None, **kwargs)  # type: ignore[misc]
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = category_list_for_select()
        site = cast(forms.ModelChoiceField, self.fields["production_site"])
        site.queryset = production_site_list_for_supplier(supplier=supplier)
        site.empty_label = _("— not stated —")
        if instance is None and not self.is_bound:
            # A new listing is made where the supplier is: China, its belt's province.
            belt = getattr(supplier, "belt", None)
            self.initial.setdefault("origin_region", getattr(belt, "province", ""))
        # One title is enough (buyers read the other language's as a fallback); the service asks for one.
        self.fields["title_en"].required = self.fields["title_zh"].required = False
        # Left out of a post, the defaults apply (China, EXW): the service fills them.
        self.fields["price_incoterm"].required = False
        self.fields["moq"].help_text = _("The smallest order you accept; at or above the first price tier's quantity.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("sample_available")
            and cleaned.get("sample_price") is None
            and "sample_price" not in self.errors
        ):
            self.add_error("sample_price", _("Give the price of a sample, or say no sample is available."))
        return cleaned

    def validate_constraints(self) -> None:
        # The service checks the table's constraints, with words a supplier understands.
        return None


class _RowForm(forms.Form):
    """A row of an inline table: a row left blank is no row (not an error).

    Rendered input by input (no labels above each cell): the widgets carry Bootstrap's classes,
    an aria-label, and "is-invalid" when the cell, or the row under a rule of the whole table, is wrong.
    """

    row_fields: tuple[str, ...] = ()
    placeholders: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": field.label})
            if name in self.placeholders:
                field.widget.attrs["placeholder"] = self.placeholders[name]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark(name)

    def mark_invalid(self) -> None:
        """Show the whole row as wrong (a rule of the table, such as rising quantities, names it)."""
        for name in self.row_fields:
            self._mark(name)

    def _mark(self, name: str) -> None:
        attrs = self.fields[name].widget.attrs
        if "is-invalid" not in attrs["class"]:
            attrs["class"] += " is-invalid"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["blank"] = not self.errors and all(cleaned.get(name) in (None, "") for name in self.row_fields)
        return cleaned

    @property
    def is_blank(self) -> bool:
        # An untouched extra row is not cleaned at all (empty_permitted): its cleaned_data is {}.
        cleaned = getattr(self, "cleaned_data", {})
        return not cleaned or bool(cleaned.get("blank"))


class TierForm(_RowForm):
    row_fields = ("min_quantity", "unit_price")
    placeholders = {"min_quantity": _("e.g. 100"), "unit_price": _("e.g. 12.50")}
    min_quantity = AsciiIntegerField(label=_("From quantity"), min_value=1, max_value=2_000_000_000, required=False)
    unit_price = AsciiDecimalField(
        label=_("Unit price"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned["blank"] and not self.errors:
            if cleaned.get("min_quantity") is None:
                self.add_error("min_quantity", _("Give the quantity this price starts at."))
            if cleaned.get("unit_price") is None:
                self.add_error("unit_price", _("Give the unit price from this quantity."))
        return cleaned


class VariantForm(_RowForm):
    row_fields = ("sku", "size", "colour", "model", "moq")
    id = AsciiIntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    model = forms.CharField(label=_("Model"), max_length=60, required=False)
    size = forms.CharField(label=pgettext_lazy("product variant", "Size"), max_length=40, required=False)
    colour = forms.CharField(label=_("Colour"), max_length=40, required=False)
    sku = forms.CharField(label=_("Variant SKU"), max_length=64, required=False)
    moq = AsciiIntegerField(label=_("Own MOQ"), min_value=1, max_value=2_000_000_000, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned["blank"] and not self.errors and not any(cleaned.get(k) for k in ("size", "colour", "model")):
            self.add_error(None, _("Give the variant's size, colour or model."))
        return cleaned


class SpecificationForm(_RowForm):
    row_fields = ("name_en", "name_zh", "value")
    placeholders = {"name_en": _("e.g. Laser power"), "name_zh": _("e.g. 激光功率"), "value": _("e.g. 3 kW")}
    name_en = forms.CharField(label=_("Name (English)"), max_length=80, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=80, required=False)
    value = forms.CharField(label=_("Value"), max_length=200, required=False)


class RowFormSet(BaseFormSet):
    """An inline table; `add_error` shows a rule of the whole table (from the service) above its rows."""

    def rows(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "blank"} for form in self.forms if not form.is_blank
        ]

    def add_error(self, messages: list[str]) -> None:
        self.non_form_errors().extend(messages)


def _formset(form: type[forms.Form], maximum: int, extra: int) -> type[RowFormSet]:
    # formset_factory subclasses the `formset` it is given; the stubs return the base class.
    formset = formset_factory(
        form, formset=RowFormSet, extra=extra, max_num=maximum, validate_max=True, absolute_max=maximum + 10
    )
    return cast(type[RowFormSet], formset)


class ListingEditor:
    """The listing form and its three inline tables, validated and rendered together."""

    def __init__(self, data: Any = None, *, supplier: Any, listing: Listing | None = None) -> None:
        self.listing = listing
        self.form = ListingForm(data, supplier=supplier, instance=listing)
        tiers = (
            [{"min_quantity": t.min_quantity, "unit_price": t.unit_price} for t in listing.tiers.all()]
            if listing
            else []
        )
        variants = (
            [{"id": v.pk, "sku": v.sku, "size": v.size, "colour": v.colour, "model": v.model, "moq": v.moq}
             for v in listing.variants.all()]
            if listing else []
        )  # fmt: skip
        specs = list(listing.specifications or []) if listing else []
        # A few blank rows to type into (more with the "Add" buttons); blank rows are ignored.
        self.tiers = _formset(TierForm, MAX_TIERS, 1 if tiers else 3)(data, initial=tiers, prefix="tiers")
        self.variants = _formset(VariantForm, MAX_VARIANTS, 1)(data, initial=variants, prefix="variants")
        self.specs = _formset(SpecificationForm, MAX_SPECIFICATIONS, 1 if specs else 3)(
            data, initial=specs, prefix="specs"
        )

    def is_valid(self) -> bool:
        form_ok, tiers_ok = self.form.is_valid(), self.tiers.is_valid()
        tables_ok = self.variants.is_valid() and self.specs.is_valid()
        moq = self.form.cleaned_data.get("moq")
        if tiers_ok and not (form_ok and tables_ok) and isinstance(moq, int) and self._tier_list():
            # The service will not run this time: show the tier rules now too, so one round of fixes is enough.
            self._tier_errors(validate_tiers(self._tier_list(), moq=moq))
        return form_ok and tiers_ok and tables_ok

    def _tier_errors(self, messages: list[str]) -> None:
        """The rules' messages above the tiers, and the rows they are about marked.

        A row is marked when adding it to the rows before it adds a message (catalog.rules judges;
        the MOQ is left out here, its message names no row).
        """
        self.tiers.add_error(messages)
        forms = [form for form in self.tiers.forms if not form.is_blank]
        tiers = self._tier_list()
        if not tiers:
            return
        before = 0
        for index, form in enumerate(forms):
            now = len(validate_tiers(tiers[: index + 1], moq=tiers[0].min_quantity))
            if now > before:
                form.mark_invalid()
            before = now

    def _tier_list(self) -> list[Tier]:
        return [Tier(min_quantity=r["min_quantity"], unit_price=r["unit_price"]) for r in self.tiers.rows()]

    def service_kwargs(self) -> dict[str, Any]:
        """What the service writes: the listed fields, the tiers, variants and specifications as typed."""
        fields = {name: self.form.cleaned_data[name] for name in LISTING_FIELDS}
        fields["specifications"] = self.specs.rows()
        return {"fields": fields, "tiers": self._tier_list(), "variants": self.variants.rows()}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Each message of the service beside the field or table it is about."""
        tables = {"tiers": self.tiers, "variants": self.variants, "specifications": self.specs}
        if not hasattr(exc, "error_dict"):
            self.form.add_error(None, exc)
            return
        for key, messages in exc.message_dict.items():
            if key == "tiers":
                self._tier_errors(messages)
            elif key in tables:
                tables[key].add_error(messages)
            elif key in self.form.fields:
                self.form.add_error(key, messages)
            else:  # NON_FIELD_ERRORS, or a model field this form does not show
                self.form.add_error(None, messages)


class ListingImageForm(forms.Form):
    # A plain file field: the service checks the content (marketplace.uploads), Pillow never sees
    # the upload before that.
    image = forms.FileField(
        label=_("Picture"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )
    alt_text = forms.CharField(label=_("What it shows"), max_length=200, required=False)


class ListingCertificateForm(forms.Form):
    """A certificate for export with its document; the service judges the document's content."""

    kind = forms.ChoiceField(label=_("Certificate"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=80)
    issuer = forms.CharField(label=_("Issued by"), max_length=160)
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("The certificate as a PDF or a scan (JPEG, PNG). It is checked before buyers can see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "certificate")
        super().__init__(*args, **kwargs)


class TermsField(forms.CharField):
    """Terms written one per line; the value is the list of non-empty lines."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return [line.strip() for line in str(text).splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value


class SearchSynonymForm(forms.ModelForm):
    """A synonym of the search, as staff and belt operators write it (the model checks the terms)."""

    terms = TermsField(
        label=pgettext_lazy("search synonym", "Terms"),
        help_text=_("One per line, each English or Chinese: a word or a short phrase (西装, 西服; pants, trousers)."),
    )

    class Meta:
        model = SearchSynonym
        fields: tuple[str, ...] = ("terms", "kind", "note")
