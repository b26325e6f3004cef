"""Forms of the order detail page's actions that need input: confirm (charges and lead time),
accept the proposed terms, ship, cancel, rate.

They check each field alone; the services check again and decide. A refused form re-renders the
page with what was typed.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.lots.selectors import lot_choices_for_listings
from marketplace.bounds import INTEGER_MAX
from marketplace.numbers import AsciiDecimalField, AsciiIntegerField

from ..models import MONEY_TOTAL, Order
from ..services.transitions import LEAD_TIME_MAX_DAYS
from ..tracking import CARRIERS

# "1,250.50": thousands grouped with commas, as amounts are written in trade documents.
_GROUPED_AMOUNT = re.compile(r"\s*[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?\s*")


class _ServiceErrorsMixin:
    def add_service_errors(self, exc: ValidationError) -> None:
        """Each message of the service beside its field (or above the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, exc)  # type: ignore[attr-defined]


class ChargeField(AsciiDecimalField):
    """An amount of money typed as 1250.50 or 1,250.50 (a text box: a number input would blank the
    comma before the server sees it)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("error_messages", {}).setdefault("invalid", _("Enter an amount such as 1250.00."))
        super().__init__(max_digits=MONEY_TOTAL["max_digits"], decimal_places=MONEY_TOTAL["decimal_places"], **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and _GROUPED_AMOUNT.fullmatch(value):
            value = value.replace(",", "")
        return super().to_python(value)


class ConfirmForm(_ServiceErrorsMixin, forms.Form):
    """The supplier's confirmation: the charges the order's Incoterm has the seller pay (only
    those fields, and required) and, optionally, another lead time."""

    freight = ChargeField(
        label=_("Freight"),
        help_text=_("To the named place, for the whole order; 0 if your prices include it."),
    )
    insurance = ChargeField(
        label=_("Insurance"),
        help_text=_("Cargo insurance under CIF; 0 if your prices include it."),
    )
    lead_time_days = AsciiIntegerField(
        label=_("Lead time (days)"),
        required=False,
        min_value=1,
        max_value=LEAD_TIME_MAX_DAYS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Leave empty to keep the lead time the order was placed with."),
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        # A proposal being revised starts from what was proposed.
        kwargs.setdefault(
            "initial",
            {"freight": order.freight, "insurance": order.insurance}
            | ({"lead_time_days": order.lead_time_days} if order.status == Order.Status.PROPOSED else {}),
        )
        super().__init__(*args, **kwargs)
        for name in ("freight", "insurance"):
            if name not in order.charges_needed:
                del self.fields[name]
        currency = order.currency
        for name in order.charges_needed:
            field = self.fields[name]
            field.label = f"{field.label} ({currency})"
            field.error_messages["required"] = (
                _("Enter the freight (0 if it is in the prices).")
                if name == "freight"
                else _("Enter the insurance (0 if it is in the prices).")
            )
        if order.lead_time_days:
            self.fields["lead_time_days"].widget.attrs["placeholder"] = str(order.lead_time_days)


class AcceptTermsForm(_ServiceErrorsMixin, forms.Form):
    """The buyer's acceptance of the proposed terms, with the total the buyer saw."""

    expected_total = ChargeField(widget=forms.HiddenInput)


class ShipForm(_ServiceErrorsMixin, forms.Form):
    """Carrier and tracking number; for each line of a listing sold by lot, up to LOT_ROWS rows of
    (lot, quantity) naming the lots it ships from (the supplier's open lots of that listing)."""

    LOT_ROWS = 3

    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=80,
        error_messages={"required": _("Name the carrier.")},
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. COSCO, Maersk, DHL, SF Express"), "list": "carrier-options"}
        ),
        help_text=_("Pick a carrier from the list, or type another; known carriers get a tracking link."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=80,
        error_messages={"required": _("Enter the tracking number.")},
        help_text=_("Bill of lading, air waybill or parcel tracking number."),
    )

    carriers = CARRIERS  # the suggestions of the carrier field's datalist

    def __init__(self, *args: Any, order: Order | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # [(line, [(lot field name, quantity field name), ...]), ...] for the template.
        self.lot_lines: list[tuple[Any, list[tuple[str, str]]]] = []
        if order is None:
            return
        tracked = [
            (line, line.listing.pk)
            for line in order.lines.all()
            if line.listing is not None and line.listing.sold_by_lot
        ]
        if not tracked:
            return
        choices = lot_choices_for_listings(supplier=order.supplier, listing_ids={pk for _line, pk in tracked})
        for line, listing_id in tracked:
            options: list[tuple[str, Any]] = [("", _("Choose a lot"))]
            options += [
                (str(lot.pk), f"{lot.code} · {lot.produced_on:%Y-%m-%d} · {lot.remaining}")
                for lot in choices[listing_id]
            ]
            rows = []
            for i in range(self.LOT_ROWS):
                lot_name, quantity_name = f"lot_{line.pk}_{i}", f"lot_quantity_{line.pk}_{i}"
                self.fields[lot_name] = forms.ChoiceField(label=_("Lot"), choices=options, required=False)
                self.fields[quantity_name] = AsciiIntegerField(
                    label=_("Quantity"),
                    min_value=1,
                    max_value=INTEGER_MAX,
                    required=False,
                    initial=line.quantity if i == 0 else None,
                )
                rows.append((lot_name, quantity_name))
            self.lot_lines.append((line, rows))

    def lot_rows(self) -> list[tuple[Any, list[tuple[forms.BoundField, forms.BoundField]]]]:
        return [(line, [(self[a], self[b]) for a, b in rows]) for line, rows in self.lot_lines]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lots = []
        for line, rows in self.lot_lines:
            for lot_name, quantity_name in rows:
                lot, quantity = data.pop(lot_name, ""), data.pop(quantity_name, None)
                if lot and quantity:
                    lots.append({"line": line.pk, "lot": int(lot), "quantity": quantity})
                elif lot or (quantity and rows.index((lot_name, quantity_name)) > 0):
                    self.add_error(lot_name if not lot else quantity_name, _("Give both the lot and its quantity."))
        data["lots"] = lots
        return data


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
