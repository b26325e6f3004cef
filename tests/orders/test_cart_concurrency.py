"""Races on one cart through the real stack (threads, each with its own Client and database
connection): twenty adds of one listing at once, each with its own quantity, leave one line
holding one of those quantities (adding replaces; no duplicate line, no server error)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from orders.models import CartLine

from .factories import listing_with

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_adds_at_once_leave_one_line_with_one_of_their_quantities(buyer, supplier, category):
    listing = listing_with(supplier, category, moq=10, variants=[{"colour": "Navy"}, {"colour": "Black"}])
    navy, black = listing.variants.all()
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(buyer)
        clients.append(client)
    start = threading.Barrier(THREADS, timeout=30)
    url = reverse("orders:cart_add", args=[listing.pk])

    def add(i):
        try:
            start.wait()
            data = {"kind": "bulk", f"q-{navy.pk}": str(10 + i), f"q-{black.pk}": str(i)}
            return clients[i].post(url, data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = list(pool.map(add, range(THREADS)))
    assert codes == [302] * THREADS
    lines = {line.variant_id: line.quantity for line in CartLine.objects.filter(user=buyer)}
    # One add's quantities, whole: the last to take the cart's lock set both lines.
    winner = lines[navy.pk] - 10
    assert 0 <= winner < THREADS and lines == ({navy.pk: 10 + winner, black.pk: winner} if winner else {navy.pk: 10})
    assert CartLine.objects.filter(user=buyer).count() == len(lines)
