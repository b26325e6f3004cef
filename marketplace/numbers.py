"""Numbers people and clients type are written in ASCII digits only.

Python's `int()` and `Decimal()` read any script's digits ("１２", "١٢", "१२") and underscores
("1_000"), and so do Django's and DRF's number fields, which call them. A quantity written that
way would be stored as a number nobody typed as such; every number field of the forms is one of
the classes below instead (of the API: `marketplace.strict_fields`), which refuse such text with a
clear message before converting it. JSON numbers are ASCII by definition and pass as before.
"""

import re
from typing import Any

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils.translation import gettext_lazy as _

ASCII_DIGITS_MESSAGE = _("Write the number with the digits 0-9 only.")

_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_ascii_number(text: str, *, integer: bool = False) -> bool:
    """Whether `text` is a number in ASCII digits (spaces and tabs around it allowed)."""
    pattern = _ASCII_INTEGER if integer else _ASCII_DECIMAL
    return pattern.fullmatch(text.strip(" \t")) is not None


def has_foreign_digits(value: Any) -> bool:
    """Text a number field would read although it is not written in ASCII: another script's
    digits or spaces, or Python's underscores between digits."""
    return isinstance(value, str) and (not value.isascii() or "_" in value)


# --- forms ----------------------------------------------------------------------------------------


class _AsciiFormField(forms.Field):
    def to_python(self, value: Any) -> Any:
        if has_foreign_digits(value):
            raise forms.ValidationError(ASCII_DIGITS_MESSAGE, code="ascii_digits")
        return super().to_python(value)


class AsciiIntegerField(_AsciiFormField, forms.IntegerField):
    """forms.IntegerField that refuses digits other than 0-9."""


class AsciiDecimalField(_AsciiFormField, forms.DecimalField):
    """forms.DecimalField that refuses digits other than 0-9."""


class AsciiFloatField(_AsciiFormField, forms.FloatField):
    """forms.FloatField that refuses digits other than 0-9."""


ASCII_FORM_FIELDS: dict[type[forms.Field], type[forms.Field]] = {
    forms.IntegerField: AsciiIntegerField,
    forms.DecimalField: AsciiDecimalField,
    forms.FloatField: AsciiFloatField,
}


def ascii_formfield(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: the model field's usual form field, with the ASCII
    number classes in place of Django's."""
    field = model_field.formfield(**kwargs)
    if field is not None and type(field) in ASCII_FORM_FIELDS:
        field = model_field.formfield(**{**kwargs, "form_class": ASCII_FORM_FIELDS[type(field)]})
    return field


# --- quantities people type ---------------------------------------------------------------------
#
# A buyer types a quantity the way it is written around them: "2000", "2,000", "2 000" (a space, a
# no-break or thin space, as word processors and the French write it), or, with a Chinese input
# method in full-width mode, "２０００" and "２，０００". Those are the same digits and the same
# grouping in another width, so they are read; nothing else is guessed at:
# - a decimal point is refused, never dropped ("2.000" is two thousand in Germany and two here);
# - separators must group thousands in threes, one kind per number ("1,5" is a decimal comma, not 15);
# - other scripts' digits and Python's underscores are refused as for every number field above.

# Full-width digits and comma, and the spaces people group digits with, in their ASCII form.
_TYPED_WIDTHS = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "\uff0c": ",",  # full-width comma
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\u3000": " ",  # ideographic space
    }
)
_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
_DECIMAL = re.compile(r"[0-9, ]*\.[0-9]*")
_DIGITS_AND_SEPARATORS = re.compile(r"[0-9, ]+")
_LONGEST = 40  # characters: past this no quantity is meant (and int() of a huge string is slow)

QUANTITY_DIGITS_MESSAGE = _("Write the quantity with the digits 0-9.")


class QuantityTextError(ValueError):
    """Typed text that is not a quantity; `message` says why in the reader's language."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def parse_quantity(text: str, *, max_value: int) -> int | None:
    """The whole number a person typed as a quantity (see above for what is read), or None for
    nothing typed. Raises QuantityTextError with a message for anything else, or above `max_value`."""
    typed = text.translate(_TYPED_WIDTHS).strip()
    if not typed:
        return None
    shown = typed if len(typed) <= 20 else typed[:19] + "…"
    if _PLAIN.fullmatch(typed) or _GROUPED.fullmatch(typed):
        number = int(typed.replace(",", "").replace(" ", "")) if len(typed) <= _LONGEST else max_value + 1
        if number > max_value:
            raise QuantityTextError(
                str(_("“%(typed)s” is more than one order can take (at most %(max)s).") % {
                    "typed": shown, "max": intcomma(max_value)
                }),
                "max_value",
            )  # fmt: skip
        return number
    if typed.startswith("-") and _DIGITS_AND_SEPARATORS.fullmatch(typed[1:].strip()):
        raise QuantityTextError(str(_("Quantities cannot be negative.")), "negative")
    if _DECIMAL.fullmatch(typed):
        message = _("“%(typed)s” is not a whole number: order whole units, without a decimal point.")
        raise QuantityTextError(str(message % {"typed": shown}), "not_whole")
    if "_" in typed or any(char.isdigit() and not "0" <= char <= "9" for char in typed):
        raise QuantityTextError(str(QUANTITY_DIGITS_MESSAGE), "digits")
    if _DIGITS_AND_SEPARATORS.fullmatch(typed):
        message = _(
            "“%(typed)s” cannot be read as a quantity: group thousands in threes (2,000 or 2 000), or write 2000."
        )
        raise QuantityTextError(str(message % {"typed": shown}), "grouping")
    message = _("“%(typed)s” is not a number: type a whole number such as 2000 or 2,000.")
    raise QuantityTextError(str(message % {"typed": shown}), "invalid")


class QuantityField(forms.Field):
    """A quantity a person types, read by `parse_quantity` (empty is None). Rendered as text with a
    numeric keyboard: a number input would blank "2,000" before the server sees it."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *, max_value: int, **kwargs: Any) -> None:
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int):
            return value
        try:
            return parse_quantity(str(value or ""), max_value=self.max_value)
        except QuantityTextError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
