"""The award of an RFQ: one purchase, one order per awarded quote (through `order_create`, like
every order), the other quotes declined, everyone told. The invariants are those of
`orders.services.rfq`; the RFQ row is the lock."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Order, OrderEvent, OrderKind, Party, Purchase, Quote, Rfq, RfqEvent
from .create import OrderLineDraft, money, order_create
from .events import order_event_record
from .placing import purchase_fingerprint, purchase_get_or_create
from .rfq import (
    RfqStateConflict,
    _declined_events,
    _email_supplier,
    _event,
    _lock_rfq,
    _require_buyer_member,
)


@transaction.atomic
def rfq_award(
    *,
    rfq: Rfq,
    actor: User,
    awards: Sequence[tuple[Quote | int, int]],
    shipping_address: str,
    ship_to_country: str,
    idempotency_key: str,
    language: str,
) -> tuple[Purchase, bool]:
    """Accept one quote (or, with group supply, several) and make one purchase with one order per
    accepted quote at the quote's price; decline the other quotes; email every quoting supplier
    after commit. The same key and body again returns the first purchase (created False).

    Raises PermissionDenied (not a member of the buying company), RfqStateConflict (not open,
    quote not submitted), ApplicationError / ValidationError (quantities, terms),
    IdempotencyKeyReused."""
    rfq = _lock_rfq(rfq.pk)
    _require_buyer_member(buyer=rfq.buyer_id, actor=actor)
    wanted: list[tuple[int, int]] = []
    for award, quantity in awards:
        quote_id = award if isinstance(award, int) else award.pk
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ValidationError({"awards": [_("Quantities must be whole numbers of at least 1.")]})
        wanted.append((int(quote_id), quantity))
    wanted.sort()
    shipping_address = (shipping_address or "").strip()
    ship_to_country = (ship_to_country or "").strip().upper()
    fingerprint = purchase_fingerprint(
        {"rfq": rfq.pk, "awards": wanted, "shipping_address": shipping_address, "ship_to_country": ship_to_country}
    )
    # The key first: a retry of an award that went through finds its purchase (the RFQ is no
    # longer open by then, which would otherwise refuse it).
    purchase, created = purchase_get_or_create(
        buyer=rfq.buyer,
        actor=actor,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        source=Purchase.Source.RFQ,
    )
    if not created:
        return purchase, False
    if rfq.status != Rfq.Status.OPEN:
        raise RfqStateConflict(
            _("This request is “%(status)s”: it can no longer be awarded.") % {"status": rfq.status_label}
        )
    if not wanted:
        raise ValidationError({"awards": [_("Choose the quote you accept.")]})
    if len({quote_id for quote_id, _q in wanted}) != len(wanted):
        raise ValidationError({"awards": [_("Each quote can be accepted once.")]})
    if not rfq.allow_split and len(wanted) > 1:
        raise ValidationError({"awards": [_("This request is not for group supply: accept one quote.")]})
    quotes = {
        q.pk: q
        for q in Quote.objects.select_for_update(of=("self",)).select_related("supplier").filter(rfq=rfq).order_by("pk")
    }
    today = timezone.localdate()
    for quote_id, quantity in wanted:
        quote = quotes.get(quote_id)
        if quote is None:
            raise ValidationError({"awards": [_("Quote %(id)s is not a quote for this request.") % {"id": quote_id}]})
        name = quote.supplier.name
        if quote.status != Quote.Status.SUBMITTED:
            raise RfqStateConflict(
                _("The quote of %(supplier)s is “%(status)s” and cannot be accepted.")
                % {"supplier": name, "status": quote.status_label}
            )
        if quote.valid_until < today:
            raise RfqStateConflict(_("The quote of %(supplier)s has expired.") % {"supplier": name})
        if quantity < quote.moq:
            raise ValidationError(
                {"awards": [_("%(supplier)s: at least its MOQ of %(moq)s.") % {"supplier": name, "moq": quote.moq}]}
            )
        if quantity > quote.quantity:
            raise ValidationError(
                {
                    "awards": [
                        _("%(supplier)s: at most the %(n)s it quoted for.") % {"supplier": name, "n": quote.quantity}
                    ]
                }
            )
    if sum(quantity for _q, quantity in wanted) > rfq.quantity:
        raise ValidationError(
            {"awards": [_("Together the quantities may be at most the %(n)s you asked for.") % {"n": rfq.quantity}]}
        )

    now = timezone.now()
    awarded: list[tuple[Quote, Order]] = []
    for quote_id, quantity in wanted:
        quote = quotes[quote_id]
        awarded.append((quote, _order_from_quote(rfq, quote, quantity, purchase, actor, shipping_address,
                                                  ship_to_country, language)))  # fmt: skip
        quote.status, quote.accepted_quantity, quote.decided_by, quote.decided_at = (
            Quote.Status.ACCEPTED, quantity, actor, now
        )  # fmt: skip
        quote.save(update_fields=["status", "accepted_quantity", "decided_by", "decided_at", "updated_at"])
        _event(
            rfq=rfq,
            quote=quote,
            kind=RfqEvent.Kind.AWARDED,
            party=Party.BUYER,
            actor=actor,
            data={"quantity": quantity, "order": awarded[-1][1].number},
        )
    awarded_ids = {quote.pk for quote, _order in awarded}
    declined = [q for q in quotes.values() if q.pk not in awarded_ids and q.status == Quote.Status.SUBMITTED]
    Quote.objects.filter(pk__in=[q.pk for q in declined]).update(
        status=Quote.Status.DECLINED, decided_by=actor, decided_at=now, updated_at=now
    )
    _declined_events(rfq=rfq, quotes=declined, actor=actor, why="awarded")
    rfq.status = Rfq.Status.AWARDED
    rfq.save(update_fields=["status", "updated_at"])

    for quote, order in awarded:
        _email_supplier(quote.supplier, "rfq_quote_accepted", {"rfq": rfq, "quote": quote, "order": order})
    for quote in declined:
        _email_supplier(quote.supplier, "rfq_quote_declined", {"rfq": rfq, "quote": quote})
    return purchase, True


def _order_from_quote(
    rfq: Rfq,
    quote: Quote,
    quantity: int,
    purchase: Purchase,
    actor: User,
    shipping_address: str,
    ship_to_country: str,
    language: str,
) -> Order:
    """One order for an accepted quote, at its price, made by `order_create` like every order.
    Under the RFQ's Incoterm when the quote is, or when it gave freight to the RFQ's terms (passed
    as the order's freight line); otherwise under the quote's own Incoterm, which its price covers."""
    with_freight = quote.incoterm != rfq.incoterm and quote.freight_total is not None
    same_terms = quote.incoterm == rfq.incoterm or with_freight
    freight = None
    with translation.override(language):
        note = _("From your request for quotation “%(title)s”.") % {"title": rfq.title}
        if with_freight:
            freight = OrderLineDraft(
                title=_("Freight to %(country)s (%(incoterm)s)")
                % {"country": rfq.destination_country_name, "incoterm": rfq.incoterm},
                unit="unit",
                quantity=1,
                unit_price=money(quote.freight_total or Decimal("0")),
            )
    order = order_create(
        purchase=purchase,
        buyer=rfq.buyer,
        actor=actor,
        supplier=quote.supplier,
        kind=OrderKind.BULK,
        currency=quote.currency,
        lines=[OrderLineDraft(title=rfq.title, unit=rfq.unit, quantity=quantity, unit_price=quote.unit_price)],
        freight=freight,
        terms={
            "incoterm": rfq.incoterm if same_terms else quote.incoterm,
            "incoterm_place": rfq.incoterm_place if same_terms else quote.incoterm_place,
            "shipping_address": shipping_address,
            "ship_to_country": ship_to_country,
            "note": note,
        },
        lead_time_days=quote.lead_time_days,
        language=language,
        quote=quote,
    )
    order_event_record(
        order=order,
        actor=actor,
        party=OrderEvent.Party.BUYER,
        kind=OrderEvent.Kind.NOTE,
        from_status=order.status,
        to_status=order.status,
        note=note,
        data={
            "rfq": rfq.pk,
            "quote": quote.pk,
            "awarded_quantity": quantity,
            "awarded_by": actor.pk,
            "unit_price": str(quote.unit_price),
            "freight": str(quote.freight_total) if with_freight else None,
        },
    )
    return order
