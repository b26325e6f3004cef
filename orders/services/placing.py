"""Checkout: the cart page and the API turn a buyer's lines into priced orders.

A purchase is one checkout (the cart page, the API) or one accepted RFQ award (orders.services.rfq);
both create their orders through `orders.services.create.order_create`. A checkout makes one
order per (supplier, kind, currency): a supplier's listings priced in two currencies become two
orders, because an order's totals are exact in one currency and are never converted.

Every price is computed here from the listing's tiers (bulk) or its sample price (samples);
whatever price a client sends is never read. Every quantity rule is judged by the catalog's own
`Listing.check_quantities` (catalog.rules): MOQ per variant or as a mixed batch, order multiples.

Invariants kept:
- idempotency: `(placed_by, idempotency_key)` is unique in the database. The Purchase row is
  inserted first in the transaction, so concurrent submissions with one key queue on the unique
  index; the losers read the winner's committed purchase (same body) or are refused (other body).
- spot stock never goes below zero: rows locked in one fixed order (orders.services.locks), then
  checked, then decremented with F(); a CheckConstraint is the last line of defence.
- a sample fee is credited at most once: the sample line is locked and marked `credited_to`.
- all of a purchase is kept, or none of it.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from buyers.models import BuyerCompany
from catalog.models import Listing, ListingVariant
from marketplace.exceptions import ApplicationError, ConflictError

# The kernel's error (marketplace.idempotency), raised for a purchase's own key too; views import it here.
from marketplace.idempotency.services import IdempotencyKeyReused as IdempotencyKeyReused

from ..models import CartLine, Order, OrderKind, PaymentTerms, Purchase
from .cart import nearest_for_api
from .create import MAX_LINES, OrderLineDraft, order_create, order_payment_terms_check, order_terms_clean
from .locks import StockKey, stock_rows_lock


class StockShortage(ConflictError):
    """Not enough spot stock for a line (409; `extra` says which and how many are left)."""


@dataclass(frozen=True)
class LineRequest:
    """One line a buyer asks for. `kind` overrides the purchase's kind (a cart may hold bulk and
    sample lines; the API sends one kind for the whole request)."""

    listing_id: int
    variant_id: int | None
    quantity: int
    from_stock: bool = False
    kind: str | None = None


@dataclass
class _PricedLine:
    listing: Listing
    variant: ListingVariant | None
    quantity: int
    unit_price: Decimal
    from_stock: bool


# --- the purchase row and its key ------------------------------------------------------------


def purchase_fingerprint(body: dict[str, Any]) -> str:
    """sha256 of a request body normalised to sorted-key JSON (lines sorted too by the caller)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def purchase_get_or_create(
    *, buyer: BuyerCompany, actor: User, idempotency_key: str, fingerprint: str, source: str
) -> tuple[Purchase, bool]:
    """The purchase of `actor`'s `idempotency_key`: made now (True) or the committed one (False).

    Call inside a transaction and insert before anything else: a concurrent request with the same
    key waits on the unique index until this transaction ends, then either inserts (this one
    rolled back) or gets IntegrityError and reads the committed row. Raises IdempotencyKeyReused
    when the key was used for another body.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ApplicationError(_("An idempotency key of 1 to 100 characters is required."))
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives the conflict
            purchase = Purchase.objects.create(
                buyer=buyer, placed_by=actor, idempotency_key=key, fingerprint=fingerprint, source=source
            )
        return purchase, True
    except IntegrityError:
        purchase = Purchase.objects.get(placed_by=actor, idempotency_key=key)
    if purchase.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This idempotency key was already used for a different order. Use a new key for a new order.")
        )
    return purchase, False


# --- placing ------------------------------------------------------------------------------------

SUPPLIER_TERM_FIELDS = ("incoterm", "incoterm_place", "note", "payment_terms", "deposit_percent")


def _supplier_terms_clean(
    *, buyer: BuyerCompany, common: dict[str, Any], supplier_id: int, given: dict[str, Any]
) -> dict[str, Any]:
    """One supplier's terms: the common ones with what was given for it; errors keyed
    "<field>-<supplier id>" so a form shows them beside that supplier's fields."""
    unknown = set(given) - set(SUPPLIER_TERM_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown order terms: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    merged = {**common, **given}
    try:
        terms = order_terms_clean(**merged)
        order_payment_terms_check(buyer=buyer, payment_terms=terms["payment_terms"])
    except ValidationError as exc:
        raise ValidationError(
            {
                (f"{field}-{supplier_id}" if field in SUPPLIER_TERM_FIELDS else field): errors
                for field, errors in exc.message_dict.items()
            }
        ) from None
    return terms


def _normalised_lines(lines: list[LineRequest], kind: str) -> list[LineRequest]:
    if kind not in OrderKind.values:
        raise ValidationError({"kind": [_("Choose bulk or sample.")]})
    if not lines:
        raise ApplicationError(_("Add at least one item to order."))
    if len(lines) > MAX_LINES:
        raise ApplicationError(_("An order may have at most %(n)s lines.") % {"n": MAX_LINES})
    out = []
    for line in lines:
        line_kind = line.kind or kind
        if line_kind not in OrderKind.values:
            raise ValidationError({"kind": [_("Choose bulk or sample.")]})
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
        out.append(
            LineRequest(
                listing_id=int(line.listing_id),
                variant_id=int(line.variant_id) if line.variant_id else None,
                quantity=line.quantity,
                from_stock=bool(line.from_stock) and line_kind == OrderKind.BULK,
                kind=line_kind,
            )
        )
    return sorted(out, key=lambda r: (r.kind, r.listing_id, r.variant_id or 0, r.from_stock, r.quantity))


def _load_listings(listing_ids: set[int]) -> dict[int, Listing]:
    """Public listings of currently certified suppliers only, with what pricing reads prefetched."""
    listings = Listing.objects.public().select_related("supplier").prefetch_related("tiers", "variants")
    found = {listing.pk: listing for listing in listings.filter(pk__in=listing_ids)}
    missing = sorted(listing_ids - found.keys())
    if missing:
        raise ApplicationError(
            _("Listing %(ids)s cannot be ordered: it is not on sale (any more).")
            % {"ids": ", ".join(map(str, missing))},
            extra={"listings": missing},
        )
    return found


def _variant_of(listing: Listing, variant_id: int | None) -> ListingVariant | None:
    variants = {v.pk: v for v in listing.variants.all()}
    if variant_id is None:
        if variants:
            raise ApplicationError(_("%(listing)s: choose a variant.") % {"listing": listing.title})
        return None
    if variant_id not in variants:
        raise ApplicationError(
            _("%(listing)s: variant %(id)s is not one of its variants.") % {"listing": listing.title, "id": variant_id}
        )
    return variants[variant_id]


def _price_bulk(listing: Listing, requests: list[LineRequest]) -> list[_PricedLine]:
    """Price one listing's bulk lines by its tiers after checking its quantity rules as a whole
    (a mixed batch counts every variant together; the tier is reached by the listing's total)."""
    quantities: dict[int | None, int] = defaultdict(int)
    for request in requests:
        variant = _variant_of(listing, request.variant_id)
        quantities[variant.pk if variant else None] += request.quantity
    check = listing.check_quantities(quantities)
    if check.errors or check.tier is None:
        # The cart's words (orders.services.cart.QuantityRefused): the broken rules, then the
        # nearest quantities they accept; the API gets both as data too.
        messages = check.messages or [_("No price tier applies to this quantity.")]
        raise ApplicationError(
            _("%(listing)s: %(errors)s") % {"listing": listing.title, "errors": " ".join(messages)},
            extra={"listing": listing.pk, "errors": messages, "nearest": nearest_for_api(check)},
        )
    return [
        _PricedLine(
            listing=listing,
            variant=_variant_of(listing, r.variant_id),
            quantity=r.quantity,
            unit_price=check.tier.unit_price,
            from_stock=r.from_stock,
        )
        for r in requests
    ]


def _price_sample(listing: Listing, requests: list[LineRequest]) -> list[_PricedLine]:
    """One sample per listing, at the listing's sample price."""
    if not listing.sample_available or listing.sample_price is None:
        raise ApplicationError(_("%(listing)s: no samples are offered.") % {"listing": listing.title})
    if len(requests) > 1 or requests[0].quantity != 1:
        raise ApplicationError(
            _("%(listing)s: a sample order takes one sample per listing.") % {"listing": listing.title}
        )
    request = requests[0]
    variant = _variant_of(listing, request.variant_id) if request.variant_id else None
    price = listing.sample_price
    return [_PricedLine(listing=listing, variant=variant, quantity=1, unit_price=price, from_stock=False)]


def _reserve_stock(priced: list[_PricedLine]) -> None:
    """Take the from-stock quantities off the listing or variant rows, all or nothing."""
    wanted: dict[StockKey, int] = defaultdict(int)
    labels: dict[StockKey, str] = {}
    for line in priced:
        if line.from_stock:
            key = (line.listing.pk, line.variant.pk if line.variant else None)
            wanted[key] += line.quantity
            labels[key] = " / ".join(filter(None, [str(line.listing.title), str(line.variant or "")]))
    if not wanted:
        return
    listings, variants = stock_rows_lock(wanted)
    for key in sorted(wanted, key=lambda k: (k[0], k[1] or 0)):
        listing_id, variant_id = key
        row = variants[variant_id] if variant_id else listings[listing_id]
        if row.spot_stock is None:
            raise StockShortage(
                _("%(item)s is made to order only: it has no spot stock.") % {"item": labels[key]},
                extra={"listing": listing_id, "variant": variant_id, "available": 0},
            )
        if row.spot_stock < wanted[key]:
            raise StockShortage(
                _("%(item)s: only %(left)s left in stock (you asked for %(q)s).")
                % {"item": labels[key], "left": row.spot_stock, "q": wanted[key]},
                extra={"listing": listing_id, "variant": variant_id, "available": row.spot_stock},
            )
        model = ListingVariant if variant_id else Listing
        model.objects.filter(pk=row.pk).update(spot_stock=F("spot_stock") - wanted[key])


def _order_from_priced(
    *,
    purchase: Purchase,
    buyer: BuyerCompany,
    actor: User,
    kind: str,
    currency: str,
    terms: dict[str, Any],
    priced: list[_PricedLine],
    language: str,
) -> Order:
    """One checkout order: the priced lines as drafts, their snapshots in the buyer's language."""
    with translation.override(language):
        drafts = [
            OrderLineDraft(
                listing=line.listing,
                variant=line.variant,
                title=str(line.listing.title),
                variant_label=str(line.variant or ""),
                sku=line.variant.sku if line.variant and line.variant.sku else line.listing.sku,
                unit=line.listing.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                from_stock=line.from_stock,
            )
            for line in priced
        ]
    return order_create(
        purchase=purchase,
        buyer=buyer,
        actor=actor,
        supplier=priced[0].listing.supplier,
        kind=kind,
        currency=currency,
        lines=drafts,
        terms=terms,
        lead_time_days=max(line.listing.lead_time_days for line in priced) if kind == OrderKind.BULK else None,
        language=language,
    )


@transaction.atomic
def purchase_place(
    *,
    buyer: BuyerCompany,
    actor: User,
    lines: list[LineRequest],
    kind: str,
    shipping_address: str,
    ship_to_country: str,
    incoterm: str,
    incoterm_place: str = "",
    note: str = "",
    payment_terms: str = PaymentTerms.PREPAID,
    deposit_percent: Any = None,
    billing_address: str = "",
    supplier_terms: dict[int, dict[str, Any]] | None = None,
    idempotency_key: str,
    source: str,
    language: str,
) -> tuple[Purchase, bool]:
    """Place a purchase: one order per (supplier, kind, currency), priced from the tiers, stock
    reserved, sample fees credited, a `placed` event per order and emails to the suppliers after
    commit. Returns (purchase, True), or (the earlier purchase, False) for a repeated key and body.

    The terms given apply to every order; `supplier_terms` (by supplier id) replaces any of
    `incoterm`, `incoterm_place`, `note`, `payment_terms`, `deposit_percent` for that supplier's
    orders; terms for a supplier none of whose listings are ordered are refused ("suppliers").
    Raises ValidationError (fields; a supplier's by "<field>-<supplier id>"), ApplicationError
    (rules), StockShortage, IdempotencyKeyReused.
    """
    common = {
        "shipping_address": shipping_address,
        "ship_to_country": ship_to_country,
        "incoterm": incoterm,
        "incoterm_place": incoterm_place,
        "note": note,
        "payment_terms": payment_terms,
        "deposit_percent": deposit_percent,
        "billing_address": billing_address,
    }
    terms = order_terms_clean(**common)
    order_payment_terms_check(buyer=buyer, payment_terms=terms["payment_terms"])
    by_supplier = {
        supplier_id: _supplier_terms_clean(buyer=buyer, common=common, supplier_id=supplier_id, given=given)
        for supplier_id, given in sorted((supplier_terms or {}).items())
    }
    normalised = _normalised_lines(lines, kind)
    fingerprint = purchase_fingerprint(
        {
            "kind": kind,
            "lines": [[r.kind, r.listing_id, r.variant_id, r.quantity, r.from_stock] for r in normalised],
            **terms,
            "suppliers": {str(k): v for k, v in by_supplier.items()},
        }
    )
    purchase, created = purchase_get_or_create(
        buyer=buyer, actor=actor, idempotency_key=idempotency_key, fingerprint=fingerprint, source=source
    )
    if not created:
        return purchase, False

    listings = _load_listings({r.listing_id for r in normalised})
    strangers = sorted(set(by_supplier) - {listing.supplier_id for listing in listings.values()})
    if strangers:
        raise ValidationError(
            {
                "suppliers": [
                    _("Terms were given for supplier %(ids)s, which has no listing in this order.")
                    % {"ids": ", ".join(map(str, strangers))}
                ]
            }
        )
    by_listing: dict[tuple[str, int], list[LineRequest]] = defaultdict(list)
    for request in normalised:
        by_listing[(request.kind or kind, request.listing_id)].append(request)

    groups: dict[tuple[int, str, str], list[_PricedLine]] = defaultdict(list)
    for (line_kind, listing_id), requests in by_listing.items():
        listing = listings[listing_id]
        price = _price_bulk if line_kind == OrderKind.BULK else _price_sample
        groups[(listing.supplier_id, line_kind, listing.currency)].extend(price(listing, requests))

    _reserve_stock([line for priced in groups.values() for line in priced])
    for (supplier_id, line_kind, currency), priced in sorted(groups.items(), key=lambda item: item[0]):
        _order_from_priced(
            purchase=purchase,
            buyer=buyer,
            actor=actor,
            kind=line_kind,
            currency=currency,
            terms=by_supplier.get(supplier_id, terms),
            priced=priced,
            language=language,
        )
    return purchase, True


@transaction.atomic
def cart_checkout(
    *,
    buyer: BuyerCompany,
    actor: User,
    shipping_address: str,
    ship_to_country: str,
    incoterm: str,
    incoterm_place: str = "",
    note: str = "",
    payment_terms: str = PaymentTerms.PREPAID,
    deposit_percent: Any = None,
    billing_address: str = "",
    supplier_terms: dict[int, dict[str, Any]] | None = None,
    idempotency_key: str,
    language: str,
) -> tuple[Purchase, bool]:
    """Place everything in `actor`'s cart and empty it, in one transaction (terms as `purchase_place`).

    The key comes from the checkout page the buyer loaded: a double click or a resubmitted form
    sends it twice. The cart rows are locked first, so a second submission waits for the first
    to commit and then finds its purchase (the cart is empty by then: its body would no longer
    match, which is why the key is looked up before the body is compared).
    """
    cart = list(CartLine.objects.for_user(actor).select_for_update().order_by("pk"))
    existing = Purchase.objects.filter(placed_by=actor, idempotency_key=(idempotency_key or "").strip()).first()
    if existing is not None:
        return existing, False
    if not cart:
        raise ApplicationError(_("Your cart is empty."))
    purchase, created = purchase_place(
        buyer=buyer,
        actor=actor,
        lines=[
            LineRequest(
                listing_id=line.listing_id,
                variant_id=line.variant_id,
                quantity=line.quantity,
                from_stock=line.from_stock,
                kind=line.kind,
            )
            for line in cart
        ],
        kind=OrderKind.BULK,
        shipping_address=shipping_address,
        ship_to_country=ship_to_country,
        incoterm=incoterm,
        incoterm_place=incoterm_place,
        note=note,
        payment_terms=payment_terms,
        deposit_percent=deposit_percent,
        billing_address=billing_address,
        supplier_terms=supplier_terms,
        idempotency_key=idempotency_key,
        source=Purchase.Source.CART,
        language=language,
    )
    CartLine.objects.filter(pk__in=[line.pk for line in cart]).delete()
    return purchase, created


def order_stock_release(*, order: Order) -> None:
    """Give the spot stock of `order`'s from-stock lines back (for a cancelled order).

    Call inside the cancelling transaction, after locking the order: the rows are locked in the
    same fixed order placing uses. A listing or variant that went back to "made to order"
    (spot stock empty) gets nothing back.
    """
    back: dict[StockKey, int] = defaultdict(int)
    for line in order.lines.filter(from_stock=True, listing__isnull=False):
        assert line.listing_id is not None  # filtered above
        back[(line.listing_id, line.variant_id)] += line.quantity
    if not back:
        return
    stock_rows_lock(back)
    for (listing_id, variant_id), quantity in sorted(back.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        rows = ListingVariant.objects.filter(pk=variant_id) if variant_id else Listing.objects.filter(pk=listing_id)
        rows.filter(spot_stock__isnull=False).update(spot_stock=F("spot_stock") + quantity)
