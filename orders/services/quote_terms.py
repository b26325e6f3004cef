"""The quote's terms against the RFQ's: a quote that leaves the buyer paying for what the RFQ asked
the seller to pay (carriage under CFR/CIF/DAP/DDP, or any step of the way an earlier Incoterm
leaves out) without a freight amount to bring it to the RFQ's terms is held back until the
supplier confirms it (`quote_submit(confirm_terms=True)`).

The Incoterms are ranked by how far the seller's costs reach (EXW first, DDP last): a quote
ranked below the RFQ needs `freight_total` to be compared; one ranked at or above it does not.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from marketplace.exceptions import ConflictError

from ..models import Incoterm, Rfq

# How far the seller's costs reach, in the order of the Incoterms 2020 rules used here.
SELLER_REACH = {
    Incoterm.EXW: 0,
    Incoterm.FCA: 1,
    Incoterm.FOB: 2,
    Incoterm.CFR: 3,
    Incoterm.CIF: 4,
    Incoterm.DAP: 5,
    Incoterm.DDP: 6,
}
# The seller pays the main carriage to the destination.
CARRIAGE_PAID = frozenset({Incoterm.CFR, Incoterm.CIF, Incoterm.DAP, Incoterm.DDP})

TERMS_CODE = "quote_terms_unconfirmed"


@dataclass(frozen=True)
class TermsGap:
    """What the buyer asked, what the quote says, and what is missing to compare them."""

    asked: str
    quoted: str
    carriage: bool  # the RFQ's term has the seller pay the carriage and the quote's does not
    missing: tuple[str, ...]  # "freight", and "insurance" when the RFQ is CIF

    @property
    def quoted_label(self) -> str:
        return str(Incoterm(self.quoted).label)

    def message(self) -> str:
        asked, quoted = Incoterm(self.asked).label, Incoterm(self.quoted).label
        if self.carriage:
            text = _(
                "The buyer asked for %(asked)s: the seller pays the freight to the destination. Your quote is "
                "%(quoted)s: the buyer would pay it, and no freight amount is given."
            )
        else:
            text = _(
                "The buyer asked for %(asked)s. Your quote is %(quoted)s, which leaves costs of the buyer's "
                "terms to the buyer, and no freight amount is given."
            )
        text = text % {"asked": asked, "quoted": quoted}
        if "insurance" in self.missing:
            text += " " + _("Under CIF the seller also insures the goods: include the insurance in the freight.")
        return (
            text
            + " "
            + _(
                "Add the freight to the buyer's terms, or send on these terms anyway: the buyer sees that your "
                "price cannot be compared with the others."
            )
        )


class QuoteTermsUnconfirmed(ConflictError):
    """The quote is on other terms than the RFQ's without freight, and the supplier has not
    confirmed sending it so (409, `code` quote_terms_unconfirmed)."""

    def __init__(self, gap: TermsGap) -> None:
        super().__init__(
            gap.message(),
            {"code": TERMS_CODE, "asked": gap.asked, "quoted": gap.quoted, "missing": list(gap.missing)},
        )
        self.gap = gap


def quote_terms_gap(*, rfq: Rfq, incoterm: str, freight_total: Decimal | None) -> TermsGap | None:
    """The gap between the RFQ's Incoterm and a quote's, or None when the quote can be compared:
    the same term, a term reaching at least as far for the seller, or freight given."""
    if incoterm == rfq.incoterm or freight_total is not None:
        return None
    if SELLER_REACH[Incoterm(incoterm)] >= SELLER_REACH[Incoterm(rfq.incoterm)]:
        return None
    missing = ["freight"]
    if rfq.incoterm == Incoterm.CIF:
        missing.append("insurance")
    return TermsGap(
        asked=rfq.incoterm,
        quoted=incoterm,
        carriage=rfq.incoterm in CARRIAGE_PAID and incoterm not in CARRIAGE_PAID,
        missing=tuple(missing),
    )


def quote_terms_check(*, rfq: Rfq, fields: dict[str, Any], confirmed: bool) -> None:
    """Raise QuoteTermsUnconfirmed when the quote's terms leave a gap the supplier has not confirmed."""
    gap = quote_terms_gap(rfq=rfq, incoterm=fields["incoterm"], freight_total=fields["freight_total"])
    if gap is not None and not confirmed:
        raise QuoteTermsUnconfirmed(gap)
