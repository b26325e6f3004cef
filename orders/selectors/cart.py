"""Reads of the trade for placing: the cart priced live, purchases and the order list.

(hs's reads of placed orders — detail pages, supplier inbox — live in orders/selectors_orders.py.)
Everything here is scoped by the user who asks; another user's cart line or purchase is not
"forbidden", it does not exist (404).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Listing, ListingVariant, PriceTier, QuantityCheck

from ..models import CartLine, Order, OrderKind, OrderLine, Purchase
from ..services.create import money

# --- the cart -----------------------------------------------------------------------------------


@dataclass
class CartListing:
    """One listing's lines in the cart, judged and priced together as the order would be."""

    listing: Listing
    kind: str
    lines: list[CartLine]
    check: QuantityCheck | None = None
    errors: list[str] = field(default_factory=list)
    unit_price: Decimal | None = None

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def amount(self) -> Decimal | None:
        return money(self.unit_price * self.quantity) if self.unit_price is not None else None


@dataclass
class CartGroup:
    """What becomes one order at checkout: one supplier, one kind, one currency."""

    supplier: Any
    kind: str
    currency: str
    items: list[CartListing] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not item.errors for item in self.items)

    @property
    def subtotal(self) -> Decimal | None:
        amounts = [item.amount for item in self.items if item.amount is not None]
        return sum(amounts, Decimal("0")) if len(amounts) == len(self.items) else None


def _cart_lines(user: User) -> QuerySet[CartLine]:
    return (
        CartLine.objects.for_user(user)
        .select_related("listing", "listing__supplier", "variant")
        .prefetch_related(
            Prefetch("listing__tiers"),
            Prefetch("listing__variants", queryset=ListingVariant.objects.order_by("position", "id")),
        )
        .order_by("listing__supplier_id", "kind", "listing_id", "variant__position", "pk")
    )


def cart_for_user(*, user: User) -> list[CartGroup]:
    """`user`'s cart grouped as checkout would place it, each listing checked by the catalog's
    own rules (`Listing.check_quantities`) and priced by its tiers or sample price, live. Four
    queries however long the cart (lines with listings, suppliers and variants; tiers; variants;
    public listing ids)."""
    lines = list(_cart_lines(user))
    public = set(
        Listing.objects.public().filter(pk__in={line.listing_id for line in lines}).values_list("pk", flat=True)
    )
    items: dict[tuple[int, str], CartListing] = {}
    for line in lines:
        key = (line.listing_id, line.kind)
        if key not in items:
            items[key] = CartListing(listing=line.listing, kind=line.kind, lines=[])
        items[key].lines.append(line)
    groups: dict[tuple[int, str, str], CartGroup] = {}
    for item in items.values():
        listing = item.listing
        _judge(item, is_public=listing.pk in public)
        gkey = (listing.supplier_id, item.kind, listing.currency)
        if gkey not in groups:
            groups[gkey] = CartGroup(supplier=listing.supplier, kind=item.kind, currency=listing.currency)
        groups[gkey].items.append(item)
    return list(groups.values())


def _judge(item: CartListing, *, is_public: bool) -> None:
    listing = item.listing
    if not is_public:
        item.errors = [_("This listing is no longer on sale.")]
        return
    if item.kind == OrderKind.SAMPLE:
        if not listing.sample_available or listing.sample_price is None:
            item.errors = [_("No samples are offered.")]
        else:
            item.unit_price = listing.sample_price
        return
    quantities: dict[int | None, int] = {}
    for line in item.lines:
        quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
    item.check = listing.check_quantities(quantities)
    item.errors = item.check.messages  # the broken rules and the nearest quantities they accept
    if item.check.tier is not None:
        item.unit_price = item.check.tier.unit_price
    elif not item.errors:
        item.errors = [_("No price tier applies to this quantity.")]
    for line in item.lines:
        stock = (line.variant.spot_stock if line.variant else listing.spot_stock) if line.from_stock else None
        if line.from_stock and (stock is None or stock < line.quantity):
            label = line.variant or listing.title
            item.errors.append(_("%(item)s: only %(left)s left in stock.") % {"item": label, "left": stock or 0})


def listing_get_for_cart(*, pk: int) -> Listing | None:
    """A listing anyone may see (only that is for sale), with the variants and tiers its rules and
    prices read; None if there is no such public listing. Three queries."""
    return (
        Listing.objects.public()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity")),
        )
        .first()
    )


def cart_line_get_for_user(*, user: User, pk: int) -> CartLine:
    line = CartLine.objects.filter(user=user, pk=pk).first()
    if line is None:
        raise Http404("No such cart line")
    return line


def cart_count_for_user(*, user: User) -> int:
    return CartLine.objects.for_user(user).count()


# --- purchases and orders -----------------------------------------------------------------------


def purchase_get_for_user(*, user: User, pk: int) -> Purchase:
    """A purchase `user` placed, with its orders, their suppliers and lines (three queries), or 404.
    Only the person who placed it sees it here (the checkout confirmation)."""
    purchase = (
        Purchase.objects.filter(placed_by=user, pk=pk)
        .prefetch_related(
            Prefetch("orders", queryset=Order.objects.select_related("supplier").order_by("pk")),
            Prefetch("orders__lines", queryset=OrderLine.objects.order_by("position", "pk")),
        )
        .first()
    )
    if purchase is None:
        raise Http404("No such purchase")
    return purchase


def order_list_for_user(*, user: User) -> QuerySet[Order]:
    """Orders `user` may see: a buyer member sees its company's, a supplier member its supplier's;
    anyone else none. Newest first, with buyer and supplier joined."""
    qs = Order.objects.select_related("buyer", "supplier").order_by("-created_at", "-id")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role == User.Role.BUYER:
        return qs.filter(buyer__members__user=user)
    if user.role == User.Role.SUPPLIER:
        return qs.filter(supplier__members__user=user)
    return qs.none()
