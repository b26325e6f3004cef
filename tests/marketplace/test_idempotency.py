"""The kernel's Idempotency-Key (marketplace.idempotency), shown on a create that takes an optional
key (a buyer's saved address): a retry answers the first answer and makes nothing more, another
body or operation with the key answers 422, a refused request leaves the key free, racing
retries make one row, old keys are purged, and the schema declares the header."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from buyers.models import CompanyAddress
from marketplace.idempotency.models import IdempotentRequest
from marketplace.idempotency.services import idempotent_request_purge
from marketplace.idempotency.tasks import idempotent_request_purge_task
from tests import factories as f

URL = "/api/v1/buyer/addresses/"
BODY = {"label": "Rotterdam", "address": "Maasvlakte 2, 3199 LZ Rotterdam", "country": "NL"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_same_key_and_body_answer_the_first_answer_and_create_once(buyer):
    client = api(buyer)
    first = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    again = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert CompanyAddress.objects.count() == 1
    row = IdempotentRequest.objects.get(key="addr-1")
    assert (row.user_id, row.status_code, row.response["id"]) == (buyer.pk, 201, first.json()["id"])


def test_same_key_with_another_body_answers_422_and_creates_nothing(buyer):
    client = api(buyer)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    other = client.post(URL, {**BODY, "label": "Hamburg"}, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    assert other.status_code == 422 and "already used" in other.json()["detail"]
    assert CompanyAddress.objects.count() == 1


def test_same_key_to_another_operation_answers_422(buyer, supplier):
    client = api(buyer)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k")
    saved = client.post(
        "/api/v1/saved-suppliers/", {"supplier": supplier.slug}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert saved.status_code == 422


def test_keys_are_per_user(buyer, outsider):
    api(buyer).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k")
    # The outsider is no buyer: its refusal (403) is its own, not the buyer's answer replayed.
    assert api(outsider).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 403


def test_a_refused_request_leaves_the_key_free_for_a_corrected_retry(buyer):
    client = api(buyer)
    bad = client.post(URL, {**BODY, "country": "NLD"}, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    assert bad.status_code == 400 and not IdempotentRequest.objects.exists()
    good = client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="addr-1")
    assert good.status_code == 201


def test_without_a_key_each_request_is_new_and_nothing_is_kept(buyer):
    client = api(buyer)
    assert client.post(URL, BODY, format="json").status_code == 201
    assert client.post(URL, BODY, format="json").status_code == 201
    assert CompanyAddress.objects.count() == 2 and not IdempotentRequest.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "x" * 101])
def test_a_blank_or_too_long_key_answers_400(buyer, key):
    response = api(buyer).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_twenty_racing_retries_with_one_key_create_once(buyer):
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(buyer)
        clients.append(client)
    start = threading.Barrier(20, timeout=30)

    def submit(i):
        try:
            start.wait()
            response = clients[i].post(URL, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="race")
            return response.status_code, response.json().get("id")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(submit, range(20)))
    assert {code for code, _ in results} == {201}, results
    assert len({pk for _, pk in results}) == 1
    assert CompanyAddress.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def test_purge_deletes_keys_older_than_thirty_days_only(buyer):
    client = api(buyer)
    client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="old")
    client.post(URL, {**BODY, "label": "B"}, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotentRequest.objects.filter(key="old").update(created_at=timezone.now() - timedelta(days=31))
    assert idempotent_request_purge_task() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    assert idempotent_request_purge() == 0


def test_schema_declares_the_header_on_creates(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, required in [
        ("/api/v1/buyer/addresses/", False),
        ("/api/v1/orders/", True),
        ("/api/v1/orders/{number}/protection/open/", True),
        ("/api/v1/me/lots/", True),
        ("/api/v1/operator/belts/{slug}/licences/", True),
    ]:
        params = schema["paths"][path]["post"]["parameters"]
        headers = [p for p in params if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        assert len(headers) == 1 and headers[0].get("required", False) is required, (path, headers)


def test_one_key_on_two_objects_is_two_operations(buyer):
    """The object in the URL is part of the operation: the key sent for one order's step is refused
    for another order's, never answered with the first order's answer."""
    from orders.models import Protection
    from tests.orders.factories import order_at

    supplier = f.SupplierFactory()
    first = order_at("placed", buyer=buyer, supplier=supplier)
    second = order_at("placed", buyer=buyer, supplier=supplier)
    client = api(buyer)
    opened = client.post(f"/api/v1/orders/{first.number}/protection/open/", HTTP_IDEMPOTENCY_KEY="p-1")
    assert opened.status_code == 201, opened.json()
    other = client.post(f"/api/v1/orders/{second.number}/protection/open/", HTTP_IDEMPOTENCY_KEY="p-1")
    assert other.status_code == 422
    assert not Protection.objects.filter(order=second).exists()
