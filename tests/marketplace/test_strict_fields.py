"""The API reads what its schema says and nothing looser: a JSON number where the schema says
text, or a flag other than true/false, is refused with 400 naming the field."""

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from tests import factories as f
from tests.orders.factories import PLACING_TERMS

pytestmark = pytest.mark.django_db


def test_a_number_where_the_schema_says_text_is_refused(buyer):
    client = APIClient()
    client.force_authenticate(buyer)
    listing = f.ListingFactory()
    data = {"kind": "bulk", "lines": [{"listing": listing.pk, "quantity": 12}], **PLACING_TERMS, "incoterm_place": 12}
    response = client.post("/api/v1/orders/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 400
    assert set(response.json()) == {"incoterm_place"}
    assert not Order.objects.exists()


def test_a_search_flag_other_than_true_or_false_is_refused(client):
    assert client.get("/api/v1/listings/", {"sample": "true", "origin": "false"}).status_code == 200
    refused = client.get("/api/v1/listings/", {"sample": "yes", "origin": "1"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"sample", "origin"}


def test_the_search_page_still_takes_its_checkbox(client):
    assert client.get("/search/", {"sample": "on"}).status_code == 200
