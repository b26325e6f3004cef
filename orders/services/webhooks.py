"""Webhooks: endpoints a buying company or a supplier registers, and the outbox of their deliveries.

Emitting: the services that write the trade's audit events (`order_event_record`, the RFQ's
`_event`, protection's `record_event`) call `webhook_emit_*` with the event, inside their
transaction: one query finds the subscribed endpoints of the parties allowed to see it and one
INSERT writes a pending delivery per endpoint. A rolled-back change sends nothing; after commit
each delivery is queued (`webhook_deliver_task`), and `webhook_sweep` (every minute) sends what a
lost task left behind and retries failures with growing waits for `WEBHOOK_RETRY_HOURS`.

Sending: `webhook_deliver` locks the row (SKIP LOCKED), checks it is still pending and POSTs the
signed payload (orders.webhook_http), so a task delivered twice, or the task and the sweep
together, send an event at most once at a time and never again once an answer was 2xx.
"""

import datetime
import json
import logging
import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from buyers.models import BuyerCompany
from marketplace.exceptions import ConflictError
from marketplace.jobs import enqueue
from marketplace.outbound import OutboundRefused, check_url, parse_networks
from suppliers.models import Supplier

from .. import webhook_http
from ..models import (
    Order,
    OrderEvent,
    ProtectionEvent,
    Rfq,
    RfqEvent,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
)

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105 (a marker before the random part, not a secret)
MAX_ENDPOINTS = 10  # per company: each event is one INSERT per endpoint, inside the change's transaction
SWEEP_BATCH = 200
SWEEP_TIME_BUDGET = 45.0  # seconds: the next sweep goes on, so sweeps never pile up behind slow receivers

ORDER_EVENT_TYPES = {
    OrderEvent.Kind.PLACED: WebhookEventType.ORDER_PLACED,
    OrderEvent.Kind.PROPOSED: WebhookEventType.ORDER_TERMS_PROPOSED,
    OrderEvent.Kind.CONFIRMED: WebhookEventType.ORDER_CONFIRMED,
    OrderEvent.Kind.DEPOSIT_PAID: WebhookEventType.ORDER_DEPOSIT_PAID,
    OrderEvent.Kind.PAID: WebhookEventType.ORDER_PAID,
    OrderEvent.Kind.SHIPPED: WebhookEventType.ORDER_SHIPPED,
    OrderEvent.Kind.DELIVERED: WebhookEventType.ORDER_DELIVERED,
    OrderEvent.Kind.COMPLETED: WebhookEventType.ORDER_COMPLETED,
    OrderEvent.Kind.CANCELLED: WebhookEventType.ORDER_CANCELLED,
}
PROTECTION_EVENT_TYPES = {
    ProtectionEvent.Kind.DISPUTE_OPENED: WebhookEventType.DISPUTE_OPENED,
    ProtectionEvent.Kind.DISPUTE_ANSWERED: WebhookEventType.DISPUTE_ANSWERED,
    ProtectionEvent.Kind.DISPUTE_DECIDED: WebhookEventType.DISPUTE_DECIDED,
}
RFQ_EVENT_TYPES = {
    RfqEvent.Kind.POSTED: WebhookEventType.RFQ_PUBLISHED,
    RfqEvent.Kind.QUOTED: WebhookEventType.RFQ_QUOTED,
    RfqEvent.Kind.QUOTE_REVISED: WebhookEventType.RFQ_QUOTED,
    RfqEvent.Kind.AWARDED: WebhookEventType.RFQ_AWARDED,
    RfqEvent.Kind.CANCELLED: WebhookEventType.RFQ_CANCELLED,
}


# ---- endpoints -----------------------------------------------------------------------------------


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen:
        raise ValidationError({"events": [_("Choose at least one event.")]})
    unknown = [event for event in chosen if event not in WebhookEventType.values]
    if unknown:
        raise ValidationError({"events": [_("Unknown event: %(event)s.") % {"event": unknown[0]}]})
    return chosen


def _clean_url(url: str) -> str:
    url = url.strip()
    try:
        check_url(url, allow_networks=parse_networks(settings.WEBHOOK_ALLOW_NETWORKS))
    except OutboundRefused as exc:
        raise ValidationError(
            {"url": [_("This URL cannot receive webhooks: %(reason)s.") % {"reason": str(exc)}]}
        ) from exc
    return url


def _owner_lock(*, buyer: BuyerCompany | None, supplier: Supplier | None) -> None:
    """Lock the owning company's row: two creates at once cannot pass the endpoint limit together."""
    if buyer is not None:
        BuyerCompany.objects.select_for_update().filter(pk=buyer.pk).first()
    elif supplier is not None:
        Supplier.objects.select_for_update().filter(pk=supplier.pk).first()


@transaction.atomic
def webhook_endpoint_create(
    *,
    actor: User,
    url: str,
    events: Sequence[str],
    description: str = "",
    buyer: BuyerCompany | None = None,
    supplier: Supplier | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint for one buying company or one supplier (the caller checked that
    `actor` acts for it) and return it with its signing secret, which is shown only now."""
    if (buyer is None) == (supplier is None):
        raise ValueError("an endpoint belongs to a buying company or a supplier")
    url, chosen = _clean_url(url), _clean_events(events)
    _owner_lock(buyer=buyer, supplier=supplier)
    owned = WebhookEndpoint.objects.for_owner(
        buyer_id=buyer.pk if buyer else None, supplier_id=supplier.pk if supplier else None
    )
    if owned.count() >= MAX_ENDPOINTS:
        raise ConflictError(_("A company may have at most %(n)s webhook endpoints.") % {"n": MAX_ENDPOINTS})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        buyer=buyer,
        supplier=supplier,
        url=url,
        events=chosen,
        description=" ".join(description.split())[:200],
        secret=secret,
        secret_prefix=secret[:12],
        created_by=actor,
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL, events, description or active flag (only what is given). Pending
    deliveries wait while it is inactive and go out when it is active again, if still in time."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    fields: list[str] = []
    if url is not None and url.strip() != endpoint.url:
        endpoint.url, fields = _clean_url(url), [*fields, "url"]
    if events is not None:
        endpoint.events, fields = _clean_events(events), [*fields, "events"]
    if description is not None:
        endpoint.description, fields = " ".join(description.split())[:200], [*fields, "description"]
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active, fields = is_active, [*fields, "is_active"]
    if fields:
        endpoint.save(update_fields=[*fields, "updated_at"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint and its delivery log."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()


# ---- emitting ------------------------------------------------------------------------------------


def webhook_emit(
    *,
    event_type: str,
    data: dict[str, Any],
    buyer_id: int | None = None,
    supplier_ids: Sequence[int] = (),
) -> list[WebhookDelivery]:
    """Write one pending delivery of the event to each active endpoint of the given buying company
    and suppliers that subscribes to `event_type` (call inside the change's transaction: the
    caller has decided those owners may see `data`). One event id is shared by its deliveries."""
    owners = Q(supplier_id__in=list(supplier_ids)) if supplier_ids else Q(pk__in=[])
    if buyer_id is not None:
        owners |= Q(buyer_id=buyer_id)
    endpoint_ids = list(
        WebhookEndpoint.objects.filter(owners, is_active=True, events__contains=[event_type]).values_list(
            "pk", flat=True
        )
    )
    if not endpoint_ids:
        return []
    event_id, now = uuid.uuid4(), timezone.now()
    payload = {"id": str(event_id), "type": event_type, "created_at": now.isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint_id=endpoint_id,
            event_id=event_id,
            event_type=event_type,
            payload=payload,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint_id in endpoint_ids
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _send_soon(ids), robust=True)
    return deliveries


def _send_soon(delivery_ids: list[int]) -> None:
    """After commit: send now (`WEBHOOK_SEND_EAGER`) or queue one send task per delivery."""
    from ..tasks import webhook_deliver_task  # orders.tasks imports the services: a local import breaks the cycle

    for delivery_id in delivery_ids:
        if settings.WEBHOOK_SEND_EAGER:
            webhook_deliver(delivery_id=delivery_id)
        else:
            enqueue(webhook_deliver_task, delivery_id)  # the broker down: logged, and the sweep sends it


def _order_data(order: Order, event_kind: str, to_status: str = "") -> dict[str, Any]:
    """What every order event carries: ids and the figures both parties see on the order."""
    return {
        "order": {
            "number": order.number,
            "status": to_status or order.status,  # some services write the event before saving the order
            "kind": order.kind,
            "currency": order.currency,
            "total": str(order.total),
        },
        "event": event_kind,
    }


def webhook_emit_order_event(event: OrderEvent) -> None:
    """Emit an order's audit event to both parties' endpoints (each sees its own orders only)."""
    event_type = ORDER_EVENT_TYPES.get(OrderEvent.Kind(event.kind)) if event.kind in OrderEvent.Kind.values else None
    if event_type is None:
        return
    order = event.order
    webhook_emit(
        event_type=event_type,
        data=_order_data(order, event.kind, event.to_status),
        buyer_id=order.buyer_id,
        supplier_ids=[order.supplier_id],
    )


def webhook_emit_protection_event(event: ProtectionEvent) -> None:
    """Emit a dispute's step to both parties of the order."""
    event_type = PROTECTION_EVENT_TYPES.get(ProtectionEvent.Kind(event.kind))
    if event_type is None:
        return
    order = event.order
    dispute = event.dispute
    data = _order_data(order, event.kind, order.status)
    data["dispute"] = {
        "id": dispute.pk if dispute else None,
        "status": dispute.status if dispute else "",
        "decision": (dispute.decision or "") if dispute else "",
    }
    webhook_emit(event_type=event_type, data=data, buyer_id=order.buyer_id, supplier_ids=[order.supplier_id])


def webhook_emit_rfq_event(event: RfqEvent, rfq: Rfq) -> None:
    """Emit an RFQ's step to the buying company; an accepted quote also to its supplier, who
    sees its own quote and the order it became, not the RFQ's other quotes."""
    event_type = RFQ_EVENT_TYPES.get(RfqEvent.Kind(event.kind))
    if event_type is None:
        return
    rfq_data = {"id": rfq.pk, "status": rfq.status}
    data: dict[str, Any] = {"rfq": rfq_data, "event": event.kind}
    quote = event.quote
    if quote is not None:
        data["quote"] = {"id": quote.pk, "supplier": quote.supplier_id, "status": quote.status}
    if event.data.get("order"):
        data["order"] = {"number": event.data["order"]}
    webhook_emit(event_type=event_type, data=data, buyer_id=rfq.buyer_id)
    if event_type == WebhookEventType.RFQ_AWARDED and quote is not None:
        webhook_emit(event_type=event_type, data=data, supplier_ids=[quote.supplier_id])


def webhook_emit_rfq_received(*, rfq: Rfq, supplier_ids: Sequence[int]) -> None:
    """Emit `rfq.received` to the suppliers an RFQ was just routed to (each learns of the RFQ it
    may quote on; its id is the opportunity's in the API), in the routing job's transaction."""
    if supplier_ids:
        data = {"rfq": {"id": rfq.pk, "status": rfq.status, "deadline": rfq.deadline.isoformat()}, "event": "routed"}
        webhook_emit(event_type=WebhookEventType.RFQ_RECEIVED, data=data, supplier_ids=supplier_ids)


# ---- sending -------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """The bytes POSTed and signed: the payload as compact JSON with sorted keys."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def webhook_deliver(*, delivery_id: int, now: datetime.datetime | None = None) -> bool:
    """POST one pending delivery; True if the receiver answered 2xx. A failure is recorded on the
    row (attempts, last code or error, next attempt after `retry_delay`, or failed for good once
    past `WEBHOOK_RETRY_HOURS`) and never raised. The row lock is held while the receiver answers;
    `WEBHOOK_TIMEOUT` (at most 10 s) bounds how long."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, endpoint__is_active=True)
            .first()
        )
        if delivery is None:
            return False
        now = now or timezone.now()
        endpoint = delivery.endpoint
        body = delivery_body(delivery)
        headers = {
            webhook_http.SIGNATURE_HEADER: webhook_http.signature(
                secret=endpoint.secret, timestamp=int(now.timestamp()), body=body
            ),
            "X-Webhook-Event": delivery.event_type,
            "X-Webhook-Event-Id": str(delivery.event_id),
            "X-Webhook-Delivery": str(delivery.pk),
        }
        result = webhook_http.post(
            url=endpoint.url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_networks=settings.WEBHOOK_ALLOW_NETWORKS,
        )
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error[:500]
        if result.ok:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            if delivery.next_attempt_at > delivery.created_at + datetime.timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
                delivery.status = WebhookDelivery.Status.FAILED
            logger.info("Webhook delivery %s: attempt %s failed: %s", delivery.pk, delivery.attempts, result.error)
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return result.ok


def webhook_sweep(*, now: datetime.datetime | None = None) -> int:
    """Send the pending deliveries that are due (lost tasks, receivers that were down); returns how
    many were delivered. Each goes through `webhook_deliver`, so overlapping sweeps and tasks send
    nothing twice."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.due(now=now).values_list("pk", flat=True)[:SWEEP_BATCH])
    started, delivered = time.monotonic(), 0
    for delivery_id in due:
        if time.monotonic() - started > SWEEP_TIME_BUDGET:
            break
        delivered += webhook_deliver(delivery_id=delivery_id, now=now)
    return delivered


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send an event again (its owner, from the log): a new delivery with the same event id and
    payload, so the receiver can tell it is the same event; sent after commit."""
    again = WebhookDelivery.objects.create(
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        redelivery_of=delivery,
    )
    again_id = again.pk
    transaction.on_commit(lambda: _send_soon([again_id]), robust=True)
    return again
