"""Writes of a buyer's cart. The cart stores what and how many, never prices: the cart page and
checkout price it live from the tiers (orders.selectors.cart_for_user, orders.services.placing).

The cart holds only what could be ordered: every add and every change is judged by the listing's
own rules (`Listing.check_quantities`, catalog.rules) on the listing's bulk lines as they would
stand, and refused with the nearest quantities the rules accept (`QuantityRefused`), so the cart
page, checkout and the API never meet a quantity the listing page let through.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Listing, QuantityCheck
from catalog.rules import MAX_LINE_QUANTITY
from marketplace.exceptions import ApplicationError

from ..models import CartLine, OrderKind
from .locks import cart_lock

MAX_CART_LINES = 200

VariantKey = int | None


class QuantityRefused(ApplicationError):
    """Quantities a listing's rules refuse: `check` holds the broken rules and the nearest orders
    they accept; the message says both, in the words of the listing page's grid."""

    def __init__(self, check: QuantityCheck) -> None:
        messages = check.messages or [_("No price tier applies to this quantity.")]
        super().__init__(" ".join(messages), extra={"errors": messages, "nearest": nearest_for_api(check)})
        self.check = check


def nearest_for_api(check: QuantityCheck) -> list[list[dict[str, Any]]]:
    """The nearest orders of a refused check as API clients read them: a list of orders, each a
    list of {"variant": id or null, "quantity": n}."""
    orders = [order for order in (check.below, check.above) if order is not None] if check.errors else []
    return [[{"variant": key, "quantity": q} for key, q in order.items() if q] for order in orders]


def _bulk_quantities(lines: Iterable[CartLine]) -> dict[VariantKey, int]:
    """A listing's bulk lines as one order: variant → quantity (from stock and made to order add up)."""
    quantities: dict[VariantKey, int] = defaultdict(int)
    for line in lines:
        quantities[line.variant_id] += line.quantity
    return dict(quantities)


def _judge(listing: Listing, quantities: Mapping[VariantKey, int], *, free: Collection[VariantKey]) -> QuantityCheck:
    """Refuse (QuantityRefused) an order of `listing` its rules refuse or no tier prices."""
    check = listing.check_quantities(quantities, free=free)
    if check.errors or check.tier is None:
        raise QuantityRefused(check)
    return check


def _stock_check(listing: Listing, quantities: Mapping[VariantKey, int], from_stock: Collection[VariantKey]) -> None:
    variants = {v.pk: v for v in listing.variants.all()}
    for key, quantity in quantities.items():
        if key not in from_stock or not quantity:
            continue
        stock = variants[key].spot_stock if key is not None else listing.spot_stock
        label = str(variants[key]) if key is not None else str(listing.title)
        if stock is None:
            raise ApplicationError(_("This item is made to order only: it has no spot stock."))
        if stock < quantity:
            raise ApplicationError(
                _("%(item)s: only %(left)s left in stock (you asked for %(q)s).")
                % {"item": label, "left": intcomma(stock), "q": intcomma(quantity)}
            )


@transaction.atomic
def cart_add(
    *,
    user: User,
    listing: Listing,
    quantities: Mapping[VariantKey, int],
    kind: str,
    from_stock: Collection[VariantKey] = (),
) -> QuantityCheck | None:
    """Put `quantities` (variant id → quantity; None for a listing without variants) of a public
    `listing` (variants and tiers prefetched) in `user`'s cart. A quantity replaces what the cart
    held of that variant (adding again never adds up; 0 takes the variant out); variants not given
    keep theirs. The keys in `from_stock` are taken from spot stock. The listing's bulk lines as they
    would then stand must pass its rules, else nothing changes (QuantityRefused). A sample puts one
    unit of the first variant given (or of the listing). Returns the listing's bulk order as it now
    stands, checked (None for a sample, or when nothing of the listing is left)."""
    if kind not in OrderKind.values:
        raise ApplicationError(_("Choose bulk or sample."))
    variants = {v.pk: v for v in listing.variants.all()}
    if any(q < 0 or q > MAX_LINE_QUANTITY for q in quantities.values()):
        raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
    if any(key is not None and key not in variants for key in quantities) or (None in quantities and variants):
        raise ApplicationError(_("Choose one of the listing's variants."))
    cart_lock(user_id=user.pk)
    if kind == OrderKind.SAMPLE:
        if not listing.sample_available:
            raise ApplicationError(_("No samples are offered for this listing."))
        ordered = [key for key, q in quantities.items() if q]
        first = ordered[0] if ordered else next(iter(variants), None)
        if not CartLine.objects.filter(user=user, listing=listing, kind=OrderKind.SAMPLE).exists():
            _room_for(user, 1)
            CartLine.objects.create(user=user, listing=listing, variant_id=first, kind=OrderKind.SAMPLE, quantity=1)
        return None
    held = CartLine.objects.for_user(user).filter(listing=listing, kind=OrderKind.BULK)
    kept = [line for line in held if line.variant_id not in quantities]
    if not any(quantities.values()) and len(kept) == len(held):
        raise ApplicationError(_("Enter a quantity."))  # nothing to put in, nothing to take out
    order = {**_bulk_quantities(kept), **{key: q for key, q in quantities.items() if q}}
    # Everything taken out leaves nothing to judge; else what stays must pass.
    check = _judge(listing, order, free=[key for key, q in quantities.items() if q]) if any(order.values()) else None
    _stock_check(listing, quantities, from_stock)
    new = {key: q for key, q in quantities.items() if q}
    _room_for(user, len(new) - (len(held) - len(kept)))
    held.filter(variant_id__in=[key for key in quantities if key is not None]).delete()
    if None in quantities:
        held.filter(variant__isnull=True).delete()
    CartLine.objects.bulk_create(
        CartLine(
            user=user, listing=listing, variant_id=key, kind=OrderKind.BULK, from_stock=key in from_stock, quantity=q
        )
        for key, q in new.items()
    )
    return check


def _room_for(user: User, more: int) -> None:
    if more > 0 and CartLine.objects.for_user(user).count() + more > MAX_CART_LINES:
        raise ApplicationError(_("Your cart is full. Check out or remove some lines first."))


@transaction.atomic
def cart_line_update(*, line: CartLine, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes it (returns None). A sample line stays at one. A bulk line's
    listing, with the new quantity, is judged by its rules as on the listing page: refused
    (QuantityRefused, with the nearest quantities of this line) when this line breaks a rule itself
    or some quantity of it would mend the order. A line that is fine, in an order that other lines
    keep broken, is taken, so a cart whose listing changed its rules can be mended line by line."""
    if quantity < 0 or quantity > MAX_LINE_QUANTITY:
        raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
    cart_lock(user_id=line.user_id)
    line = CartLine.objects.select_related("listing").get(pk=line.pk)
    prefetch_related_objects([line.listing], "variants", "tiers")
    if quantity == 0:
        line.delete()
        return None
    if line.kind == OrderKind.SAMPLE:
        if quantity != 1:
            raise ApplicationError(_("A sample order takes one sample per listing."))
        return line
    listing = line.listing
    others = CartLine.objects.for_user(line.user_id).filter(listing=listing, kind=OrderKind.BULK).exclude(pk=line.pk)
    order = _bulk_quantities(others)
    order[line.variant_id] = order.get(line.variant_id, 0) + quantity
    check = listing.check_quantities(order, free=[line.variant_id])
    if (check.errors and (check.options or check.line_errors.get(line.variant_id))) or (
        not check.errors and check.tier is None
    ):
        raise QuantityRefused(check)
    if line.from_stock:
        _stock_check(listing, {line.variant_id: quantity}, {line.variant_id})
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def cart_line_remove(*, line: CartLine) -> None:
    line.delete()
