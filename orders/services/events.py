"""The one place an order's audit event is written: every service that records an `OrderEvent`
calls `order_event_record`, which also writes the event's webhook deliveries in the same
transaction (tests/orders/test_webhook_events.py fails on an `OrderEvent` written elsewhere)."""

from typing import Any

from ..models import OrderEvent
from .webhooks import webhook_emit_order_event


def order_event_record(**fields: Any) -> OrderEvent:
    """Insert one immutable `OrderEvent` (the model's fields as keywords) and emit it to the
    parties' webhook endpoints that subscribe to it. Call inside the change's transaction."""
    event = OrderEvent.objects.create(**fields)
    webhook_emit_order_event(event)
    return event
