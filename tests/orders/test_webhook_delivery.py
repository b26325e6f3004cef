"""Webhook deliveries against a real HTTP receiver on loopback: signed so the documented check
passes, retried with growing waits while the receiver is down, each event delivered exactly once
when it is back; never followed through a redirect; refused for private and loopback targets by
default, at registration and again at send time; given up after the retry window; redelivered."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders.models import WebhookDelivery
from orders.services.transitions import order_confirm, order_ship
from orders.services.webhooks import webhook_deliver, webhook_endpoint_create, webhook_redeliver, webhook_sweep
from tests.orders.factories import order_at
from tests.orders.webhook_helpers import Receiver, free_port, verify_signature

pytestmark = pytest.mark.django_db

EVENTS = ["order.confirmed", "order.shipped"]


@pytest.fixture
def receiver():
    receiver = Receiver(port=free_port()).start()
    yield receiver
    receiver.stop()


def _endpoint(supplier, member, url, events=EVENTS):
    return webhook_endpoint_create(actor=member, supplier=supplier, url=url, events=events)


def test_a_delivery_reaches_a_real_receiver_signed_so_the_documented_check_passes(
    supplier, supplier_member, buyer, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_SEND_EAGER = True  # sent on commit, in this process
    endpoint, secret = _endpoint(supplier, supplier_member, receiver.url)
    order = order_at("placed", buyer=buyer, supplier=supplier)
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm(order=order, actor=supplier_member)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.path == "/hooks/marketplace"
    assert verify_signature(secret, request.headers["x-webhook-signature"], request.body)
    assert not verify_signature("whsec_another", request.headers["x-webhook-signature"], request.body)
    assert not verify_signature(secret, request.headers["x-webhook-signature"], request.body + b" ")
    payload = json.loads(request.body)
    assert payload["type"] == "order.confirmed" == request.headers["x-webhook-event"]
    assert payload["id"] == request.headers["x-webhook-event-id"]
    assert payload["data"]["order"]["number"] == order.number
    assert payload["data"]["order"]["status"] == "confirmed"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_receiver_down_for_a_minute_gets_each_event_exactly_once_when_back(
    supplier, supplier_member, buyer, settings
):
    """The receiver's port is closed: the first sends fail and back off (1, then 2 minutes); once
    it listens again the sweep delivers both events, once each, and later sweeps send nothing."""
    port = free_port()
    receiver = Receiver(port=port)
    endpoint, secret = _endpoint(supplier, supplier_member, receiver.url)
    order = order_at("paid", buyer=buyer, supplier=supplier)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    order_ship(order=order, actor=supplier_member, carrier="COSCO", tracking_number="COSU6123456780")
    deliveries = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk"))
    assert [d.event_type for d in deliveries] == ["order.confirmed", "order.shipped"]

    t0 = timezone.now()
    assert webhook_sweep(now=t0) == 0  # down: both attempts fail
    for d in WebhookDelivery.objects.filter(endpoint=endpoint):
        assert (d.status, d.attempts, d.last_status_code) == ("pending", 1, None)
        assert "ConnectionRefusedError" in d.last_error
        assert d.next_attempt_at == t0 + datetime.timedelta(minutes=1)

    assert webhook_sweep(now=t0 + datetime.timedelta(seconds=30)) == 0  # not due yet: nothing sent
    assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("attempts", flat=True)) == {1}
    assert webhook_sweep(now=t0 + datetime.timedelta(seconds=61)) == 0  # due, still down
    for d in WebhookDelivery.objects.filter(endpoint=endpoint):
        assert d.attempts == 2
        assert d.next_attempt_at == t0 + datetime.timedelta(seconds=61) + datetime.timedelta(minutes=2)

    receiver.start()  # back after a minute
    try:
        assert webhook_sweep(now=t0 + datetime.timedelta(minutes=2)) == 0  # backing off: not yet
        assert receiver.requests == []
        assert webhook_sweep(now=t0 + datetime.timedelta(minutes=4)) == 2
        assert webhook_sweep(now=t0 + datetime.timedelta(minutes=10)) == 0
        assert webhook_sweep(now=t0 + datetime.timedelta(hours=3)) == 0
    finally:
        receiver.stop()

    sent = [json.loads(r.body) for r in receiver.requests]
    assert sorted(p["type"] for p in sent) == ["order.confirmed", "order.shipped"]
    assert len({p["id"] for p in sent}) == 2  # each event exactly once
    for request in receiver.requests:
        assert verify_signature(secret, request.headers["x-webhook-signature"], request.body, tolerance=10**6)
    assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", "attempts")) == {
        ("delivered", 3)
    }
    assert webhook_deliver(delivery_id=deliveries[0].pk) is False  # a late task sends nothing again
    assert len(receiver.requests) == 2


def test_a_redirect_is_not_followed(supplier, supplier_member, buyer, receiver):
    other = Receiver(port=free_port()).start()
    try:
        receiver.status, receiver.location = 302, other.url
        endpoint, _secret = _endpoint(supplier, supplier_member, receiver.url)
        order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert webhook_deliver(delivery_id=delivery.pk) is False
        delivery.refresh_from_db()
        assert (delivery.status, delivery.last_status_code) == ("pending", 302)
        assert "redirect" in delivery.last_error
        assert other.requests == []
    finally:
        other.stop()


def test_a_server_error_is_recorded_with_its_code_and_retried(supplier, supplier_member, buyer, receiver):
    receiver.status = 503
    endpoint, _secret = _endpoint(supplier, supplier_member, receiver.url)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)


def test_a_delivery_is_given_up_after_the_retry_window(supplier, supplier_member, buyer, settings):
    endpoint, _secret = _endpoint(supplier, supplier_member, f"http://127.0.0.1:{free_port()}/")
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    late = delivery.created_at + datetime.timedelta(hours=settings.WEBHOOK_RETRY_HOURS) - datetime.timedelta(seconds=5)
    webhook_deliver(delivery_id=delivery.pk, now=late)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert webhook_sweep(now=late + datetime.timedelta(days=1)) == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 1  # a failed delivery is not tried again by the sweep


def test_a_manual_redelivery_sends_the_same_event_again(supplier, supplier_member, buyer, receiver):
    endpoint, _secret = _endpoint(supplier, supplier_member, receiver.url)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    first = WebhookDelivery.objects.get(endpoint=endpoint)
    assert webhook_deliver(delivery_id=first.pk)
    again = webhook_redeliver(delivery=first)
    assert webhook_deliver(delivery_id=again.pk)
    ids = [json.loads(r.body)["id"] for r in receiver.requests]
    assert ids == [str(first.event_id)] * 2
    assert again.redelivery_of_id == first.pk


def test_a_paused_endpoint_waits_and_gets_no_new_events(supplier, supplier_member, buyer, receiver):
    from orders.services.webhooks import webhook_endpoint_update

    endpoint, _secret = _endpoint(supplier, supplier_member, receiver.url)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    webhook_endpoint_update(endpoint=endpoint, is_active=False)
    assert webhook_sweep() == 0 and receiver.requests == []
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    webhook_endpoint_update(endpoint=endpoint, is_active=True)
    assert webhook_sweep() == 1 and len(receiver.requests) == 1


# ---- targets: private and loopback refused by default -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost:8080/hook",  # a name that resolves to loopback
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
        "http://user:pass@example.com/hook",
    ],
)
def test_the_default_refuses_private_and_loopback_targets_at_registration(supplier, supplier_member, settings, url):
    settings.WEBHOOK_ALLOW_NETWORKS = []  # production's default
    with pytest.raises(ValidationError) as refused:
        _endpoint(supplier, supplier_member, url)
    assert "url" in refused.value.message_dict


def test_a_name_that_resolves_to_loopback_is_refused_at_send_time_too(
    supplier, supplier_member, buyer, receiver, settings
):
    """Registered while allowed (a name that later resolves elsewhere: DNS is someone else's),
    the target is checked again when sending: nothing reaches the receiver."""
    endpoint, _secret = _endpoint(supplier, supplier_member, f"http://localhost:{receiver.port}/hook")
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    settings.WEBHOOK_ALLOW_NETWORKS = []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert webhook_deliver(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("refused:") and "not a public address" in delivery.last_error
    assert receiver.requests == []


def test_a_committed_event_queues_one_send_task_per_delivery_and_the_beat_sweeps(
    supplier, supplier_member, buyer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from orders import tasks
    from orders.services import webhooks

    queued = []
    monkeypatch.setattr(webhooks, "enqueue", lambda task, *args: queued.append((task, args)))
    endpoint, _secret = _endpoint(supplier, supplier_member, f"http://127.0.0.1:{free_port()}/")
    with django_capture_on_commit_callbacks(execute=True):
        order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert queued == [(tasks.webhook_deliver_task, (delivery.pk,))]
    sweep = settings.CELERY_BEAT_SCHEDULE["orders-webhook-sweep"]
    assert sweep["task"] == tasks.webhook_sweep_task.name == "orders.tasks.webhook_sweep_task"
