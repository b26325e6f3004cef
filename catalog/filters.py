"""Declared search parameters: the only query arguments the listing search accepts (never
`filter(**request.GET)`). One form for the web page and the API, so both accept and refuse the
same values with the same messages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from belts.hs import HsCodeFormField
from belts.regions import PROVINCE_CHOICES
from marketplace.i18n import COUNTRY_CHOICES
from marketplace.numbers import AsciiDecimalField, AsciiIntegerField
from suppliers.levels import PUBLIC_LEVELS, CertificationLevel

from .search import SORTS, ListingFilters
from .tradedata import CertificateKind

# A filter keeps the level chosen and every stronger one: one choice per public level.
LEVEL_CHOICES = [
    (CertificationLevel.VERIFIED.value, _("Verified or better")),
    (CertificationLevel.CERTIFIED_ORIGIN.value, _("Certified origin or better")),
    (CertificationLevel.AUDITED_FACTORY.value, _("Audited factory")),
]
assert tuple(value for value, _label in LEVEL_CHOICES) == PUBLIC_LEVELS
SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("price", _("Price: low to high")),
    ("newest", _("Newest")),
    ("moq", _("Lowest minimum order")),
]
CURRENCY_CHOICES = [("CNY", "CNY"), ("USD", "USD")]
MAX_QUANTITY = 10**9
MAX_PRICE = Decimal("9999999999.99")
assert {value for value, _label in SORT_CHOICES} == set(SORTS)


class FlagField(forms.BooleanField):
    """A checkbox or a query flag: "on", "true" or "1" for yes; "off", "false", "0" or nothing for
    no. Anything else is refused, so an API client's typo is not read as yes."""

    YES, NO = frozenset({"on", "true", "1"}), frozenset({"", "off", "false", "0"})

    def to_python(self, value: Any) -> bool:
        if isinstance(value, str):
            text = value.strip().lower()
            if text not in self.YES | self.NO:
                raise forms.ValidationError(_("Answer true or false."), code="invalid")
            return text in self.YES
        return super().to_python(value)


class ListingSearchForm(forms.Form):
    """Search words, filters and sort of the listing search (web page and API alike)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    belt = forms.SlugField(label=_("Belt"), required=False, max_length=80)
    category = forms.SlugField(label=_("Category"), required=False, max_length=80)
    level = forms.ChoiceField(label=_("Certification"), choices=[("", _("Any level")), *LEVEL_CHOICES], required=False)
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", _("Any province")), *PROVINCE_CHOICES], required=False
    )
    moq_max = AsciiIntegerField(
        label=_("Minimum order at most"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
    )
    quantity = AsciiIntegerField(
        label=_("Quantity you need"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
        help_text=_("Shows listings you can order at this quantity, priced at the tier that applies."),
    )
    price_min = AsciiDecimalField(
        label=_("Unit price from"), required=False, min_value=Decimal("0"), max_value=MAX_PRICE, decimal_places=2
    )
    price_max = AsciiDecimalField(
        label=_("Unit price up to"), required=False, min_value=Decimal("0"), max_value=MAX_PRICE, decimal_places=2
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[("", _("Any currency")), *CURRENCY_CHOICES],
        required=False,
        help_text=_("Prices compare within one currency (CNY unless you choose)."),
    )
    sample = FlagField(label=_("Sample available"), required=False)
    origin = FlagField(
        label=_("Certified origin only"),
        required=False,
        help_text=_("Made at a verified site inside the belt's region by a certified origin manufacturer."),
    )
    hs = HsCodeFormField(
        prefix=True,
        label=_("HS code"),
        help_text=_("A chapter (2 digits), heading (4), subheading (6) or a full code: 84, 8456, 8456.11."),
    )
    origin_country = forms.ChoiceField(
        label=_("Country of origin"), choices=[("", _("Any country")), *COUNTRY_CHOICES], required=False
    )
    market = forms.ChoiceField(
        label=_("Exported to"), choices=[("", _("Any market")), *COUNTRY_CHOICES], required=False
    )
    certificate = forms.ChoiceField(
        label=_("Holds a valid certificate"),
        choices=[("", _("Any or none")), *CertificateKind.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    cursor = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # Form.clean returns cleaned_data; the stubs allow None
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price must not be below the lowest."))
        return data

    def _valid(self, name: str) -> Any:
        """A field's cleaned value, or its empty value when it had an error (the rest still applies)."""
        data = getattr(self, "cleaned_data", {})
        if name in self.errors or name not in data:
            return self.fields[name].to_python("") if name not in ("sample", "origin") else False
        return data[name]

    def search_text(self) -> str:
        return self._valid("q") or ""

    def search_filters(self) -> ListingFilters:
        return ListingFilters(
            belt=self._valid("belt") or "",
            category=self._valid("category") or "",
            level=self._valid("level") or "",
            province=self._valid("province") or "",
            moq_max=self._valid("moq_max"),
            quantity=self._valid("quantity"),
            # A range whose ends are wrong is left out whole.
            price_min=None if "price_max" in self.errors else self._valid("price_min"),
            price_max=None if "price_min" in self.errors else self._valid("price_max"),
            currency=self.price_currency(),
            sample=bool(self._valid("sample")),
            origin=bool(self._valid("origin")),
            hs=self._valid("hs") or "",
            origin_country=self._valid("origin_country") or "",
            market=self._valid("market") or "",
            certificate=self._valid("certificate") or "",
        )

    def price_currency(self) -> str:
        """The currency chosen; sorted by price without one, CNY: prices are compared within one
        currency, never across (USD 34,900 is not below CNY 88,000; docs/performance.md, "Price
        sort and currencies")."""
        chosen = self._valid("currency") or ""
        return chosen or ("CNY" if self.search_sort() == "price" else "")

    def search_sort(self) -> str:
        """The chosen sort; relevance when there are words and nothing else was chosen, else newest."""
        sort = self._valid("sort") or ""
        if not self.search_text().strip():
            return "newest" if sort in ("", "relevance") else sort
        return sort or "relevance"

    def search_cursor(self) -> str | None:
        return self._valid("cursor") or None
