"""Checks of what an applicant types that every door (form, service, API) applies the same way."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from .models import Supplier
from .selectors import supplier_uscc_taken


def uscc_clean(value: str, *, supplier: Supplier) -> str:
    """The compact USCC, or a ValidationError saying what is wrong with it.

    GB 32100-2015: 18 characters, 8 digits then digits and capital letters, and a check
    character; and no other company on the platform may hold it. Empty stays empty (a draft).
    """
    value = stdnum_uscc.compact(value or "")
    if not value:
        return ""
    try:
        stdnum_uscc.validate(value)
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError(
            _("A USCC has 18 characters; this one has %(count)s."), code="uscc_length", params={"count": len(value)}
        ) from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _(
                "The last character of a USCC is a check character calculated from the first 17 "
                "(GB 32100-2015), and it does not match here. Compare each character with your business licence."
            ),
            code="uscc_check_character",
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _(
                "A USCC starts with 8 digits; the other 10 characters are digits or capital letters "
                "other than I, O, S, V and Z."
            ),
            code="uscc_format",
        ) from exc
    if supplier_uscc_taken(uscc=value, supplier=supplier):
        raise ValidationError(
            _("A company with this USCC is already on the platform. If it is yours, contact us and we will help."),
            code="uscc_taken",
        )
    return value
