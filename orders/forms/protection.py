"""Forms of payment protection on the order page: the buyer's dispute, the supplier's answer.

They check each field alone; the services check again and decide (files by their content, in the
worker). A refused form re-renders the page with what was typed.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.numbers import AsciiDecimalField
from suppliers.forms.application import MultipleFileField

from ..models import Dispute
from ..services.disputes import MAX_FILES, MAX_TEXT
from .orders import _ServiceErrorsMixin


def _evidence_help() -> str:
    # Formatted per request, in its language (a lazy string formatted at import would not be).
    return gettext("Photos or PDFs (inspection report, packing list), at most %(n)d files.") % {"n": MAX_FILES}


class DisputeOpenForm(_ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What went wrong?"), choices=Dispute.Reason.choices, error_messages={"required": _("Choose a reason.")}
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what went wrong.")},
        help_text=_("The supplier and the platform read this."),
    )
    refund_requested = AsciiDecimalField(
        label=_("Refund you ask for (empty: everything held)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    evidence = MultipleFileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()


class DisputeAnswerForm(_ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give your answer.")},
        help_text=_("The buyer and the platform read this; the platform then decides."),
    )
    evidence = MultipleFileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()
