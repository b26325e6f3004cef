"""The trade: purchases (one checkout), orders (one per supplier), their lines and audit events,
the buyer's cart and ratings.

Writes live in `orders.services` (placing in `orders/services/placing.py`, state changes beside
it); models hold data, constraints and cheap facts about themselves.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.incoterms import Incoterm  # the one vocabulary, shared with listings' price basis
from catalog.models import Listing
from marketplace.i18n import ChoiceLabel, country_name, validate_country_code

from ..querysets import CartLineQuerySet, OrderQuerySet


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY_TOTAL: _Digits = {"max_digits": 14, "decimal_places": 2}
MONEY_UNIT: _Digits = {"max_digits": 12, "decimal_places": 2}


class OrderKind(models.TextChoices):
    BULK = "bulk", _("Bulk order")
    SAMPLE = "sample", _("Sample order")


class Party(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    STAFF = "staff", _("Platform staff")
    SYSTEM = "system", _("System")


class Purchase(models.Model):
    """One checkout (or one accepted RFQ award) as the buyer sees it; groups the orders it made,
    one per supplier. `(placed_by, idempotency_key)` is unique: a retried submission finds it."""

    class Source(models.TextChoices):
        CART = "cart", _("Cart")
        API = "api", _("API")
        RFQ = "rfq", _("Request for quotation")

    buyer = models.ForeignKey(
        "buyers.BuyerCompany", on_delete=models.PROTECT, related_name="purchases", verbose_name=_("buying company")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("placed by")
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.CART)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    # sha256 of the normalised request: the same key with another body is refused, not replayed.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.UniqueConstraint(fields=["placed_by", "idempotency_key"], name="purchase_unique_key_per_user"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.buyer_id})"


class PaymentTerms(models.TextChoices):
    """When the buyer pays, agreed per order at checkout. The order's steps follow them (FLOWS)."""

    PREPAID = "prepaid", _("Prepaid: full payment before shipping")
    DEPOSIT = "deposit", _("Deposit, balance before shipping")
    NET30 = "net30", _("Net 30 days after shipping")
    NET60 = "net60", _("Net 60 days after shipping")
    LC = "lc", _("Letter of credit")


# The days after shipping a net term gives the buyer to pay; only buying companies staff approved
# for credit may choose them (buyers.BuyerCompany.net_terms_approved).
NET_DAYS = {PaymentTerms.NET30.value: 30, PaymentTerms.NET60.value: 60}
# Terms paid in full before the goods ship: the only ones payment protection holds.
PAID_BEFORE_SHIPPING = frozenset({PaymentTerms.PREPAID.value, PaymentTerms.DEPOSIT.value})
DEPOSIT_PERCENT_CHOICES = (20, 30, 50)
DEPOSIT_PERCENT_MIN, DEPOSIT_PERCENT_MAX = 10, 90

# The statuses an order passes through under each payment term, in order. "proposed" (the
# supplier set freight, insurance or lead time and the buyer has yet to accept) may come between
# "placed" and "confirmed"; "cancelled" may end any of them (see _cancel_steps).
FLOWS: dict[str, tuple[str, ...]] = {
    PaymentTerms.PREPAID.value: ("placed", "confirmed", "paid", "shipped", "delivered", "completed"),
    PaymentTerms.DEPOSIT.value: ("placed", "confirmed", "deposit_paid", "paid", "shipped", "delivered", "completed"),
    PaymentTerms.NET30.value: ("placed", "confirmed", "shipped", "delivered", "paid", "completed"),
    PaymentTerms.NET60.value: ("placed", "confirmed", "shipped", "delivered", "paid", "completed"),
    # The bank pays the supplier against the shipping documents, before the goods arrive.
    PaymentTerms.LC.value: ("placed", "confirmed", "shipped", "paid", "delivered", "completed"),
}
# Who takes the order into each status after "confirmed", by which action.
_FORWARD: dict[str, tuple[str, str]] = {
    "deposit_paid": ("mark_deposit_paid", Party.SUPPLIER.value),  # the supplier records the deposit received
    "paid": ("mark_paid", Party.SUPPLIER.value),  # the supplier records the payment received
    "shipped": ("ship", Party.SUPPLIER.value),
    "delivered": ("confirm_delivery", Party.BUYER.value),
    "completed": ("complete", Party.BUYER.value),
}


def _steps_of(terms: str) -> frozenset[tuple[str, str, str, str]]:
    flow = FLOWS[terms]
    steps = {
        # The supplier confirms as placed, or sets freight, insurance or lead time: then the buyer
        # accepts the changed terms before they bind (or either side cancels). A proposal may be revised.
        ("placed", "confirm", Party.SUPPLIER.value, "confirmed"),
        ("placed", "confirm", Party.SUPPLIER.value, "proposed"),
        ("proposed", "confirm", Party.SUPPLIER.value, "proposed"),
        ("proposed", "accept_terms", Party.BUYER.value, "confirmed"),
    }
    confirmed = flow.index("confirmed")
    for source, target in zip(flow[confirmed:], flow[confirmed + 1 :], strict=False):
        action, party = _FORWARD[target]
        steps.add((source, action, party, target))
    for source in ("placed", "proposed", "confirmed"):
        steps.add((source, "cancel", Party.BUYER.value, "cancelled"))
        steps.add((source, "cancel", Party.SUPPLIER.value, "cancelled"))
    # Money received before shipping: only the supplier may undo it (and gives it back).
    for source in flow[confirmed + 1 : flow.index("shipped")]:
        steps.add((source, "cancel", Party.SUPPLIER.value, "cancelled"))
    return frozenset(steps)


# (from status, action, party, to status) by payment term: every step an order may take and who
# may take it; nothing else is allowed. The one table read by the services
# (orders.services.transitions), the buttons of the order page, the API and
# `Order.allowed_transitions()`. Staff act through the admin.
ORDER_STEPS: dict[str, frozenset[tuple[str, str, str, str]]] = {terms: _steps_of(terms) for terms in FLOWS}
STATUS_ORDER = (
    "placed",
    "proposed",
    "confirmed",
    "deposit_paid",
    "paid",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
)
# The charges the seller pays under each Incoterm and so puts on the order before it binds.
CHARGES: dict[str, tuple[str, ...]] = {
    Incoterm.CFR.value: ("freight",),
    Incoterm.CIF.value: ("freight", "insurance"),
    Incoterm.DAP.value: ("freight",),
    Incoterm.DDP.value: ("freight",),
}


class Order(models.Model):
    """What one buyer ordered from one supplier in one currency: lines, terms, totals, status."""

    Kind = OrderKind

    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        PROPOSED = "proposed", _("Terms proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="orders", verbose_name=_("purchase"))
    buyer = models.ForeignKey(
        "buyers.BuyerCompany", on_delete=models.PROTECT, related_name="orders", verbose_name=_("buying company")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=OrderKind.choices, default=OrderKind.BULK)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLACED)
    currency = models.CharField(_("currency"), max_length=3)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    incoterm_place = models.CharField(_("named place or port"), max_length=120, blank=True)
    payment_terms = models.CharField(
        _("payment terms"), max_length=8, choices=PaymentTerms.choices, default=PaymentTerms.PREPAID
    )
    deposit_percent = models.PositiveSmallIntegerField(_("deposit (%)"), null=True, blank=True)
    # The buying company's billing address when the order was placed (the purchase order's "bill to").
    billing_address = models.TextField(_("billing address"), blank=True)
    shipping_address = models.TextField(_("shipping address"))
    ship_to_country = models.CharField(_("ship to country"), max_length=2, validators=[validate_country_code])
    note = models.TextField(_("note"), blank=True)
    subtotal = models.DecimalField(_("subtotal"), **MONEY_TOTAL)
    sample_credit = models.DecimalField(_("sample fee credited"), default=Decimal("0"), **MONEY_TOTAL)
    # Set by the supplier when the Incoterm has the seller pay them (CHARGES); None: not set.
    freight = models.DecimalField(_("freight"), null=True, blank=True, **MONEY_TOTAL)
    insurance = models.DecimalField(_("insurance"), null=True, blank=True, **MONEY_TOTAL)
    total = models.DecimalField(_("total"), **MONEY_TOTAL)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    # The accepted quote an RFQ award made this order from (None for cart and API orders).
    quote = models.ForeignKey(
        "orders.Quote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("from quote"),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    carrier = models.CharField(_("carrier"), max_length=80, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=80, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    cancelled_by_party = models.CharField(_("cancelled by"), max_length=10, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    deposit_paid_at = models.DateTimeField(_("deposit paid"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    status_label = ChoiceLabel("status", Status)
    kind_label = ChoiceLabel("kind", OrderKind)
    incoterm_label = ChoiceLabel("incoterm", Incoterm)
    payment_terms_label = ChoiceLabel("payment_terms", PaymentTerms)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
            models.CheckConstraint(condition=Q(sample_credit__gte=0), name="order_sample_credit_not_negative"),
            models.CheckConstraint(
                condition=Q(
                    total=F("subtotal")
                    - F("sample_credit")
                    + Coalesce(F("freight"), Value(Decimal("0")))
                    + Coalesce(F("insurance"), Value(Decimal("0")))
                ),
                name="order_total_is_subtotal_less_credit_plus_charges",
            ),
            models.CheckConstraint(
                condition=(Q(freight__isnull=True) | Q(freight__gte=0))
                & (Q(insurance__isnull=True) | Q(insurance__gte=0)),
                name="order_charges_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    payment_terms=PaymentTerms.DEPOSIT,
                    deposit_percent__gte=DEPOSIT_PERCENT_MIN,
                    deposit_percent__lte=DEPOSIT_PERCENT_MAX,
                )
                | (~Q(payment_terms=PaymentTerms.DEPOSIT) & Q(deposit_percent__isnull=True)),
                name="order_deposit_percent_with_deposit_terms",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_created_idx"),
            models.Index(fields=["supplier", "status", "-created_at"], name="order_supplier_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("orders:order_detail", args=[self.number])

    def steps(self) -> frozenset[tuple[str, str, str, str]]:
        """(from status, action, party, to status): the steps this order's payment terms allow."""
        return ORDER_STEPS[self.payment_terms]

    def allowed_transitions(self) -> tuple[str, ...]:
        """The statuses this order may move to next (by someone), in the life's order."""
        targets = {target for source, _action, _party, target in self.steps() if source == self.status}
        return tuple(status for status in STATUS_ORDER if status in targets and status != self.status)

    @property
    def flow(self) -> tuple[str, ...]:
        """The statuses of this order's life under its payment terms, "proposed" included when its
        Incoterm has the supplier set charges."""
        flow = FLOWS[self.payment_terms]
        if self.charges_needed or self.status == self.Status.PROPOSED:
            return (flow[0], self.Status.PROPOSED.value, *flow[1:])
        return flow

    @property
    def charges_needed(self) -> tuple[str, ...]:
        """The charges ("freight", "insurance") the supplier sets before this order binds: those its
        Incoterm has the seller pay, unless an accepted quote's price already covers them."""
        return () if self.quote_id else CHARGES.get(self.incoterm, ())

    @property
    def deposit_amount(self) -> Decimal | None:
        """What the deposit comes to (rounded half up to the cent), under deposit terms."""
        if self.payment_terms != PaymentTerms.DEPOSIT or self.deposit_percent is None:
            return None
        return (self.total * self.deposit_percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def payment_due_at(self) -> datetime.datetime | None:
        """When a net term's payment falls due: its days after shipping."""
        days = NET_DAYS.get(self.payment_terms)
        if days is None or self.shipped_at is None:
            return None
        return self.shipped_at + datetime.timedelta(days=days)

    def can_transition_to(self, status: str) -> bool:
        return status in self.allowed_transitions()

    @property
    def ship_to_country_name(self) -> str:
        return country_name(self.ship_to_country)

    @property
    def bill_to(self) -> str:
        """The purchase order's "bill to": the buying company's name, then its billing address (reads
        `buyer`: select it with the order)."""
        return _named(self.buyer.name, self.billing_address)

    @property
    def ship_to(self) -> str:
        """The purchase order's "ship to": the buying company's name, then the shipping address
        (the country is `ship_to_country_name`)."""
        return _named(self.buyer.name, self.shipping_address)


def _named(name: str, address: str) -> str:
    """`address` under `name`, unless the address already starts with it (people often type the
    company's name as its first line)."""
    address = address.strip()
    if address.casefold().startswith(name.strip().casefold()):
        return address
    return "\n".join(part for part in (name.strip(), address) if part)


class OrderLine(models.Model):
    """One item of an order, priced on the server when placed; title and SKU are snapshots."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    # Lines of an RFQ award have no listing.
    listing = models.ForeignKey(
        "catalog.Listing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("listing"),
    )
    variant = models.ForeignKey(
        "catalog.ListingVariant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("variant"),
    )
    title = models.CharField(_("title"), max_length=200)
    variant_label = models.CharField(_("variant"), max_length=200, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    unit = models.CharField(_("unit"), max_length=12)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY_UNIT)
    line_total = models.DecimalField(_("line total"), **MONEY_TOTAL)
    from_stock = models.BooleanField(_("from spot stock"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    unit_label = ChoiceLabel("unit", Listing.Unit)
    # On a sample line: the bulk order line that used this sample's fee as a credit (once).
    credited_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sample fee credited to"),
    )
    # How much of this sample's fee that bulk order took (a credit stops at the bulk subtotal).
    credit_amount = models.DecimalField(_("sample fee credited"), default=Decimal("0"), **MONEY_UNIT)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_unit_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderLineLot(models.Model):
    """How much of a line shipped from which lot (catalog.lots): written by `order_ship` for the
    lines of listings sold by lot, in the transaction that draws the quantity from the lot."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="lots", verbose_name=_("order line"))
    lot = models.ForeignKey("catalog.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("lot"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("lot shipped")
        verbose_name_plural = _("lots shipped")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderlinelot_quantity_positive"),
            models.UniqueConstraint(fields=["line", "lot"], name="orderlinelot_unique_line_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} from lot {self.lot_id}"


class OrderEvent(models.Model):
    """Immutable audit record of an order: a PostgreSQL trigger refuses UPDATE and DELETE."""

    Party = Party

    class Kind(models.TextChoices):
        PLACED = "placed", _("Placed")
        PROPOSED = "proposed", _("Terms proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        RATED = "rated", _("Rated")
        NOTE = "note", _("Note")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    kind_label = ChoiceLabel("kind", Kind)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind}"


class CartLine(models.Model):
    """A listing (and variant) in a person's cart: bulk or sample, made to order or from stock.
    Prices are never stored here: the cart page and checkout compute them from the tiers."""

    Kind = OrderKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_lines", verbose_name=_("user")
    )
    listing = models.ForeignKey(
        "catalog.Listing", on_delete=models.CASCADE, related_name="+", verbose_name=_("listing")
    )
    variant = models.ForeignKey(
        "catalog.ListingVariant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("variant"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    from_stock = models.BooleanField(_("from spot stock"), default=False)
    kind = models.CharField(_("kind"), max_length=8, choices=OrderKind.choices, default=OrderKind.BULK)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = CartLineQuerySet.as_manager()

    class Meta:
        ordering = ("added_at", "id")
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "listing", "variant", "kind", "from_stock"],
                name="cartline_unique_item",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cartline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.quantity} × {self.listing_id}"


class Rating(models.Model):
    """The buyer's rating of a completed order (one per order)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating", verbose_name=_("order"))
    buyer = models.ForeignKey(
        "buyers.BuyerCompany", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("buying company")
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("supplier")
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.stars}★"
