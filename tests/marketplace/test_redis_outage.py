"""Redis down (cache and broker) degrades the site, never fails it.

The app runs in gunicorn with the production settings on a redis-server of the test's own, which the
test kills: the API still answers (throttles fail open), an inquiry sent from the page is answered
with its redirect and its notice is sent by the sweep once Redis is back, `/healthz` (liveness)
stays ok while `/readyz` answers 503 and names the cache and the broker.
"""

import json
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from buyers.models import Inquiry
from catalog.models import Listing
from marketplace.health.models import WorkerHeartbeat
from marketplace.health.tasks import worker_heartbeat_task
from marketplace.mail.models import OutboundMail
from marketplace.mail.tasks import mail_sweep_task
from orders.models import Order
from tests import factories as f
from tests.orders.factories import PLACING_TERMS, listing_with
from tests.outage import session_headers

pytestmark = pytest.mark.django_db(transaction=True)  # the app in gunicorn reads what the test commits
# Redis killed (connections refused at once) or frozen (connections accepted, never answered).
OUTAGES = pytest.mark.parametrize("outage", ["killed", "frozen"])


@OUTAGES
def test_the_api_answers_while_redis_is_down(live_app, redis_server, outage):
    """Anonymous and signed-in API requests pass their throttles with the cache unreachable."""
    buyer = f.BuyerMemberFactory().user
    listing = listing_with(f.SupplierFactory(), f.CategoryFactory())
    assert live_app.request("GET", "/api/v1/belts/")[0] == 200
    redis_server.outage(outage)

    anonymous = live_app.request("GET", "/api/v1/belts/")
    order = json.dumps({"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 10}], **PLACING_TERMS})
    placed = live_app.request(
        "POST",
        "/api/v1/orders/",
        data=order.encode(),
        headers={**session_headers(buyer, json=True), "Idempotency-Key": "outage-1"},
    )

    assert anonymous[0] == 200, live_app.log.read_text()[-3000:]
    assert placed[0] == 201, placed[1][:2000]


@OUTAGES
def test_public_pages_are_cached_in_redis_and_rendered_afresh_while_it_is_down(live_app, redis_server, outage):
    """The page cache (marketplace.pagecache) keeps pages in Redis; with Redis down the page is
    rendered from the database, and shows a change committed meanwhile."""
    listing = listing_with(f.SupplierFactory(), f.CategoryFactory())
    url = f"/listings/{listing.pk}/"
    first = live_app.request("GET", url)
    assert first[0] == 200, live_app.log.read_text()[-3000:]
    assert live_app.request("GET", url) == first  # served from Redis, word for word
    Listing.objects.filter(pk=listing.pk).update(title_en="Handheld laser cleaning machine 2000 W")
    redis_server.outage(outage)

    status, body = live_app.request("GET", url)

    assert status == 200, live_app.log.read_text()[-3000:]
    assert "Handheld laser cleaning machine 2000 W" in body.decode()


def test_signed_in_people_stay_signed_in_while_redis_is_down(live_app, redis_server, settings):
    """Sessions live in the database (Django's default engine), not in the cache: an outage signs
    nobody out."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    buyer = f.BuyerMemberFactory().user
    redis_server.stop()

    signed_in = live_app.location(reverse("dashboard"), headers=session_headers(buyer))
    signed_out = live_app.location(reverse("dashboard"), headers={})

    assert signed_in == reverse("buyers:dashboard")
    assert signed_out.startswith(reverse("accounts:login"))  # what being signed out would look like


@OUTAGES
def test_an_inquiry_sent_while_redis_is_down_is_answered_and_its_notice_sent_once_redis_is_back(
    live_app, redis_server, outage
):
    buyer = f.BuyerMemberFactory().user
    supplier = f.SupplierFactory()
    seller = f.SupplierMemberFactory(supplier=supplier).user
    redis_server.outage(outage)

    sent = live_app.request(
        "POST",
        f"{reverse('buyers:inquiry_new')}?supplier={supplier.slug}",
        data=b"subject=20+units&body=Price+FOB+Wuhan%3F",
        headers={**session_headers(buyer), "Content-Type": "application/x-www-form-urlencoded"},
    )

    assert sent[0] == 302, live_app.log.read_text()[-3000:]
    assert Inquiry.objects.filter(supplier=supplier).count() == 1
    notice = OutboundMail.objects.get(kind="inquiry_new")
    assert notice.sent_at is None  # the send task could not be queued: it waits for the sweep

    redis_server.recover(outage)
    mail.outbox.clear()
    mail_sweep_task.apply()  # what the beat runs every minute
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert [m.to for m in mail.outbox] == [[seller.email]]


@OUTAGES
def test_healthz_stays_a_liveness_check_and_readyz_names_what_is_down(live_app, redis_server, outage):
    redis_server.outage(outage)

    live = live_app.request("GET", "/healthz")
    ready = live_app.request("GET", "/readyz")

    assert live == (200, b'{"status": "ok"}')
    assert ready[0] == 503, ready
    checks = json.loads(ready[1])["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "down"
    assert checks["broker"]["status"] == "down"


@pytest.mark.worker
def test_readyz_is_ok_with_redis_up_and_a_worker_consuming(live_app, redis_broker, redis_worker):
    """The heartbeats travel the real path: queued on Redis, one to each queue as the beat sends
    them, run by the worker process (which consumes every queue)."""
    queues = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    for queue in queues:
        worker_heartbeat_task.apply_async(kwargs={"queue": queue}, queue=queue)
    _wait_until(
        lambda: (
            WorkerHeartbeat.objects.filter(job_ran_at__isnull=False).values("queue").distinct().count() == len(queues)
        ),
        redis_worker,
        what="the worker's heartbeats",
    )

    status, body = live_app.request("GET", "/readyz")

    assert status == 200, body
    assert {name: c["status"] for name, c in json.loads(body)["checks"].items()} == {
        "database": "ok", "cache": "ok", "broker": "ok", "beat": "ok",
        **{f"worker:{queue}": "ok" for queue in queues}, **{f"queue:{queue}": "ok" for queue in queues},
    }  # fmt: skip


def _wait_until(condition, worker, *, what: str, seconds: float = 30) -> None:
    process, log = worker
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, log.read_text()[-3000:]
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds:.0f} s:\n" + log.read_text()[-3000:])
        time.sleep(0.2)


ORDERS = 100
OUTAGE = range(30, 70)  # the orders placed while Redis is down


@pytest.mark.worker
def test_battery_redis_killed_during_100_orders_no_server_error_no_lost_order_no_lost_mail(
    live_app, redis_broker, redis_worker, record_property
):
    """Battery (issue 12, point 8): 100 orders through the API while Redis, cache and broker of the
    app, dies after the 30th and comes back empty after the 70th. Every order answers 201, every
    order is in the database, and once Redis is back the sweep, queued as the beat queues it and run
    by the worker, sends every order's mail: the ones whose send was never queued (Redis down) and
    the ones whose message died with Redis alike."""
    buyer = f.BuyerMemberFactory().user
    supplier = f.SupplierFactory()
    f.SupplierMemberFactory(supplier=supplier)
    listing = listing_with(supplier, f.CategoryFactory())
    headers = {**session_headers(buyer, json=True)}
    body = json.dumps({"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 10}], **PLACING_TERMS}).encode()

    started = time.monotonic()
    answers = []
    for n in range(ORDERS):
        if n == OUTAGE.start:
            redis_broker.stop()
        if n == OUTAGE.stop:
            redis_broker.start()
        status, _body = live_app.request(
            "POST", "/api/v1/orders/", data=body, headers={**headers, "Idempotency-Key": f"battery-{n}"}
        )
        answers.append(status)
    placing_seconds = time.monotonic() - started

    # Redis is back: the beat's next sweep (queued on Redis, run by the worker) sends what is left.
    order_mails = OutboundMail.objects.filter(kind="order_placed")
    process, log = redis_worker
    deadline = time.monotonic() + 40
    while order_mails.unsent().exists() and time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        mail_sweep_task.delay()
        time.sleep(2)

    server_errors = sum(1 for s in answers if s >= 500 or s == 0)
    orders = Order.objects.filter(placed_by=buyer).count()
    lost_orders = ORDERS - orders
    lost_mails = ORDERS - order_mails.filter(sent_at__isnull=False).count()
    record_property(
        "figure",
        f"redis outage: {ORDERS} orders ({len(OUTAGE)} while Redis was down) in {placing_seconds:.1f} s, "
        f"{server_errors} 5xx, {lost_orders} lost orders, {lost_mails} lost mails",
    )
    assert answers == [201] * ORDERS, answers
    assert (server_errors, lost_orders, lost_mails) == (0, 0, 0)
    assert order_mails.count() == ORDERS  # each order's mail once
