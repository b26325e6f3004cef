"""HS codes: the Harmonized System's 6-digit subheading, optionally extended by a national tariff
code (China's 10-digit customs code, a US 10-digit HTS, an EU 8-digit CN code).

Stored normalised: digits only, no dots or spaces ("8456.11" and "8456 11" are "845611").
A category carries one, its sub-categories and listings inherit it unless they set their own:
`effective_hs_code` here (over a mapping of the tree) and the SQL function
`belts_category_hs_code` (migration 0003) answer the same.
"""

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HS_MAX_LENGTH = 10
# Lengths of a subheading or a national code built on one: 6 (HS), 8 (EU CN, many tariffs), 10 (China, US).
HS_LENGTHS = (6, 8, 10)
# How long a search prefix may be: a chapter (2), a heading (4), a subheading (6) or a national code.
HS_PREFIX_LENGTHS = (2, 4, 6, 8, 10)
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise_hs_code(value: object) -> str:
    """`value` as stored ("8456.11.00 00" → "8456110000"), or raise ValidationError saying what is
    wrong. Empty input is "" (not set: inherited)."""
    text = _SEPARATORS.sub("", str(value or "").strip())
    if not text:
        return ""
    if not text.isascii() or not text.isdigit():
        raise ValidationError(
            _("An HS code has digits only (dots and spaces are allowed between them), such as 8456.11."),
            code="hs_digits",
        )
    if len(text) not in HS_LENGTHS:
        raise ValidationError(
            _(
                "An HS code has 6 digits (the subheading, such as 8456.11), or 8 or 10 with a national "
                "tariff code (such as China's 8456110000); this one has %(count)s."
            )
            % {"count": len(text)},
            code="hs_length",
        )
    if text[:2] == "00" or int(text[:2]) > 97:
        raise ValidationError(
            _("An HS code starts with its chapter, 01 to 97; “%(chapter)s” is none.") % {"chapter": text[:2]},
            code="hs_chapter",
        )
    return text


def validate_hs_code(value: str) -> None:
    """A model field validator: the stored value must already be normalised."""
    if normalise_hs_code(value) != value:
        raise ValidationError(_("Give the HS code as digits only, such as 845611."), code="hs_normalised")


def normalise_hs_prefix(value: object) -> str:
    """A search prefix (chapter, heading, subheading or longer) as digits, or ValidationError."""
    text = _SEPARATORS.sub("", str(value or "").strip())
    if not text:
        return ""
    if not text.isascii() or not text.isdigit() or len(text) not in HS_PREFIX_LENGTHS:
        raise ValidationError(
            _("Search HS codes by chapter (2 digits), heading (4), subheading (6) or a full national code."),
            code="hs_prefix",
        )
    return text


def format_hs_code(code: str) -> str:
    """The code as customs write it: 8456.11, 8456.11.00, 8456.11.00.00."""
    if len(code) < 6:
        return code
    parts = [code[:4], code[4:6], *(code[i : i + 2] for i in range(6, len(code), 2))]
    return ".".join(parts)


def effective_hs_code(category_id: int | None, tree: Mapping[int, tuple[int | None, str]]) -> str:
    """The nearest HS code set on the category or its ancestors ("" when none is).

    `tree` maps each category id to (parent id, own code); a cycle (never in a saved tree) stops."""
    seen: set[int] = set()
    while category_id is not None and category_id not in seen:
        seen.add(category_id)
        parent_id, code = tree[category_id]
        if code:
            return code
        category_id = parent_id
    return ""


class HsCodeFormField(forms.CharField):
    """An HS code as typed ("8456.11", "8456 11 00 00"), cleaned to its stored digits; the message
    says what is wrong, and the page keeps what was typed."""

    def __init__(self, *, prefix: bool = False, **kwargs: Any) -> None:
        self.prefix = prefix
        kwargs.setdefault("max_length", 20)  # room for dots and spaces between the digits
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return normalise_hs_prefix(text) if self.prefix else normalise_hs_code(text)


def hs_code_formfield(db_field: Any) -> forms.Field | None:
    """For an admin's `formfield_for_dbfield`: an `hs_code` column is typed as customs write it
    (8456.11) and stored as its digits; None for any other column."""
    if db_field.name != "hs_code":
        return None
    return HsCodeFormField(label=db_field.verbose_name, help_text=db_field.help_text, required=False)
