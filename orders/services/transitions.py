"""The life of a placed order: confirm (or propose freight, insurance and lead time, which the
buyer accepts), record the deposit and the payment, ship, confirm delivery, complete, cancel; rate.

`ORDER_STEPS` (orders.models.trade) is the one table of who may move an order from which status to
which under its payment terms; the services, the detail page's buttons and the API all read it.
Every service follows the house template: lock the order row → guard status and party → mutate
with `update_fields` → write an immutable OrderEvent → email the other party after commit.

A refused transition raises `OrderStateConflict` (an ApplicationError; the API answers 409) when
no party may take that step from the order's status now, and `PermissionDenied` (403) when the
step exists but belongs to the other party. Because the status is read under the row lock, the
second of two racing requests (a supplier's confirm and a buyer's cancel) sees the first one's
outcome and is refused: exactly one outcome and one event are on record.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from catalog.lots.services import LotDraw, lots_draw
from marketplace.exceptions import ConflictError

from ..models import MONEY_TOTAL, Order, OrderEvent, OrderKind, OrderLine, OrderLineLot, Party, Rating
from . import placing
from .create import sample_credit_withdraw
from .events import order_event_record
from .notify import order_notify
from .parties import order_party_of
from .protection import protection_blocks, protection_follow_order

Status = Order.Status
BUYER, SUPPLIER = Party.BUYER.value, Party.SUPPLIER.value

# The action (service, URL, button) that leads to each status, in the order buttons are shown.
ACTIONS: dict[str, str] = {
    "confirm": Status.CONFIRMED,  # or PROPOSED, when the supplier changes what the buyer pays or waits
    "accept_terms": Status.CONFIRMED,
    "mark_deposit_paid": Status.DEPOSIT_PAID,
    "mark_paid": Status.PAID,
    "ship": Status.SHIPPED,
    "confirm_delivery": Status.DELIVERED,
    "complete": Status.COMPLETED,
    "cancel": Status.CANCELLED,
}
# The timestamp field each status sets.
STAMPS: dict[str, str] = {
    Status.CONFIRMED: "confirmed_at",
    Status.DEPOSIT_PAID: "deposit_paid_at",
    Status.PAID: "paid_at",
    Status.SHIPPED: "shipped_at",
    Status.DELIVERED: "delivered_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
}

# Why a step is refused in the order's status (OrderStateConflict).
STATE_MESSAGES = {
    "confirm": gettext_lazy("Only a placed order can be confirmed; this order is now “%(status)s”."),
    "accept_terms": gettext_lazy("There are no proposed terms to accept; this order is now “%(status)s”."),
    "mark_deposit_paid": gettext_lazy(
        "The deposit is recorded once the order is confirmed under deposit terms; this order is now “%(status)s”."
    ),
    "mark_paid": gettext_lazy(
        "The payment cannot be recorded at this step of the order's payment terms; this order is now “%(status)s”."
    ),
    "ship": gettext_lazy("This order cannot ship at this step of its payment terms; it is now “%(status)s”."),
    "confirm_delivery": gettext_lazy(
        "Only a shipped order can be confirmed as delivered; this order is now “%(status)s”."
    ),
    "complete": gettext_lazy("Only a delivered order can be completed; this order is now “%(status)s”."),
    "cancel": gettext_lazy("This order is now “%(status)s” and can no longer be cancelled."),
    "rate": gettext_lazy("Only a completed order can be rated; this order is now “%(status)s”."),
}
# Why a step is refused to this party (PermissionDenied).
PARTY_MESSAGES = {
    "confirm": gettext_lazy("Only the supplier can confirm this order."),
    "accept_terms": gettext_lazy("Only the buyer can accept the proposed terms."),
    "mark_deposit_paid": gettext_lazy("Only the supplier can record the deposit of this order."),
    "mark_paid": gettext_lazy("Only the supplier can record the payment of this order."),
    "ship": gettext_lazy("Only the supplier can ship this order."),
    "confirm_delivery": gettext_lazy("Only the buyer can confirm that this order was delivered."),
    "complete": gettext_lazy("Only the buyer can complete this order."),
    "cancel": gettext_lazy("Once the order is paid, only the supplier can cancel it."),
    "rate": gettext_lazy("Only the buyer can rate this order."),
}


class OrderStateConflict(ConflictError):
    """The order's status does not allow this step now (409)."""


def allowed_parties(order: Order, action: str, to_status: str | None = None) -> set[str]:
    """The parties who may take `action` on `order` from its status now (to `to_status`, if
    given) under its payment terms (empty: nobody)."""
    return {
        party
        for source, step, party, target in order.steps()
        if source == order.status and step == action and to_status in (None, target)
    }


def actions_for(order: Order, party: str | None) -> list[str]:
    """The actions `party` may take on `order` now, in button order; "rate" included when open.

    Reads `order.rating` and `order.protection` (select them with the order to keep this free of
    queries)."""
    if party is None:
        return []
    actions = [a for a in ACTIONS if party in allowed_parties(order, a) and not protection_blocks(order, a)]
    if party == BUYER and order.status == Status.COMPLETED and not _has_rating(order):
        actions.append("rate")
    return actions


def _has_rating(order: Order) -> bool:
    try:
        order.rating  # noqa: B018  (the reverse one-to-one raises when there is none)
    except Rating.DoesNotExist:
        return False
    return True


def _lock(order: Order) -> Order:
    """The order row, locked until the transaction ends: every state change starts here."""
    return Order.objects.select_for_update(of=("self",)).select_related("buyer", "supplier").get(pk=order.pk)


def _check_expected(order: Order, expected_status: str | None) -> None:
    if expected_status and order.status != expected_status:
        raise OrderStateConflict(
            _("This order changed meanwhile: it is now “%(status)s”. Look at it again before you act.")
            % {"status": order.status_label}
        )


def _other(party: str) -> str:
    return SUPPLIER if party == BUYER else BUYER


def _transition(
    *,
    order: Order,
    actor: User,
    action: str,
    change: Callable[[Order, str], list[str]] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    expected_status: str | None = None,
    to_status: str | None = None,
) -> Order:
    """Lock, guard, move `order` to the status of `action` (or `to_status`), record the event,
    notify after commit.

    `expected_status` is the status the person saw when deciding (the page or API client sends
    it): if the other party moved the order meanwhile, the step is refused even where the new
    status would allow it, so a decision is never applied to an order its maker has not seen."""
    to_status = to_status or ACTIONS[action]
    order = _lock(order)
    party = order_party_of(order=order, user=actor)
    _check_expected(order, expected_status)
    parties = allowed_parties(order, action, to_status)
    if not parties:
        raise OrderStateConflict(str(STATE_MESSAGES[action]) % {"status": order.status_label})
    if party not in parties:
        raise PermissionDenied(str(PARTY_MESSAGES[action]))
    from_status = order.status
    order.status = to_status
    fields = ["status", "updated_at", *(change(order, party) if change else [])]
    stamp = STAMPS.get(to_status)
    if stamp:
        setattr(order, stamp, timezone.now())
        fields.append(stamp)
    order.save(update_fields=fields)
    # A protected order's money follows the step in this transaction (or refuses it, and the
    # whole step rolls back).
    protection_follow_order(order=order, action=action, party=party, actor=actor)
    event = order_event_record(
        order=order,
        actor=actor,
        party=party,
        kind=to_status,  # each status has the event kind of the same name
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
    order_notify(order=order, event=event, to_party=_other(party))
    return order


def _required(value: str, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError(
            {field: _("Use at most %(n)d characters.") % {"n": max_length}},
        )
    return value


LEAD_TIME_MAX_DAYS = 365
CENT = Decimal("0.01")
CHARGE_MAX = Decimal(10) ** (MONEY_TOTAL["max_digits"] - MONEY_TOTAL["decimal_places"]) - CENT


def _charge(value: Any, field: str) -> Decimal | None:
    """A charge as typed ("1,250.50", "1250.5") or sent, rounded half up to the cent; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "")
    try:
        amount = Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount such as 1250.00.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    if amount > CHARGE_MAX:
        raise ValidationError({field: _("Enter at most %(max)s.") % {"max": f"{CHARGE_MAX:,.2f}"}})
    return amount


def _lead_time(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LEAD_TIME_MAX_DAYS:
        raise ValidationError(
            {"lead_time_days": _("Enter a lead time of 1 to %(max)d days.") % {"max": LEAD_TIME_MAX_DAYS}}
        )
    return value


def order_total_with(order: Order, *, freight: Decimal | None, insurance: Decimal | None) -> Decimal:
    """What `order` comes to with these charges: its goods less the sample credit, plus them."""
    return order.subtotal - order.sample_credit + (freight or Decimal("0")) + (insurance or Decimal("0"))


@transaction.atomic
def order_confirm(
    *,
    order: Order,
    actor: User,
    freight: Any = None,
    insurance: Any = None,
    lead_time_days: Any = None,
    expected_status: str | None = None,
) -> Order:
    """The supplier accepts a placed order, setting the charges its Incoterm has the seller pay
    (freight, and insurance under CIF; zero when included) and, if it differs, the lead time.

    When that leaves what the buyer pays and waits as placed, the order is confirmed: placed →
    confirmed. Otherwise the supplier proposes the new terms (placed → proposed; a proposal may be
    revised) and they bind only when the buyer accepts them (`order_accept_terms`)."""
    charges = {"freight": _charge(freight, "freight"), "insurance": _charge(insurance, "insurance")}
    days = _lead_time(lead_time_days)
    locked = _lock(order)
    needed = locked.charges_needed
    errors = {}
    for name, amount in charges.items():
        if name in needed and amount is None:
            errors[name] = (
                _("Under %(incoterm)s the seller pays the freight: enter it (0 if it is in the prices).")
                if name == "freight"
                else _("Under CIF the seller insures the goods: enter the insurance (0 if it is in the prices).")
            ) % {"incoterm": locked.incoterm}
        elif name not in needed and amount is not None:
            errors[name] = _("Under %(incoterm)s the buyer pays this: leave it empty.") % {"incoterm": locked.incoterm}
    if errors:
        raise ValidationError(errors)
    total = order_total_with(locked, freight=charges["freight"], insurance=charges["insurance"])
    agreed_total = locked.total if locked.status == Status.PLACED else _placed_total(locked)
    agreed_days = locked.lead_time_days if locked.status == Status.PLACED else _placed_lead_time(locked)
    changed = total != agreed_total or (days is not None and days != agreed_days)
    target = Status.PROPOSED if changed or locked.status == Status.PROPOSED else Status.CONFIRMED

    def change(o: Order, party: str) -> list[str]:
        o.freight, o.insurance, o.total = charges["freight"], charges["insurance"], total
        fields = ["freight", "insurance", "total"]
        if days is not None:
            o.lead_time_days = days
            fields.append("lead_time_days")
        return fields

    data: dict[str, Any] = {name: str(amount) for name, amount in charges.items() if amount is not None}
    data |= {"total": str(total), **({"lead_time_days": days} if days is not None else {})}
    return _transition(
        order=locked,
        actor=actor,
        action="confirm",
        change=change,
        data=data,
        expected_status=expected_status,
        to_status=target,
    )


def _placed_event(order: Order) -> OrderEvent | None:
    return OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PLACED).first()


def _placed_total(order: Order) -> Decimal:
    """What the buyer agreed to pay when placing (the goods less the sample credit)."""
    return order.subtotal - order.sample_credit


def _placed_lead_time(order: Order) -> int | None:
    event = _placed_event(order)
    return event.data.get("lead_time_days", order.lead_time_days) if event else order.lead_time_days


@transaction.atomic
def order_accept_terms(
    *, order: Order, actor: User, expected_total: Any = None, expected_status: str | None = None
) -> Order:
    """The buyer accepts the supplier's proposed charges and lead time: proposed → confirmed; from
    now on they bind. `expected_total` is the total the buyer saw: if the supplier revised the
    proposal meanwhile, the acceptance is refused."""
    seen = _charge(expected_total, "expected_total")
    locked = _lock(order)
    if seen is not None and locked.status == Status.PROPOSED and seen != locked.total:
        raise OrderStateConflict(
            _("The supplier changed the proposed terms meanwhile: the total is now %(total)s %(currency)s. "
              "Look at them again before you accept.") % {"total": locked.total, "currency": locked.currency}
        )  # fmt: skip
    return _transition(
        order=locked,
        actor=actor,
        action="accept_terms",
        data={"total": str(locked.total)},
        expected_status=expected_status,
    )


@transaction.atomic
def order_mark_deposit_paid(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The supplier records that the buyer's deposit arrived (deposit terms): confirmed → deposit paid."""
    return _transition(order=order, actor=actor, action="mark_deposit_paid", expected_status=expected_status)


@transaction.atomic
def order_mark_paid(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The supplier records that the buyer's payment (or its balance) arrived: to paid, at the step
    the payment terms put it (before shipping, after delivery for net terms, on the documents for L/C)."""
    return _transition(order=order, actor=actor, action="mark_paid", expected_status=expected_status)


@dataclass(frozen=True)
class ShippedLot:
    """A quantity of one order line shipped from one lot (catalog.lots)."""

    line: int
    lot: int
    quantity: int


def _shipped_lots(value: Any) -> list[ShippedLot]:
    """The `lots` a ship request names, as ShippedLot (from the form, the API or a caller)."""
    shipped: list[ShippedLot] = []
    for item in value or ():
        if isinstance(item, ShippedLot):
            shipped.append(item)
            continue
        try:
            line, lot, quantity = item["line"], item["lot"], item["quantity"]
        except (KeyError, TypeError):
            raise ValidationError({"lots": _("Give each lot as a line, a lot and a quantity.")}) from None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (line, lot, quantity)):
            raise ValidationError({"lots": _("Give each lot as a line, a lot and a quantity.")})
        shipped.append(ShippedLot(line=line, lot=lot, quantity=quantity))
    return shipped


def _ship_lots(order: Order, actor: User, shipped: list[ShippedLot]) -> list[dict[str, Any]]:
    """Check the lots named for the lines of listings sold by lot (each such line ships exactly
    its quantity, from lots of its listing; no other line names a lot), draw them from the lots
    under their row locks (`catalog.lots.services.lots_draw`) and record them on the lines."""
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order).select_related("listing")}
    tracked = {pk for pk, line in lines.items() if line.listing is not None and line.listing.sold_by_lot}
    by_line: dict[int, int] = defaultdict(int)
    for item in shipped:
        if item.line not in lines:
            raise ValidationError({"lots": _("Name lots for lines of this order only.")})
        if item.line not in tracked:
            raise ValidationError({"lots": _("“%(title)s” is not sold by lot.") % {"title": lines[item.line].title}})
        by_line[item.line] += item.quantity
    for pk in sorted(tracked):
        line = lines[pk]
        if by_line[pk] != line.quantity:
            raise ValidationError(
                {
                    "lots": _("Name the lots “%(title)s” ships from: %(quantity)s in all.")
                    % {"title": line.title, "quantity": line.quantity}
                }
            )
    if not shipped:
        return []
    draws = [LotDraw(listing_id=lines[i.line].listing_id or 0, lot_id=i.lot, quantity=i.quantity) for i in shipped]
    lots = {lot.pk: lot for lot in lots_draw(supplier=order.supplier, draws=draws, actor=actor, reference=order.number)}
    merged: dict[tuple[int, int], int] = defaultdict(int)
    for item in shipped:
        merged[(item.line, item.lot)] += item.quantity
    OrderLineLot.objects.bulk_create(
        OrderLineLot(line_id=line, lot_id=lot, quantity=quantity) for (line, lot), quantity in sorted(merged.items())
    )
    return [
        {"line": line, "lot": lots[lot].code, "quantity": quantity} for (line, lot), quantity in sorted(merged.items())
    ]


@transaction.atomic
def order_ship(
    *,
    order: Order,
    actor: User,
    carrier: str,
    tracking_number: str,
    lots: Any = None,
    expected_status: str | None = None,
) -> Order:
    """The supplier ships the order with a carrier and tracking number (both required): once paid,
    or once confirmed where the payment terms allow paying later (net terms, L/C).

    A line of a listing sold by lot names the lots it ships from (`lots`: line, lot, quantity),
    adding up to its quantity; they are drawn from the lots in this transaction, after the order's
    lock and status guard, so a refused step draws nothing."""
    carrier = _required(carrier, "carrier", _("Name the carrier."), 80)
    tracking_number = _required(tracking_number, "tracking_number", _("Enter the tracking number."), 80)
    shipped = _shipped_lots(lots)
    data: dict[str, Any] = {"carrier": carrier, "tracking_number": tracking_number}

    def change(locked: Order, party: str) -> list[str]:
        locked.carrier, locked.tracking_number = carrier, tracking_number
        drawn = _ship_lots(locked, actor, shipped)  # only the supplier gets here (the step's party)
        if drawn:
            data["lots"] = drawn
        return ["carrier", "tracking_number"]

    return _transition(
        order=order,
        actor=actor,
        action="ship",
        change=change,
        data=data,
        expected_status=expected_status,
    )


@transaction.atomic
def order_confirm_delivery(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The buyer confirms the goods arrived: shipped → delivered."""
    return _transition(order=order, actor=actor, action="confirm_delivery", expected_status=expected_status)


@transaction.atomic
def order_complete(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The buyer closes the order, satisfied: delivered → completed (rating opens)."""
    return _transition(order=order, actor=actor, action="complete", expected_status=expected_status)


@transaction.atomic
def order_cancel(*, order: Order, actor: User, reason: str, expected_status: str | None = None) -> Order:
    """Cancel with a reason: from placed or confirmed by either party, from paid by the supplier.

    Spot stock the order reserved is given back in the same transaction (ho's
    `order_stock_release`), so a cancelled order never keeps goods from other buyers; a cancelled
    sample takes back the fee credit it gave a bulk order not yet confirmed (`sample_credit_withdraw`)."""
    reason = _required(reason, "reason", _("Say why the order is cancelled."), 1000)

    def change(locked: Order, party: str) -> list[str]:
        locked.cancel_reason, locked.cancelled_by_party = reason, party
        placing.order_stock_release(order=locked)
        if locked.kind == OrderKind.SAMPLE:
            sample_credit_withdraw(sample_order=locked, actor=actor, party=party)
        return ["cancel_reason", "cancelled_by_party"]

    return _transition(
        order=order, actor=actor, action="cancel", change=change, note=reason, expected_status=expected_status
    )


@transaction.atomic
def order_rate(*, order: Order, actor: User, stars: int, text: str = "", expected_status: str | None = None) -> Rating:
    """The buyer rates the supplier of a completed order, once (the rating's one-to-one is the
    last line against a double submission; the order lock makes the second one wait and see it)."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Give 1 to 5 stars.")})
    text = (text or "").strip()
    if len(text) > 2000:
        raise ValidationError({"text": _("Use at most %(n)d characters.") % {"n": 2000}})
    order = _lock(order)
    party = order_party_of(order=order, user=actor)
    _check_expected(order, expected_status)
    if order.status != Status.COMPLETED:
        raise OrderStateConflict(str(STATE_MESSAGES["rate"]) % {"status": order.status_label})
    if party != BUYER:
        raise PermissionDenied(str(PARTY_MESSAGES["rate"]))
    if Rating.objects.filter(order=order).exists():
        raise OrderStateConflict(_("This order has already been rated."))
    rating = Rating.objects.create(
        order=order, buyer_id=order.buyer_id, supplier_id=order.supplier_id, stars=stars, text=text, created_by=actor
    )
    event = order_event_record(
        order=order,
        actor=actor,
        party=BUYER,
        kind=OrderEvent.Kind.RATED,
        from_status=order.status,
        to_status=order.status,
        note=text,
        data={"stars": stars},
    )
    order_notify(order=order, event=event, to_party=SUPPLIER)
    return rating


# The services by action, for the views and the API (one table, no second list to keep in step).
SERVICES: dict[str, Callable[..., Any]] = {
    "confirm": order_confirm,
    "accept_terms": order_accept_terms,
    "mark_deposit_paid": order_mark_deposit_paid,
    "mark_paid": order_mark_paid,
    "ship": order_ship,
    "confirm_delivery": order_confirm_delivery,
    "complete": order_complete,
    "cancel": order_cancel,
    "rate": order_rate,
}
