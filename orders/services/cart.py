"""Writes of a buyer's cart. The cart stores what and how many, never prices: the cart page and
checkout price it live from the tiers (orders.selectors.cart_for_user, orders.services.placing)."""

from collections.abc import Collection

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Listing
from marketplace.exceptions import ApplicationError

from ..models import CartLine, OrderKind

MAX_QUANTITY = 1_000_000_000
MAX_CART_LINES = 200


@transaction.atomic
def cart_add(
    *,
    user: User,
    listing: Listing,
    quantities: dict[int | None, int],
    kind: str,
    from_stock: Collection[int | None] = (),
) -> int:
    """Add `quantities` (variant id → quantity; None for a listing without variants) of a public
    `listing` to `user`'s cart, adding to a line already there; the keys in `from_stock` are
    taken from spot stock. A sample adds one unit of the first
    variant given (or of the listing). Returns how many lines were touched. Rules (MOQ, multiples)
    are shown on the cart page, not enforced here: the cart is where the buyer gets there."""
    if kind not in OrderKind.values:
        raise ApplicationError(_("Choose bulk or sample."))
    variants = {v.pk: v for v in listing.variants.all()}
    wanted = {key: q for key, q in quantities.items() if q}
    if any(q < 0 or q >= MAX_QUANTITY for q in wanted.values()):
        raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
    if any(key is not None and key not in variants for key in wanted) or (None in wanted and variants):
        raise ApplicationError(_("Choose one of the listing's variants."))
    if kind == OrderKind.SAMPLE:
        if not listing.sample_available:
            raise ApplicationError(_("No samples are offered for this listing."))
        first = next(iter(wanted), next(iter(variants), None))
        wanted, from_stock = {first: 1}, ()
    if not wanted:
        raise ApplicationError(_("Enter a quantity."))
    for key in wanted:
        if key in from_stock:
            stock = variants[key].spot_stock if key is not None else listing.spot_stock
            if stock is None:
                raise ApplicationError(_("This item is made to order only: it has no spot stock."))
    if CartLine.objects.for_user(user).count() + len(wanted) > MAX_CART_LINES:
        raise ApplicationError(_("Your cart is full. Check out or remove some lines first."))
    for variant_id, quantity in wanted.items():
        line, created = CartLine.objects.get_or_create(
            user=user,
            listing=listing,
            variant_id=variant_id,
            kind=kind,
            from_stock=variant_id in from_stock,
            defaults={"quantity": quantity},
        )
        if not created and kind == OrderKind.BULK:
            line = CartLine.objects.select_for_update().get(pk=line.pk)
            if line.quantity + quantity >= MAX_QUANTITY:
                raise ApplicationError(
                    _("That makes %(n)s in your cart, more than one order can take. Change the quantity in the cart.")
                    % {"n": f"{line.quantity + quantity:,}"}
                )
            CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + quantity)
    return len(wanted)


def cart_line_update(*, line: CartLine, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes it (returns None). A sample line stays at one."""
    if quantity < 0 or quantity >= MAX_QUANTITY:
        raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
    if quantity == 0:
        line.delete()
        return None
    if line.kind == OrderKind.SAMPLE and quantity != 1:
        raise ApplicationError(_("A sample order takes one sample per listing."))
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def cart_line_remove(*, line: CartLine) -> None:
    line.delete()
