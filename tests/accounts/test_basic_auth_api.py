"""HTTP Basic sign-in over the API never fails with a server error, whatever a client sends, and
its refusals are JSON like every other API error."""

import base64

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_with_a_nul_character_are_refused_not_a_server_error():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/orders/", HTTP_AUTHORIZATION=_basic("a\x00b@example.test", "x"))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_an_empty_username_with_a_json_list_body_is_refused_not_a_server_error():
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/orders/", "[1, 2]", content_type="application/json", HTTP_AUTHORIZATION=_basic("", "x")
    )
    assert response.status_code in (400, 403)
    assert response.json()["detail"]


def test_a_locked_out_api_client_gets_a_json_429(settings):
    user = f.UserFactory(email="script@example.test")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.get("/api/v1/orders/", HTTP_AUTHORIZATION=_basic(user.email, "wrong"))
    locked = client.get("/api/v1/orders/", HTTP_AUTHORIZATION=_basic(user.email, "correct-horse-battery"))
    assert locked.status_code in (403, 429)
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["detail"]
