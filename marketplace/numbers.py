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
