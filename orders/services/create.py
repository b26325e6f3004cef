"""`order_create`: the one function that inserts an order, for every way an order comes about.

A checkout (cart or API, orders.services.placing) and an RFQ award (orders.services.rfq) each
turn what the buyer chose into line drafts priced by their own rules, then hand them here. This
validates the drafts and the terms, works out the totals (a bulk order's sample-fee credit and an
award's freight included) before the first INSERT, and writes the order, its lines and its
`placed` event together: the order row is saved exactly once.

Call inside the caller's transaction (it holds the purchase's idempotency key and the row locks).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from buyers.models import BuyerCompany
from catalog.models import Listing, ListingVariant
from marketplace.bounds import INTEGER_MAX
from marketplace.exceptions import ApplicationError
from marketplace.i18n import validate_country_code
from suppliers.models import Supplier
from suppliers.services.notifications import supplier_notify

from ..models import (
    DEPOSIT_PERCENT_MAX,
    DEPOSIT_PERCENT_MIN,
    NET_DAYS,
    Incoterm,
    Order,
    OrderEvent,
    OrderKind,
    OrderLine,
    PaymentTerms,
    Purchase,
    Quote,
)
from ..models.trade import MONEY_TOTAL, MONEY_UNIT
from .events import order_event_record
from .locks import sample_lines_lock

CENT = Decimal("0.01")
# The largest amounts an order's totals and unit prices hold (their columns), checked before any write.
MONEY_TOTAL_MAX = Decimal(10) ** (MONEY_TOTAL["max_digits"] - MONEY_TOTAL["decimal_places"]) - CENT
MONEY_UNIT_MAX = Decimal(10) ** (MONEY_UNIT["max_digits"] - MONEY_UNIT["decimal_places"]) - CENT
MAX_LINES = 200


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OrderLineDraft:
    """One line as its caller priced it. `title`, `variant_label` and `sku` are snapshots, written
    in the order's language by the caller; `listing` is None for a quoted line or freight."""

    title: str
    quantity: int
    unit_price: Decimal
    unit: str
    listing: Listing | None = None
    variant: ListingVariant | None = None
    variant_label: str = ""
    sku: str = ""
    from_stock: bool = False


def order_terms_clean(
    *,
    shipping_address: str,
    ship_to_country: str,
    incoterm: str,
    incoterm_place: str = "",
    note: str = "",
    payment_terms: str = PaymentTerms.PREPAID,
    deposit_percent: Any = None,
    billing_address: str = "",
) -> dict[str, Any]:
    """The order's delivery and payment terms, trimmed and checked by field (ValidationError).
    Whether the buying company may choose net terms is checked by the caller
    (`order_payment_terms_check`), which knows the company."""
    errors: dict[str, list[str]] = {}
    shipping_address = (shipping_address or "").strip()
    ship_to_country = (ship_to_country or "").strip().upper()
    if not shipping_address:
        errors["shipping_address"] = [_("Enter the shipping address.")]
    elif len(shipping_address) > 1000:
        errors["shipping_address"] = [_("Use at most %(n)d characters.") % {"n": 1000}]
    try:
        validate_country_code(ship_to_country)
    except ValidationError as exc:
        errors["ship_to_country"] = exc.messages
    if incoterm not in Incoterm.values:
        errors["incoterm"] = [_("Choose an Incoterm from the list.")]
    if len(incoterm_place or "") > 120:
        errors["incoterm_place"] = [_("The named place may have at most 120 characters.")]
    if len(note or "") > 2000:
        errors["note"] = [_("Use at most %(n)d characters.") % {"n": 2000}]
    if payment_terms not in PaymentTerms.values:
        errors["payment_terms"] = [_("Choose payment terms from the list.")]
    percent = None
    if payment_terms == PaymentTerms.DEPOSIT:
        try:
            percent = int(deposit_percent) if not isinstance(deposit_percent, bool) else None
        except (TypeError, ValueError):
            percent = None
        if percent is None or not DEPOSIT_PERCENT_MIN <= percent <= DEPOSIT_PERCENT_MAX:
            errors["deposit_percent"] = [
                _("Give a deposit of %(min)d to %(max)d percent.")
                % {"min": DEPOSIT_PERCENT_MIN, "max": DEPOSIT_PERCENT_MAX}
            ]
    if errors:
        raise ValidationError(errors)
    return {
        "shipping_address": shipping_address,
        "ship_to_country": ship_to_country,
        "incoterm": incoterm,
        "incoterm_place": (incoterm_place or "").strip(),
        "note": (note or "").strip(),
        "payment_terms": payment_terms,
        "deposit_percent": percent,
        "billing_address": (billing_address or "").strip()[:1000],
    }


def order_payment_terms_check(*, buyer: BuyerCompany, payment_terms: str, field: str = "payment_terms") -> None:
    """Net terms are for buying companies staff approved for credit (ValidationError otherwise)."""
    if payment_terms in NET_DAYS and not buyer.net_terms_approved:
        raise ValidationError(
            {
                field: [
                    _(
                        "Net payment terms are open to companies approved for credit. Choose prepaid, "
                        "a deposit or a letter of credit, or ask the platform to approve your company."
                    )
                ]
            }
        )


def order_number_next() -> str:
    """A new order number such as "PO-2026-000123" from the database sequence (no lock taken)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        (value,) = cursor.fetchone()
    return f"PO-{timezone.localdate().year}-{value:06d}"


def _check_lines(*, kind: str, currency: str, drafts: list[OrderLineDraft]) -> None:
    if kind not in OrderKind.values:
        raise ValidationError({"kind": [_("Choose bulk or sample.")]})
    if currency not in Listing.Currency.values:
        raise ApplicationError(_("Unknown currency."))
    if not drafts:
        raise ApplicationError(_("Add at least one item to order."))
    if len(drafts) > MAX_LINES:
        raise ApplicationError(_("An order may have at most %(n)s lines.") % {"n": MAX_LINES})
    for draft in drafts:
        if isinstance(draft.quantity, bool) or not isinstance(draft.quantity, int) or draft.quantity < 1:
            raise ApplicationError(_("Quantities must be whole numbers of at least 1."))
        if draft.quantity > INTEGER_MAX:
            raise ApplicationError(
                _("A line can hold at most %(max)s units: split it up.") % {"max": f"{INTEGER_MAX:,}"}
            )
        if draft.unit_price < 0:
            raise ApplicationError(_("Prices cannot be negative."))
        if money(Decimal(draft.unit_price)) > MONEY_UNIT_MAX:
            raise ApplicationError(
                _("A unit price can be at most %(currency)s %(max)s.")
                % {"currency": currency, "max": f"{MONEY_UNIT_MAX:,.2f}"}
            )
    subtotal = sum((money(Decimal(draft.unit_price) * draft.quantity) for draft in drafts), Decimal("0"))
    if subtotal > MONEY_TOTAL_MAX:
        raise ApplicationError(
            _("This order comes to more than %(currency)s %(max)s, the most one order can hold: split it up.")
            % {"currency": currency, "max": f"{MONEY_TOTAL_MAX:,.2f}"}
        )


def _sample_credit_plan(
    *, buyer: BuyerCompany, currency: str, subtotal: Decimal, drafts: list[OrderLineDraft]
) -> tuple[Decimal, list[tuple[OrderLine, int, Decimal]]]:
    """The credit a bulk order gets for the buyer company's paid samples of the same listings, and
    which sample line is credited to which of the new lines (by index) for how much: each
    sample's fee once, never above the subtotal. An unpaid or cancelled sample gives nothing. The
    sample lines are locked here, so two bulk orders cannot both use one sample."""
    first_line: dict[int, int] = {}
    for index, draft in enumerate(drafts):
        if draft.listing is not None and draft.listing.sample_fee_credited:
            first_line.setdefault(draft.listing.pk, index)
    if not first_line:
        return Decimal("0"), []
    credit, plan = Decimal("0"), list[tuple[OrderLine, int, Decimal]]()
    for sample in sample_lines_lock(buyer_id=buyer.pk, listing_ids=first_line.keys()):
        listing_id = sample.listing_id  # never None: the lock selects lines of these listings
        line_index = first_line.get(listing_id) if listing_id is not None else None
        if listing_id is None or line_index is None or sample.order.currency != currency:
            continue
        amount = min(sample.line_total, subtotal - credit)
        if amount <= 0:
            break
        plan.append((sample, line_index, money(amount)))
        credit += amount
        del first_line[listing_id]  # one sample credited per listing
    return money(credit), plan


def order_create(
    *,
    purchase: Purchase,
    buyer: BuyerCompany,
    actor: User,
    supplier: Supplier,
    kind: str,
    currency: str,
    lines: list[OrderLineDraft],
    freight: OrderLineDraft | None = None,
    terms: dict[str, Any],
    lead_time_days: int | None,
    language: str,
    quote: Quote | None = None,
) -> Order:
    """Create one order of `supplier` for `buyer` under `purchase` (whose `source` says where it
    comes from: cart, API or RFQ): its lines (freight last), totals exact in `currency`, and its
    `placed` event, in one INSERT of the order. A bulk order takes the credit of the buyer's
    earlier samples of its listings. The supplier's people are emailed after commit.

    Raises ValidationError (terms, kind) or ApplicationError (lines)."""
    terms = order_terms_clean(**terms)
    drafts = [*lines, freight] if freight is not None else list(lines)
    _check_lines(kind=kind, currency=currency, drafts=drafts)
    unit_prices = [money(Decimal(draft.unit_price)) for draft in drafts]
    totals = [money(price * draft.quantity) for price, draft in zip(unit_prices, drafts, strict=True)]
    subtotal = sum(totals, Decimal("0"))
    credit, credited = Decimal("0"), list[tuple[OrderLine, int, Decimal]]()
    if kind == OrderKind.BULK:
        credit, credited = _sample_credit_plan(buyer=buyer, currency=currency, subtotal=subtotal, drafts=drafts)
    order = Order.objects.create(
        number=order_number_next(),
        purchase=purchase,
        buyer=buyer,
        placed_by=actor,
        supplier=supplier,
        kind=kind,
        currency=currency,
        subtotal=subtotal,
        sample_credit=credit,
        total=subtotal - credit,
        lead_time_days=lead_time_days,
        quote=quote,
        language=language,
        **terms,
    )
    created = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            listing=draft.listing,
            variant=draft.variant,
            title=draft.title[:200],
            variant_label=draft.variant_label[:200],
            sku=draft.sku[:64],
            unit=draft.unit[:12],
            quantity=draft.quantity,
            unit_price=price,
            line_total=total,
            from_stock=draft.from_stock,
            position=position,
        )
        for position, (draft, price, total) in enumerate(zip(drafts, unit_prices, totals, strict=True))
    )
    for sample, index, amount in credited:
        sample.credited_to, sample.credit_amount = created[index], amount
        sample.save(update_fields=["credited_to", "credit_amount"])
    data: dict[str, Any] = {
        "purchase": purchase.pk,
        "source": purchase.source,
        "sample_credit": str(credit),
        "lead_time_days": lead_time_days,
    }
    if quote is not None:
        data["quote"] = quote.pk
    order_event_record(
        order=order,
        actor=actor,
        party=OrderEvent.Party.BUYER,
        kind=OrderEvent.Kind.PLACED,
        to_status=Order.Status.PLACED,
        data=data,
    )
    order_placed_notify(order=order, lines=created)
    return order


def sample_credit_withdraw(*, sample_order: Order, actor: User | None, party: str) -> list[Order]:
    """A sample cancelled (a refund, once paid) takes back the fee credit it gave a bulk order that
    is not confirmed yet: that order's credit and total are restored, the sample line no longer
    counts as credited, and the order's history says so. A bulk order already confirmed keeps its
    credit: its price was agreed. Runs in the caller's transaction, which holds the sample's lock;
    returns the bulk orders changed."""
    changed = []
    lines = OrderLine.objects.filter(order=sample_order, credited_to__isnull=False).select_related("credited_to")
    for line in lines:
        credited = line.credited_to
        assert credited is not None  # the filter above
        bulk = Order.objects.select_for_update().get(pk=credited.order_id)
        if bulk.status not in (Order.Status.PLACED, Order.Status.PROPOSED):
            continue
        amount = min(line.credit_amount, bulk.sample_credit)
        bulk.sample_credit -= amount
        bulk.total += amount
        bulk.save(update_fields=["sample_credit", "total", "updated_at"])
        line.credited_to, line.credit_amount = None, Decimal("0")
        line.save(update_fields=["credited_to", "credit_amount"])
        with translation.override(bulk.language):
            note = _(
                "The sample fee credit of %(amount)s %(currency)s is withdrawn: sample order %(number)s was cancelled."
            ) % {
                "amount": amount,
                "currency": bulk.currency,
                "number": sample_order.number,
            }
        order_event_record(
            order=bulk,
            actor=actor,
            party=party,
            kind=OrderEvent.Kind.NOTE,
            from_status=bulk.status,
            to_status=bulk.status,
            note=note,
            data={"sample_credit_withdrawn": str(amount), "sample_order": sample_order.number},
        )
        changed.append(bulk)
    return changed


def order_placed_notify(*, order: Order, lines: list[OrderLine]) -> None:
    """Email each of the supplier's people, in their language, that a new order arrived, with all
    its lines (order_create calls it last, with the order and lines it has just written). Written to
    the outbox in the caller's transaction (a rolled-back purchase sends nothing); one email per
    order and person, ever."""
    supplier_notify(
        supplier=order.supplier,
        template="order_placed",
        context={"order": order, "lines": lines},
        folder="orders/email",
        dedupe=f"order-placed:{order.pk}",
    )
