"""Races through the real stack (threads, each with its own Client and database connection):
one idempotency key sent 50 times at once makes one purchase; 200 one-unit orders against 50 units
of spot stock make exactly 50 orders and no server error."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from catalog.models import Listing, ListingVariant
from orders.models import Order, OrderLine, Purchase
from orders.services.placing import order_stock_release

from .factories import PLACING_TERMS as TERMS
from .factories import listing_with, place

URL = "/api/v1/orders/"


def _run(worker, count: int, threads: int) -> list:
    def guarded(i):
        try:
            return worker(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(guarded, range(count)))


@pytest.mark.django_db(transaction=True)
def test_fifty_identical_submissions_with_one_key_make_one_purchase(buyer, supplier, category):
    listing = listing_with(supplier, category)
    body = {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 10}], **TERMS}
    clients = []
    for _ in range(50):
        client = Client()
        client.force_login(buyer)
        clients.append(client)
    start = threading.Barrier(50, timeout=30)

    def submit(i):
        start.wait()
        response = clients[i].post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same-key")
        return response.status_code, response.json().get("id")

    results = _run(submit, 50, 50)
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(200) == 49, codes
    assert len({pk for _, pk in results}) == 1
    assert Purchase.objects.count() == 1 and Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_hundred_orders_for_fifty_units_make_fifty_orders(buyer, supplier, category):
    listing = listing_with(supplier, category, moq=1, tiers=((1, "8.00"),), spot_stock=50)
    body = {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 1, "from_stock": True}], **TERMS}
    workers = 25
    clients = []
    for _ in range(workers):
        client = Client()
        client.force_login(buyer)
        clients.append(client)

    def submit(i):
        client = clients[i % workers]
        response = client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        return response.status_code, response.json()

    results = _run(submit, 200, workers)
    codes = [code for code, _ in results]
    assert codes.count(201) == 50 and codes.count(409) == 150, sorted(set(codes))
    refused = [data for code, data in results if code == 409]
    assert all("only 0 left in stock" in data["detail"] for data in refused)
    assert Listing.objects.get(pk=listing.pk).spot_stock == 0
    assert Order.objects.count() == 50 and Purchase.objects.count() == 50


# --- stock rules without threads -------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_is_reserved_and_a_shortage_keeps_nothing(buyer, supplier, category):
    listing = listing_with(supplier, category, moq=1, tiers=((1, "8.00"),), variants=[{"size": "S"}, {"size": "M"}])
    small, medium = listing.variants.all()
    ListingVariant.objects.filter(pk=small.pk).update(spot_stock=5)
    ListingVariant.objects.filter(pk=medium.pk).update(spot_stock=2)
    place(buyer, [(listing, small, 3, True)])
    assert ListingVariant.objects.get(pk=small.pk).spot_stock == 2
    with pytest.raises(Exception, match="only 2 left in stock"):
        place(buyer, [(listing, medium, 2, True), (listing, small, 3, True)])
    assert [v.spot_stock for v in ListingVariant.objects.filter(listing=listing)] == [2, 2]
    assert Purchase.objects.count() == 1


@pytest.mark.django_db
def test_made_to_order_items_cannot_be_taken_from_stock_and_orders_without_stock_leave_it(buyer, supplier, category):
    listing = listing_with(supplier, category, moq=1, tiers=((1, "8.00"),))
    with pytest.raises(Exception, match="made to order only"):
        place(buyer, [(listing, None, 1, True)])
    Listing.objects.filter(pk=listing.pk).update(spot_stock=4)
    place(buyer, [(listing, None, 10)])  # made to order: the stock is not touched
    assert Listing.objects.get(pk=listing.pk).spot_stock == 4


@pytest.mark.django_db
def test_release_gives_the_stock_back(buyer, supplier, category):
    listing = listing_with(supplier, category, moq=1, tiers=((1, "8.00"),), spot_stock=10)
    purchase, _ = place(buyer, [(listing, None, 4, True)])
    order = purchase.orders.get()
    assert order.total == Decimal("32.00") and OrderLine.objects.get(order=order).from_stock
    order_stock_release(order=order)
    assert Listing.objects.get(pk=listing.pk).spot_stock == 10


@pytest.mark.django_db
def test_the_database_refuses_negative_stock(supplier, category):
    from django.db import IntegrityError, transaction

    listing = listing_with(supplier, category, spot_stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(spot_stock=-1)
