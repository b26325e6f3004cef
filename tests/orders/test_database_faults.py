"""Database connections cut while orders are placed and confirmed: no partial order, nothing twice.

A real HTTP server (pytest-django's live server, its own connections) takes 50 purchases and then
50 confirmations over the API while another connection terminates the server's PostgreSQL
backends every few milliseconds (`pg_terminate_backend`: what a failover or an administrator's
kill does). The client retries as a client should (same Idempotency-Key, same expected status).
Afterwards every purchase is whole (its order, lines, totals and `placed` event, or nothing) and
every order was confirmed once: one `confirmed` event and one mail to the buyer each.
"""

import random
import threading
import time
import uuid
from decimal import Decimal

import psycopg2
import pytest
import requests
from django.db import connection
from django.db.models import Count, Sum

from marketplace.mail.models import OutboundMail
from orders.models import Order, OrderEvent, OrderLine, Purchase
from tests import factories as f
from tests.databases import database_url

from .factories import PLACING_TERMS, listing_with, supplier_with_member

pytestmark = pytest.mark.django_db(transaction=True)

N = 50
PASSWORD = "correct-horse-battery-staple"


class Killer(threading.Thread):
    """Terminates every backend of the test database but the test's own, at random intervals of 50–400 ms."""

    def __init__(self, spare_pid: int, interval: tuple[float, float] = (0.05, 0.4)) -> None:
        super().__init__(daemon=True)
        self.spare_pid = spare_pid
        self.interval = interval
        self.stop = threading.Event()
        self.killed = 0

    def run(self) -> None:
        conn = psycopg2.connect(database_url())
        conn.autocommit = True
        with conn.cursor() as cursor:
            while not self.stop.is_set():
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                    [self.spare_pid],
                )
                self.killed += cursor.fetchone()[0]
                time.sleep(random.uniform(*self.interval))
        conn.close()


def _until_answered(send, cut: list[requests.Response], attempts: int = 100) -> requests.Response:
    """Send until the server answers below 500; the answers to requests whose connection was cut
    are kept in `cut`."""
    for _attempt in range(attempts):
        try:
            response = send()
        except requests.ConnectionError:
            continue
        if response.status_code < 500:
            return response
        cut.append(response)
    raise AssertionError("no answer below 500 after many retries")


def test_cut_connections_during_50_purchases_and_50_confirmations_leave_no_partial_order(live_server, record_property):
    supplier, supplier_user = supplier_with_member()
    supplier_user.set_password(PASSWORD)
    supplier_user.save()
    buyer = f.BuyerMemberFactory().user
    buyer.set_password(PASSWORD)
    buyer.save()
    listing = listing_with(supplier, f.CategoryFactory(), spot_stock=10_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    killer = Killer(spare_pid=own_pid)
    killer.start()
    api = f"{live_server.url}/api/v1"
    buyer_auth, supplier_auth = (buyer.email, PASSWORD), (supplier_user.email, PASSWORD)
    cut_answers = 0
    cut: list[requests.Response] = []
    try:
        numbers = []
        for i in range(N):
            key = uuid.uuid4().hex
            body = {**PLACING_TERMS, "lines": [{"listing": listing.pk, "quantity": 10 + i, "from_stock": i % 2 == 0}]}
            response = _until_answered(
                lambda body=body, key=key: requests.post(
                    f"{api}/orders/", json=body, auth=buyer_auth, headers={"Idempotency-Key": key}, timeout=10
                ),
                cut,
            )
            assert response.status_code in (200, 201), response.text
            numbers.extend(order["number"] for order in response.json()["orders"])
        for number in numbers:
            response = _until_answered(
                lambda number=number: requests.post(
                    f"{api}/orders/{number}/confirm/",
                    json={"expected_status": "placed"},
                    auth=supplier_auth,
                    timeout=10,
                ),
                cut,
            )
            # 409: an earlier attempt went through but its answer was cut off.
            assert response.status_code in (200, 409), response.text
            cut_answers += response.status_code == 409
    finally:
        killer.stop.set()
        killer.join(timeout=10)
    record_property(
        "figure",
        f"database faults: {killer.killed} backends terminated during {N} purchases and {len(numbers)} "
        f"confirmations ({len(cut)} requests cut, each answered 503; {cut_answers} confirmations answered 409 "
        "after their first answer was cut)",
    )
    assert killer.killed >= 10, "the connections were hardly ever cut: the test proved nothing"
    # A request the database dropped answers 503 with Retry-After in the API's JSON, never a 500.
    assert cut, "no request was cut"
    assert {(r.status_code, r.headers.get("Retry-After"), r.headers["Content-Type"]) for r in cut} == {
        (503, "5", "application/json")
    }

    purchases = Purchase.objects.filter(placed_by=buyer)
    assert purchases.count() == N
    assert not purchases.annotate(n=Count("orders")).exclude(n=1).exists()
    for order in Order.objects.filter(purchase__in=purchases).prefetch_related("lines"):
        lines = list(order.lines.all())
        assert len(lines) == 1 and order.subtotal == sum((line.line_total for line in lines), Decimal("0"))
        assert order.total == order.subtotal - order.sample_credit
        assert order.status == "confirmed"
        kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True).order_by("pk"))
        assert kinds == ["placed", "confirmed"], (order.number, kinds)
    reserved = OrderLine.objects.filter(order__purchase__in=purchases, from_stock=True).aggregate(s=Sum("quantity"))
    listing.refresh_from_db()
    assert listing.spot_stock == 10_000 - (reserved["s"] or 0)
    confirmed_mails = OutboundMail.objects.filter(to__contains=[buyer.email], kind="order_confirmed")
    assert confirmed_mails.count() == len(numbers), "a confirmation mailed twice or not at all"


def test_a_page_whose_database_connection_is_cut_answers_503_with_retry_after(live_server):
    """The HTML side of the same rule: the friendly "back in a moment" page in the reader's
    language, status 503 and Retry-After, never Django's 500 page."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    killer = Killer(spare_pid=own_pid, interval=(0.002, 0.01))
    killer.start()
    try:
        for _attempt in range(300):
            response = requests.get(f"{live_server.url}/", headers={"Accept-Language": "zh-hans"}, timeout=10)
            if response.status_code >= 500:
                break
        else:
            pytest.fail("no request was cut")
    finally:
        killer.stop.set()
        killer.join(timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "text/html" in response.headers["Content-Type"] and "请稍后" in response.text
