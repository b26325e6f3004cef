"""Forms of the cart and checkout. Only the fields listed here are read: never a price."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.rules import MAX_LINE_QUANTITY
from marketplace.i18n import COUNTRY_CHOICES
from marketplace.numbers import QuantityField

from ..models import Incoterm


class CartLineQuantityForm(forms.Form):
    """A cart line's new quantity, read as the listing page's grid reads it ("2,000", "２０００");
    0 removes the line."""

    quantity = QuantityField(label=_("Quantity"), max_value=MAX_LINE_QUANTITY)


class CheckoutForm(forms.Form):
    shipping_address = forms.CharField(
        label=_("Shipping address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    ship_to_country = forms.ChoiceField(label=_("Ship to country"), choices=[("", "—"), *COUNTRY_CHOICES])
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial=Incoterm.FOB)
    incoterm_place = forms.CharField(
        label=_("Named place or port"),
        max_length=120,
        required=False,
        help_text=_("For example the port of loading for FOB (Shanghai, Ningbo) or your warehouse for DAP."),
    )
    note = forms.CharField(
        label=_("Note to the suppliers"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Made when the page renders: a double click or a resubmitted page sends the same key, and
    # places one purchase (orders.services.placing.cart_checkout).
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex
