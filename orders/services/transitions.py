"""The life of a placed order: confirm, mark paid, ship, confirm delivery, complete, cancel; rate.

`TRANSITIONS` below is the one table of who may move an order from which status to which; the
services, the detail page's buttons and the API all read it. Every service follows the house
template: lock the order row → guard status and party → mutate with `update_fields` → write an
immutable OrderEvent → email the other party after commit.

A refused transition raises `OrderStateConflict` (an ApplicationError; the API answers 409) when
no party may take that step from the order's status now, and `PermissionDenied` (403) when the
step exists but belongs to the other party. Because the status is read under the row lock, the
second of two racing requests (a supplier's confirm and a buyer's cancel) sees the first one's
outcome and is refused: exactly one outcome and one event are on record.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketplace.exceptions import ConflictError

from ..models import TRANSITIONS, Order, OrderEvent, OrderKind, Party, Rating
from . import placing
from .create import sample_credit_withdraw
from .notify import order_notify
from .parties import order_party_of
from .protection import protection_blocks, protection_follow_order

Status = Order.Status
BUYER, SUPPLIER = Party.BUYER.value, Party.SUPPLIER.value

# The action (service, URL, button) that leads to each status, in the order buttons are shown.
ACTIONS: dict[str, str] = {
    "confirm": Status.CONFIRMED,
    "mark_paid": Status.PAID,
    "ship": Status.SHIPPED,
    "confirm_delivery": Status.DELIVERED,
    "complete": Status.COMPLETED,
    "cancel": Status.CANCELLED,
}
TARGET_ACTION = {target: action for action, target in ACTIONS.items()}

# The timestamp field each status sets.
STAMPS: dict[str, str] = {
    Status.CONFIRMED: "confirmed_at",
    Status.PAID: "paid_at",
    Status.SHIPPED: "shipped_at",
    Status.DELIVERED: "delivered_at",
    Status.COMPLETED: "completed_at",
    Status.CANCELLED: "cancelled_at",
}

# Why a step is refused in the order's status (OrderStateConflict).
STATE_MESSAGES = {
    "confirm": gettext_lazy("Only a placed order can be confirmed; this order is now “%(status)s”."),
    "mark_paid": gettext_lazy("Only a confirmed order can be marked as paid; this order is now “%(status)s”."),
    "ship": gettext_lazy("Only a paid order can be shipped; this order is now “%(status)s”."),
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
    "mark_paid": gettext_lazy("Only the supplier can record the payment of this order."),
    "ship": gettext_lazy("Only the supplier can ship this order."),
    "confirm_delivery": gettext_lazy("Only the buyer can confirm that this order was delivered."),
    "complete": gettext_lazy("Only the buyer can complete this order."),
    "cancel": gettext_lazy("Once the order is paid, only the supplier can cancel it."),
    "rate": gettext_lazy("Only the buyer can rate this order."),
}


class OrderStateConflict(ConflictError):
    """The order's status does not allow this step now (409)."""


def allowed_parties(from_status: str, to_status: str) -> set[str]:
    """The parties who may move an order from `from_status` to `to_status` (empty: nobody)."""
    return {party for source, target, party in TRANSITIONS if source == from_status and target == to_status}


def actions_for(order: Order, party: str | None) -> list[str]:
    """The actions `party` may take on `order` now, in button order; "rate" included when open.

    Reads `order.rating` and `order.protection` (select them with the order to keep this free of
    queries)."""
    if party is None:
        return []
    actions = [
        a
        for a, target in ACTIONS.items()
        if (order.status, target, party) in TRANSITIONS and not protection_blocks(order, a)
    ]
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
) -> Order:
    """Lock, guard, move `order` to the status of `action`, record the event, notify after commit.

    `expected_status` is the status the person saw when deciding (the page or API client sends
    it): if the other party moved the order meanwhile, the step is refused even where the new
    status would allow it, so a decision is never applied to an order its maker has not seen."""
    to_status = ACTIONS[action]
    order = _lock(order)
    party = order_party_of(order=order, user=actor)
    _check_expected(order, expected_status)
    parties = allowed_parties(order.status, to_status)
    if not parties:
        raise OrderStateConflict(str(STATE_MESSAGES[action]) % {"status": order.status_label})
    if party not in parties:
        raise PermissionDenied(str(PARTY_MESSAGES[action]))
    # A protected order's money follows the step in this transaction (or refuses it).
    protection_follow_order(order=order, action=action, party=party, actor=actor)
    from_status = order.status
    stamp = STAMPS[to_status]
    order.status = to_status
    setattr(order, stamp, timezone.now())
    fields = ["status", stamp, "updated_at", *(change(order, party) if change else [])]
    order.save(update_fields=fields)
    event = OrderEvent.objects.create(
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


@transaction.atomic
def order_confirm(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The supplier accepts a placed order: placed → confirmed."""
    return _transition(order=order, actor=actor, action="confirm", expected_status=expected_status)


@transaction.atomic
def order_mark_paid(*, order: Order, actor: User, expected_status: str | None = None) -> Order:
    """The supplier records that the buyer's payment arrived: confirmed → paid."""
    return _transition(order=order, actor=actor, action="mark_paid", expected_status=expected_status)


@transaction.atomic
def order_ship(
    *, order: Order, actor: User, carrier: str, tracking_number: str, expected_status: str | None = None
) -> Order:
    """The supplier ships a paid order with a carrier and tracking number (both required)."""
    carrier = _required(carrier, "carrier", _("Name the carrier."), 80)
    tracking_number = _required(tracking_number, "tracking_number", _("Enter the tracking number."), 80)

    def change(locked: Order, party: str) -> list[str]:
        locked.carrier, locked.tracking_number = carrier, tracking_number
        return ["carrier", "tracking_number"]

    return _transition(
        order=order,
        actor=actor,
        action="ship",
        change=change,
        data={"carrier": carrier, "tracking_number": tracking_number},
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
    event = OrderEvent.objects.create(
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
    "mark_paid": order_mark_paid,
    "ship": order_ship,
    "confirm_delivery": order_confirm_delivery,
    "complete": order_complete,
    "cancel": order_cancel,
    "rate": order_rate,
}
