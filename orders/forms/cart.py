"""Forms of the cart and checkout. Only the fields listed here are read: never a price."""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from buyers.models import CompanyAddress
from buyers.services.addresses import address_clean
from catalog.rules import MAX_LINE_QUANTITY
from marketplace.i18n import COUNTRY_CHOICES, country_name
from marketplace.numbers import QuantityField

from ..models import CHARGES, DEPOSIT_PERCENT_CHOICES, NET_DAYS, Incoterm, PaymentTerms

NEW, SAME = "new", "same"
SUPPLIER_FIELDS = ("incoterm", "incoterm_place", "payment_terms", "deposit_percent", "note")
# A supplier's payment terms or deposit left at this take the purchase's.
SAME_AS_ABOVE = ("", _("As chosen above"))

# What each payment term means for the buyer, in plain words (shown beside the choice).
PAYMENT_TERMS_HELP: dict[str, Promise] = {
    PaymentTerms.PREPAID: _(
        "You pay the whole order after the supplier confirms it and before it ships. With payment "
        "protection the platform holds your money until you confirm delivery."
    ),
    PaymentTerms.DEPOSIT: _(
        "You pay a part when the supplier confirms, so production can start, and the balance before the goods ship."
    ),
    PaymentTerms.NET30: _("The supplier ships first; you pay within 30 days after shipping."),
    PaymentTerms.NET60: _("The supplier ships first; you pay within 60 days after shipping."),
    PaymentTerms.LC: _(
        "Your bank opens a letter of credit; it pays the supplier against the shipping documents. Your "
        "bank's fees apply."
    ),
}
NET_TERMS_CLOSED = _(
    "Open to companies approved for credit after a check by the platform. Your company is not approved "
    "yet: ask the platform team if you need them."
)


@dataclass
class PaymentOption:
    """One payment term as the checkout shows it: its words and whether this company may choose it."""

    value: str
    label: Any
    help: Any
    disabled: bool


@dataclass
class SupplierSection:
    """One supplier's fieldset: its orders in the cart (CartGroup) and its terms' bound fields."""

    supplier: Any
    groups: list[Any]
    fields: dict[str, forms.BoundField]
    charges: str  # what the supplier quotes under the Incoterm shown ("freight insurance"; CHARGES)
    incoterm_choices: list[tuple[str, Any, str]]  # (value, label, charges)
    payment_choices: list[tuple[str, Any, bool]]  # (value, label, disabled)


class CartLineQuantityForm(forms.Form):
    """A cart line's new quantity, read as the listing page's grid reads it ("2,000", "２０００");
    0 removes the line."""

    quantity = QuantityField(label=_("Quantity"), max_value=MAX_LINE_QUANTITY)


class CheckoutForm(forms.Form):
    """Where to ship and bill, how to pay, and each supplier's terms.

    Ship to one of the company's saved addresses (`ship_address` = its id: the saved text and country
    are used, whatever the text box says) or to a new one typed (`ship_address` = "new"), which may
    be saved to the company. Bill to the same address, a saved one or one typed. The payment terms
    apply to every order unless a supplier's own fieldset (fields "<name>-<supplier id>", the keys
    of the services' errors) says otherwise; each supplier's orders have their own Incoterm.
    """

    ship_address = forms.ChoiceField(
        label=_("Ship to"),
        required=False,
        error_messages={"invalid_choice": _("This address is no longer saved: choose another one.")},
    )
    shipping_address = forms.CharField(
        label=_("Shipping address"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    ship_to_country = forms.ChoiceField(
        label=_("Ship to country"), choices=[("", "—"), *COUNTRY_CHOICES], required=False
    )
    save_address = forms.BooleanField(label=_("Save this address to the company"), required=False)
    address_label = forms.CharField(
        label=_("Name for the saved address"),
        max_length=80,
        required=False,
        help_text=_("For example “Rotterdam warehouse”."),
    )
    bill_address = forms.ChoiceField(
        label=_("Bill to"),
        required=False,
        error_messages={"invalid_choice": _("This address is no longer saved: choose another one.")},
    )
    billing_address = forms.CharField(
        label=_("Billing address"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    payment_terms = forms.ChoiceField(
        label=_("Payment terms"), choices=PaymentTerms.choices, initial=PaymentTerms.PREPAID
    )
    deposit_percent = forms.TypedChoiceField(
        label=_("Deposit"),
        choices=[(p, f"{p} %") for p in DEPOSIT_PERCENT_CHOICES],
        coerce=int,
        initial=30,
        required=False,
    )
    # Made when the page renders: a double click or a resubmitted page sends the same key, and
    # places one purchase (orders.services.placing.cart_checkout).
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(
        self,
        *args: Any,
        groups: list[Any],
        addresses: list[CompanyAddress],
        net_terms_approved: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The new address to save to the company once the order is placed (checked in `clean`).
        self.address_to_save: dict[str, Any] | None = None
        self.addresses = {str(address.pk): address for address in addresses}
        self.net_terms_approved = net_terms_approved
        self.groups = groups
        self.suppliers: dict[int, Any] = {}
        for group in groups:
            self.suppliers.setdefault(group.supplier.pk, group.supplier)
        saved = [(pk, address.label) for pk, address in self.addresses.items()]
        ship, bill = self.fields["ship_address"], self.fields["bill_address"]
        assert isinstance(ship, forms.ChoiceField) and isinstance(bill, forms.ChoiceField)
        ship.choices = [*saved, (NEW, _("A new address (type it below)"))]
        bill.choices = [
            (SAME, _("The same as the shipping address")),
            *saved,
            (NEW, _("Another address (type it below)")),
        ]
        for supplier_id in self.suppliers:
            self.fields[f"incoterm-{supplier_id}"] = forms.ChoiceField(
                label=_("Incoterm"), choices=Incoterm.choices, initial=Incoterm.FOB
            )
            self.fields[f"incoterm_place-{supplier_id}"] = forms.CharField(
                label=_("Named place or port"),
                max_length=120,
                required=False,
                help_text=_("For example the port of loading for FOB (Shanghai, Ningbo) or your warehouse for DAP."),
            )
            self.fields[f"payment_terms-{supplier_id}"] = forms.ChoiceField(
                label=_("Payment terms"), choices=[SAME_AS_ABOVE, *PaymentTerms.choices], required=False
            )
            self.fields[f"deposit_percent-{supplier_id}"] = forms.TypedChoiceField(
                label=_("Deposit"),
                choices=[SAME_AS_ABOVE, *((p, f"{p} %") for p in DEPOSIT_PERCENT_CHOICES)],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note-{supplier_id}"] = forms.CharField(
                label=_("Note to this supplier"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Packing, labels, documents you need…"),
            )

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    @classmethod
    def initial_for(cls, *, addresses: list[CompanyAddress], country: str) -> dict[str, Any]:
        """What a fresh checkout shows: the default address to ship to, the billing address to bill to."""
        default = next((a for a in addresses if a.is_default), None)
        billing = next((a for a in addresses if a.is_billing), None)
        initial: dict[str, Any] = {"idempotency_key": cls.new_key(), "ship_to_country": country, "ship_address": NEW}
        if default is not None:
            initial |= {
                "ship_address": str(default.pk),
                "shipping_address": default.shipping_text,
                "ship_to_country": default.country,
            }
        initial["bill_address"] = str(billing.pk) if billing is not None else SAME
        if billing is not None:
            initial["billing_address"] = billing.as_text
        return initial

    # --- what the page shows ---------------------------------------------------------------------

    def payment_options(self) -> list[PaymentOption]:
        """The payment terms with their plain-language explanation; net terms disabled unless the
        company is approved for credit."""
        return [
            PaymentOption(
                value=value,
                label=label,
                help=PAYMENT_TERMS_HELP[value]
                if value not in NET_DAYS or self.net_terms_approved
                else NET_TERMS_CLOSED,
                disabled=value in NET_DAYS and not self.net_terms_approved,
            )
            for value, label in PaymentTerms.choices
        ]

    def supplier_sections(self) -> list[SupplierSection]:
        """One per supplier in the cart, in the cart's order, with its orders and its terms' fields."""
        incoterms = [(value, label, " ".join(CHARGES.get(value, ()))) for value, label in Incoterm.choices]
        sections = []
        for supplier_id, supplier in self.suppliers.items():
            fields = {name: self[f"{name}-{supplier_id}"] for name in SUPPLIER_FIELDS}
            payment = [
                (value, label, value in NET_DAYS and not self.net_terms_approved)
                for value, label in [SAME_AS_ABOVE, *PaymentTerms.choices]
            ]
            sections.append(
                SupplierSection(
                    supplier=supplier,
                    groups=[g for g in self.groups if g.supplier.pk == supplier_id],
                    fields=fields,
                    charges=" ".join(CHARGES.get(str(fields["incoterm"].value() or ""), ())),
                    incoterm_choices=incoterms,
                    payment_choices=payment,
                )
            )
        return sections

    # --- what the services get -------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = [sid for sid in self.suppliers if f"incoterm-{sid}" not in self.data]
        if missing:
            # A supplier added to the cart in another tab since this page was made: its terms were never shown.
            raise ValidationError(
                _(
                    "Your cart changed since this page was loaded: check each supplier's terms below "
                    "and place the order again."
                )
            )
        ship = cleaned.get("ship_address") or NEW
        if ship != NEW:
            address = self.addresses[ship]
            cleaned["shipping_address"], cleaned["ship_to_country"] = address.shipping_text, address.country
        if ship == NEW and cleaned.get("save_address"):
            try:
                self.address_to_save = address_clean(
                    {
                        "label": cleaned.get("address_label"),
                        "address": cleaned.get("shipping_address"),
                        "country": cleaned.get("ship_to_country"),
                    }
                )
            except ValidationError as exc:
                where = {"label": "address_label", "address": "shipping_address", "country": "ship_to_country"}
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(where.get(field), error)
        if cleaned.get("bill_address") == NEW and not cleaned.get("billing_address"):
            self.add_error("billing_address", _("Type the billing address, or bill to the shipping address."))
        return cleaned

    def _billing_text(self) -> str:
        data = self.cleaned_data
        bill = data.get("bill_address") or SAME
        if bill == NEW:
            return data.get("billing_address", "")
        if bill != SAME:
            return self.addresses[bill].as_text
        text = (data.get("shipping_address") or "").strip()
        if data.get("ship_to_country"):  # the shipping address's country is a field of its own
            name = country_name(data["ship_to_country"])
            if text and not text.endswith(name):
                text = f"{text}\n{name}"
        return text

    def checkout_terms(self) -> dict[str, Any]:
        """The keyword arguments of `cart_checkout` for the terms (call once the form is valid). A
        supplier's fields left "as chosen above" are not sent, so the purchase's terms apply."""
        data = self.cleaned_data
        supplier_terms: dict[int, dict[str, Any]] = {}
        for supplier_id in self.suppliers:
            given = {name: data.get(f"{name}-{supplier_id}") for name in SUPPLIER_FIELDS}
            supplier_terms[supplier_id] = {name: value for name, value in given.items() if value not in ("", None)}
            supplier_terms[supplier_id].setdefault("incoterm_place", "")
            supplier_terms[supplier_id].setdefault("note", "")
        return {
            "shipping_address": data.get("shipping_address", ""),
            "ship_to_country": data.get("ship_to_country", ""),
            # Every supplier in the cart gives its own; this one only completes the purchase's terms.
            "incoterm": Incoterm.FOB,
            "payment_terms": data.get("payment_terms", PaymentTerms.PREPAID),
            "deposit_percent": data.get("deposit_percent"),
            "billing_address": self._billing_text(),
            "supplier_terms": supplier_terms,
        }

    def add_service_error(self, field: str, error: str) -> None:
        """A service's error beside its field ("payment_terms-12" is supplier 12's), else above the form."""
        self.add_error(field if field in self.fields else None, error)
