"""The API's serializer fields: as strict as the OpenAPI schema they produce.

- Number fields refuse text in digits other than 0-9 (`marketplace.numbers`).
- Text fields refuse JSON numbers and booleans: the schema says `string`, and DRF's own CharField
  would silently turn `123` into "123".

Input serializers declare these instead of DRF's, and model serializers that take input derive
from `ModelSerializer` below; tests/marketplace/test_ascii_digits.py walks every operation's
serializers for plain number fields.
"""

from typing import Any

from rest_framework import serializers

from .numbers import ASCII_DIGITS_MESSAGE, has_foreign_digits


class _AsciiSerializerField(serializers.Field):
    default_error_messages = {"ascii_digits": ASCII_DIGITS_MESSAGE}

    def to_internal_value(self, data: Any) -> Any:
        if has_foreign_digits(data):
            self.fail("ascii_digits")
        return super().to_internal_value(data)


class IntegerField(_AsciiSerializerField, serializers.IntegerField):
    """serializers.IntegerField that refuses digits other than 0-9."""


class DecimalField(_AsciiSerializerField, serializers.DecimalField):
    """serializers.DecimalField that refuses digits other than 0-9."""


class FloatField(_AsciiSerializerField, serializers.FloatField):
    """serializers.FloatField that refuses digits other than 0-9."""


class _TextOnly(serializers.Field):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(_TextOnly, serializers.CharField):
    """serializers.CharField that takes text only, not a number or a boolean."""


class SlugField(_TextOnly, serializers.SlugField):
    """serializers.SlugField that takes text only, not a number or a boolean."""


FIELDS: dict[type[serializers.Field], type[serializers.Field]] = {
    serializers.IntegerField: IntegerField,
    serializers.DecimalField: DecimalField,
    serializers.FloatField: FloatField,
    serializers.CharField: CharField,
    serializers.SlugField: SlugField,
}


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields made from the model are the strict ones above."""

    serializer_field_mapping = {
        model_field: FIELDS.get(field, field)
        for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
    }
