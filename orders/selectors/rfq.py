"""Reads of requests for quotation, always scoped by who asks, and the quote comparison.

A buyer sees its own company's RFQs and their quotes; a supplier sees the RFQs routed to it and
only its own quote. Anything else answers 404, exactly like an id that does not exist.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from buyers.models import BuyerCompany, BuyerMember
from suppliers.models import Supplier, SupplierFigures

from ..models import Order, Quote, Rfq, RfqAttachment, RfqEvent, RfqRecipient
from ..services.create import money

UNIT_PLACES = Decimal("0.0001")


def rfq_list_for_buyer(*, company: BuyerCompany) -> QuerySet[Rfq]:
    """The company's RFQs, newest first, each with how many suppliers it reached (`routed_count`)
    and how many live quotes it has (`quote_count`): subqueries, so one query for the page."""
    recipients = (
        RfqRecipient.objects.filter(rfq=OuterRef("pk")).order_by().values("rfq").annotate(n=Count("id")).values("n")
    )
    quotes = (
        Quote.objects.filter(rfq=OuterRef("pk"))
        .exclude(status=Quote.Status.WITHDRAWN)
        .order_by()
        .values("rfq")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Rfq.objects.filter(buyer=company)
        .select_related("category")
        .annotate(
            routed_count=Subquery(recipients, output_field=IntegerField()),
            quote_count=Subquery(quotes, output_field=IntegerField()),
        )
        .order_by("-created_at", "-id")
    )


def rfq_get_for_buyer(*, company: BuyerCompany | None, pk: int) -> Rfq:
    """One RFQ of the company (with its counts), or 404."""
    if company is None:
        raise Http404("No such RFQ")
    rfq = rfq_list_for_buyer(company=company).select_related("belt").filter(pk=pk).first()
    if rfq is None:
        raise Http404("No such RFQ")
    return rfq


def rfq_orders(*, rfq: Rfq) -> list[Order]:
    """The orders an award of the RFQ made (one per accepted quote)."""
    return list(Order.objects.filter(quote__rfq=rfq).select_related("supplier").order_by("pk"))


def rfq_event_list_for_buyer(*, rfq: Rfq) -> QuerySet[RfqEvent]:
    """The whole history of the buyer's own RFQ, oldest first, with who and which supplier's
    quote joined in (one query)."""
    return RfqEvent.objects.filter(rfq=rfq).select_related("actor", "quote__supplier").order_by("created_at", "id")


def rfq_event_list_for_supplier(*, rfq: Rfq, supplier: Supplier) -> QuerySet[RfqEvent]:
    """The history a supplier may see of an RFQ routed to it: the RFQ's own steps and those of its
    own quote, never another supplier's quote (one query)."""
    return (
        RfqEvent.objects.filter(rfq=rfq)
        .filter(Q(quote__isnull=True) | Q(quote__supplier=supplier))
        .select_related("actor")
        .order_by("created_at", "id")
    )


# --- the comparison -----------------------------------------------------------------------------


@dataclass
class QuoteRow:
    """One quote as the buyer compares it, brought to the RFQ's Incoterm where the supplier gave
    freight. `comparable` is False when the price cannot be put on the RFQ's terms (another
    Incoterm without freight, or another currency): such a quote is never ranked with the others."""

    quote: Quote
    supplier: Supplier
    figures: SupplierFigures | None
    basis_quantity: int
    comparable: bool
    reason: str  # "", "incoterm" or "currency": why the price is not comparable
    freight_per_unit: Decimal
    comparable_unit_price: Decimal | None
    total: Decimal  # at the basis quantity, with freight when added
    expired: bool
    covers_all: bool
    best: bool = False

    @property
    def level_label(self) -> str:
        return str(self.supplier.level_label)


def quote_row(*, rfq: Rfq, quote: Quote, today: date | None = None) -> QuoteRow:
    """Normalise one quote to the RFQ: the total at the RFQ's quantity (at the quote's own quantity
    when it offers less and the RFQ allows group supply), plus the freight when the quote's
    Incoterm differs from the RFQ's and freight was given; exact Decimal arithmetic."""
    today = today or timezone.localdate()
    basis = quote.quantity if rfq.allow_split else rfq.quantity
    basis = min(basis, rfq.quantity)
    reason = ""
    freight = Decimal("0")
    if quote.currency != rfq.currency:
        reason = "currency"
    elif quote.incoterm != rfq.incoterm:
        if quote.freight_total is None:
            reason = "incoterm"
        else:
            freight = quote.freight_total
    goods = quote.unit_price * basis
    total = money(goods + freight)
    comparable_unit = None
    if not reason:
        # The freight spread over the quantity it ships with (= the RFQ's quantity unless a
        # group-supply quote offers less): unit price + freight_total / quantity.
        comparable_unit = (quote.unit_price + freight / basis).quantize(UNIT_PLACES, rounding=ROUND_HALF_UP)
    try:
        figures = quote.supplier.figures
    except SupplierFigures.DoesNotExist:
        figures = None
    return QuoteRow(
        quote=quote,
        supplier=quote.supplier,
        figures=figures,
        basis_quantity=basis,
        comparable=not reason,
        reason=reason,
        freight_per_unit=(freight / basis).quantize(UNIT_PLACES, rounding=ROUND_HALF_UP) if freight else Decimal("0"),
        comparable_unit_price=comparable_unit,
        total=total,
        expired=quote.valid_until < today,
        covers_all=quote.quantity >= rfq.quantity,
    )


def rfq_comparison(*, rfq: Rfq) -> list[QuoteRow]:
    """The RFQ's quotes side by side (withdrawn ones left out): comparable ones first, cheapest
    comparable unit price first, the cheapest valid one marked `best`; then the others. One query."""
    quotes = (
        Quote.objects.filter(rfq=rfq)
        .exclude(status=Quote.Status.WITHDRAWN)
        .select_related("supplier", "supplier__figures")
        .order_by("pk")
    )
    rows = [quote_row(rfq=rfq, quote=quote) for quote in quotes]
    rows.sort(key=lambda r: (not r.comparable, r.comparable_unit_price or Decimal("0"), r.quote.pk))
    candidates = [r for r in rows if r.comparable and not r.expired and r.quote.status == Quote.Status.SUBMITTED]
    if candidates:
        candidates[0].best = True
    return rows


# --- the supplier's side ------------------------------------------------------------------------


def opportunity_list_for_supplier(*, supplier: Supplier) -> QuerySet[RfqRecipient]:
    """The RFQs routed to the supplier: open ones (taking quotes) first, newest first within each,
    with the RFQ and `my_quote_status` (its own quote's status or None). One query."""
    today = timezone.localdate()
    own = Quote.objects.filter(rfq=OuterRef("rfq_id"), supplier=supplier).values("status")[:1]
    return (
        RfqRecipient.objects.filter(supplier=supplier)
        .select_related("rfq", "rfq__category")
        .annotate(
            my_quote_status=Subquery(own),
            open_rank=Case(
                When(Q(rfq__status=Rfq.Status.OPEN) & Q(rfq__deadline__gte=today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("open_rank", "-routed_at", "-id")
    )


def opportunity_get_for_supplier(*, supplier: Supplier | None, rfq_id: int) -> RfqRecipient:
    """The supplier's invitation to one RFQ (with the RFQ), or 404 when it was not routed to it."""
    if supplier is None:
        raise Http404("No such RFQ")
    recipient = (
        RfqRecipient.objects.filter(supplier=supplier, rfq_id=rfq_id)
        .select_related("rfq", "rfq__category", "rfq__belt")
        .first()
    )
    if recipient is None:
        raise Http404("No such RFQ")
    return recipient


def quote_of_supplier(*, rfq: Rfq, supplier: Supplier) -> Quote | None:
    """The supplier's own quote for the RFQ, if any (never another supplier's)."""
    return Quote.objects.filter(rfq=rfq, supplier=supplier).first()


# --- attachments --------------------------------------------------------------------------------


def rfq_attachment_list(*, rfq: Rfq) -> list[RfqAttachment]:
    """The RFQ's files, oldest first, with their check state (the caller has shown it may see the RFQ)."""
    return list(RfqAttachment.objects.filter(rfq=rfq).order_by("created_at", "pk"))


def rfq_attachment_get_for_user(*, user: User, rfq_id: int, pk: int) -> RfqAttachment:
    """A clean file of an RFQ for the people who may see the RFQ: its buying company's members, the
    suppliers it was routed to, and staff. Http404 for everyone else and for a file not (yet) clean."""
    attachment = RfqAttachment.objects.select_related("rfq").filter(rfq_id=rfq_id, pk=pk).first()
    if attachment is None or not attachment.is_available():
        raise Http404
    rfq = attachment.rfq
    allowed = (
        user.is_staff
        or BuyerMember.objects.filter(user=user, company_id=rfq.buyer_id).exists()
        or RfqRecipient.objects.filter(rfq=rfq, supplier__members__user=user).exists()
    )
    if not allowed:
        raise Http404
    return attachment
