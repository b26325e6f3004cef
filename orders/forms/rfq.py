"""Forms of requests for quotation, quotes and the award. Only the fields listed here are read;
the services check everything again and decide. A refused form re-renders with what was typed."""

import uuid
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belts.models import Belt, Category
from catalog.models import Listing
from marketplace.i18n import COUNTRY_CHOICES
from marketplace.numbers import AsciiDecimalField, AsciiIntegerField, QuantityField
from suppliers.levels import PUBLIC_LEVEL_CHOICES, CertificationLevel

from ..models import RFQ_ATTACHMENTS_MAX, Incoterm


class ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        """Each message of the service beside its field (or above the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, exc)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: a list (empty when none was chosen); the service checks them."""

    widget = MultipleFileInput

    def clean(self, data: object, initial: object = None) -> list[object]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class RfqForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("What do you want?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 3 kW fibre laser cutting machine, 3015 bed")}),
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Specifications, materials, packaging, certificates you need."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    belt = forms.ModelChoiceField(
        label=_("Belt (optional)"),
        queryset=Belt.objects.none(),
        required=False,
        empty_label=_("Any belt"),
    )
    quantity = QuantityField(label=_("Quantity"), max_value=999_999_999, validators=[MinValueValidator(1)])
    unit = forms.ChoiceField(label=_("Unit"), choices=Listing.Unit.choices, initial=Listing.Unit.PIECE)
    target_price = AsciiDecimalField(
        label=_("Target unit price (optional)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Listing.Currency.choices, initial=Listing.Currency.USD)
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=[("", "—"), *COUNTRY_CHOICES])
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial=Incoterm.FOB)
    incoterm_place = forms.CharField(
        label=_("Named place or port"),
        max_length=120,
        required=False,
        help_text=_("For example the port of loading for FOB (Shanghai, Ningbo) or your warehouse for DAP."),
    )
    required_level = forms.ChoiceField(
        label=_("Required certification level"), choices=PUBLIC_LEVEL_CHOICES, initial=CertificationLevel.VERIFIED
    )
    deadline = forms.DateField(label=_("Quotes due by"), widget=DateInput)
    allow_split = forms.BooleanField(
        label=_("Group supply: the quantity may be split across several suppliers"), required=False, initial=True
    )
    attachments = MultipleFileField(
        label=_("Drawings and specifications (optional)"),
        required=False,
        help_text=lazy(
            lambda: (
                gettext(
                    "Up to %(n)d files: PDF, PNG or JPEG. Only the suppliers your request is sent to can open them."
                )
                % {"n": RFQ_ATTACHMENTS_MAX}
            ),
            str,
        )(),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].queryset = Category.objects.select_related("parent").order_by(  # type: ignore[attr-defined]
            "parent__position", "parent__name_en", "position", "name_en"
        )
        self.fields["category"].label_from_instance = _category_label  # type: ignore[attr-defined]
        self.fields["category"].grouped_choices = category_groups(self.fields["category"].queryset)  # type: ignore[attr-defined]
        self.fields["belt"].queryset = Belt.objects.active().order_by("name_en")  # type: ignore[attr-defined]

    def clean_deadline(self) -> object:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise ValidationError(_("Choose a deadline in the future."))
        return deadline


def _category_label(category: Category) -> str:
    return f"{category.parent.name} › {category.name}" if category.parent is not None else str(category.name)


def category_groups(categories: Iterable[Category]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The categories under their top-level parent, in the reader's language, for a select with
    one optgroup per parent: the parent itself first ("all of it"), then its sub-categories.
    `categories` come ordered by parent then position (the form's queryset: one query)."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for category in categories:
        root = category.parent if category.parent is not None else category
        _label, options = groups.setdefault(root.pk, (str(root.name), []))
        if category.parent is None:
            options.insert(0, (category.pk, _("All of %(name)s") % {"name": category.name}))
        else:
            options.append((category.pk, str(category.name)))
    return list(groups.values())


class QuoteForm(ServiceErrorsMixin, forms.Form):
    unit_price = AsciiDecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=Listing.Currency.choices)
    moq = QuantityField(label=_("Minimum order quantity"), max_value=999_999_999, validators=[MinValueValidator(1)])
    quantity = QuantityField(
        label=_("Quantity you can supply"),
        max_value=999_999_999,
        validators=[MinValueValidator(1)],
        help_text=_("At most the quantity asked for; less if the buyer allows group supply."),
    )
    lead_time_days = AsciiIntegerField(label=_("Lead time (days)"), min_value=0, max_value=3650)
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices)
    incoterm_place = forms.CharField(label=_("Named place or port"), max_length=120, required=False)
    freight_total = AsciiDecimalField(
        label=_("Freight to the buyer's terms (total)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "Only when you quote another Incoterm than the buyer asked for: the freight (under CIF with the "
            "insurance) to the buyer's destination under the buyer's Incoterm, so your quote can be compared."
        ),
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    note = forms.CharField(
        label=_("Note to the buyer"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Shown only once the quote's terms were flagged (orders.services.quote_terms).
    confirm_terms = forms.BooleanField(label=_("Send on these terms anyway"), required=False)


class AwardForm(ServiceErrorsMixin, forms.Form):
    """The award: `quote` (one quote), or with group supply `qty-<quote id>` for each quote taken."""

    shipping_address = forms.CharField(
        label=_("Shipping address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    ship_to_country = forms.ChoiceField(label=_("Ship to country"), choices=[("", "—"), *COUNTRY_CHOICES])
    # Made when the page renders: a double click or a resubmitted page makes one purchase.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex


class RfqCancelForm(ServiceErrorsMixin, forms.Form):
    """The buyer's cancel of an open RFQ: the reason is required and told to the quoting suppliers."""

    reason = forms.CharField(
        label=_("Why do you cancel this request?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The suppliers who quoted receive this reason with the news."),
    )
