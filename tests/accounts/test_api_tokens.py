"""API tokens: made, listed and revoked by their owner (page and API), shown once and stored as a
digest, accepted as `Bearer`/`Token`, refused when revoked, expired, of a deactivated account, or
read-only on an unsafe method; last use recorded at most once per interval."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import api_token_create, api_token_revoke
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TOKENS_API = "/api/v1/me/tokens/"


def _bearer(key: str, word: str = "Bearer") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"{word} {key}"}


# ---- made, shown once, stored hashed --------------------------------------------------------------


def test_a_token_made_over_the_api_is_shown_once_and_stored_only_as_its_digest(supplier_member):
    client = client_for(supplier_member)
    made = client.post(TOKENS_API, {"name": "ERP", "scope": "read"}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    key = body["key"]
    assert key.startswith("mkt_") and len(key) > 40
    assert body["prefix"] == key[:12] and body["scope"] == "read"

    row = ApiToken.objects.get(pk=body["id"])
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:  # the key itself is in no column of the row
        cursor.execute("SELECT * FROM accounts_apitoken WHERE id = %s", [row.pk])
        assert not any(key in str(value) for value in cursor.fetchone())

    listed = client.get(TOKENS_API).json()["results"]
    assert [t["id"] for t in listed] == [row.pk]
    assert "key" not in listed[0] and listed[0]["prefix"] == key[:12]


def test_the_tokens_page_shows_a_new_key_once_then_only_its_prefix(buyer):
    client = client_for(buyer)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Procurement", "scope": "read_write"})
    assert response.status_code == 302
    page = client.get(reverse("accounts:api_tokens"))
    token = ApiToken.objects.get(user=buyer)
    key = page.context["new_token"]["key"]
    assert hashlib.sha256(key.encode()).hexdigest() == token.digest
    assert key in page.content.decode()
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert key not in again and token.prefix in again


def test_an_expiry_in_the_past_is_refused_on_the_page(operator):
    client = client_for(operator)
    response = client.post(
        reverse("accounts:api_tokens"), {"name": "Stats", "scope": "read", "expires_on": "2020-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


# ---- authentication -------------------------------------------------------------------------------


def test_a_token_signs_in_as_its_user_with_bearer_or_token(buyer):
    key = api_token_create(user=buyer, name="ERP").key
    for word in ("Bearer", "Token", "bearer"):
        response = Client().get("/api/v1/orders/", **_bearer(key, word))
        assert response.status_code == 200, word


def test_no_token_a_wrong_token_and_a_malformed_header_are_refused(buyer):
    api_token_create(user=buyer, name="ERP")
    assert Client().get("/api/v1/orders/").status_code == 403
    assert Client().get("/api/v1/orders/", **_bearer("mkt_not-a-real-key")).status_code == 403
    assert Client().get("/api/v1/orders/", HTTP_AUTHORIZATION="Bearer").status_code == 403
    assert Client().get("/api/v1/orders/", HTTP_AUTHORIZATION="Bearer a b").status_code == 403


def test_a_revoked_token_is_refused_at_once(buyer):
    created = api_token_create(user=buyer, name="ERP")
    assert Client().get("/api/v1/orders/", **_bearer(created.key)).status_code == 200
    client_for(buyer).post(f"{TOKENS_API}{created.token.pk}/revoke/")
    refused = Client().get("/api/v1/orders/", **_bearer(created.key))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Invalid token."


def test_an_expired_token_is_refused(buyer):
    created = api_token_create(user=buyer, name="ERP", expires_at=timezone.now() + datetime.timedelta(hours=1))
    ApiToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/v1/orders/", **_bearer(created.key)).status_code == 403


def test_a_deactivated_users_token_is_refused(buyer):
    key = api_token_create(user=buyer, name="ERP").key
    User.objects.filter(pk=buyer.pk).update(is_active=False)
    assert Client().get("/api/v1/orders/", **_bearer(key)).status_code == 403


def test_a_read_only_token_reads_but_is_refused_on_post_with_nothing_written(buyer):
    key = api_token_create(user=buyer, name="Reports", scope=ApiToken.Scope.READ).key
    assert Client().get(TOKENS_API, **_bearer(key)).status_code == 200
    refused = Client().post(TOKENS_API, {"name": "more"}, content_type="application/json", **_bearer(key))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token is read-only."
    assert ApiToken.objects.filter(user=buyer).count() == 1
    rw_key = api_token_create(user=buyer, name="ERP").key
    made = Client().post(TOKENS_API, {"name": "more"}, content_type="application/json", **_bearer(rw_key))
    assert made.status_code == 201


def test_last_use_is_written_once_per_interval_not_on_every_request(buyer, settings):
    created = api_token_create(user=buyer, name="ERP")
    client = Client()
    client.get(TOKENS_API, **_bearer(created.key))
    first = ApiToken.objects.get(pk=created.token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(TOKENS_API, **_bearer(created.key))
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at == first
    # once the recorded use is older than the interval, the next request records it again
    old = timezone.now() - settings.API_TOKEN_LAST_USED_INTERVAL - datetime.timedelta(seconds=1)
    ApiToken.objects.filter(pk=created.token.pk).update(last_used_at=old)
    client.get(TOKENS_API, **_bearer(created.key))
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at > old


# ---- one's own tokens only --------------------------------------------------------------------------


def test_nobody_sees_or_revokes_another_persons_token(buyer, supplier_member):
    theirs = api_token_create(user=supplier_member, name="Supplier ERP")
    client = client_for(buyer)
    assert client.get(TOKENS_API).json()["results"] == []
    assert client.post(f"{TOKENS_API}{theirs.token.pk}/revoke/").status_code == 404
    assert client.post(reverse("accounts:api_token_revoke", args=[theirs.token.pk])).status_code == 404
    assert "Supplier ERP" not in client.get(reverse("accounts:api_tokens")).content.decode()
    assert ApiToken.objects.get(pk=theirs.token.pk).revoked_at is None


def test_the_tokens_page_and_api_need_a_signed_in_person():
    assert Client().get(reverse("accounts:api_tokens")).status_code == 302
    assert Client().get(TOKENS_API).status_code == 403


def test_revoking_twice_keeps_the_first_revocation_time(buyer):
    token = api_token_create(user=buyer, name="ERP").token
    first = api_token_revoke(token=token, user=buyer).revoked_at
    assert api_token_revoke(token=token, user=buyer).revoked_at == first


# ---- query budgets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 15])
def test_the_token_list_page_and_api_have_a_fixed_query_budget(buyer, count, django_assert_max_num_queries):
    for n in range(count):
        api_token_create(user=buyer, name=f"Token {n}")
    client = client_for(buyer)
    with django_assert_max_num_queries(6):  # session, user, tokens; the page's header (cart count, …)
        assert client.get(reverse("accounts:api_tokens")).status_code == 200
    key = api_token_create(user=buyer, name="Reader").key
    Client().get(TOKENS_API, **_bearer(key))  # records last use: the counted request writes nothing
    with django_assert_max_num_queries(2):  # the token with its user; the page of tokens
        assert Client().get(TOKENS_API, **_bearer(key)).status_code == 200


def test_the_schema_declares_token_authentication():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    operation = schema["paths"]["/api/v1/orders/"]["get"]
    assert {"tokenAuth": []} in operation["security"]


def test_operators_and_suppliers_make_tokens_too(operator, supplier_member):
    for user in (operator, supplier_member):
        response = client_for(user).post(TOKENS_API, {"name": "Script"}, content_type="application/json")
        assert response.status_code == 201


def test_staff_revoke_a_token_from_the_admin_which_never_shows_its_digest(staff, buyer):
    created = api_token_create(user=buyer, name="Leaked ERP key")
    client = client_for(staff)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[created.token.pk])).content.decode()
    assert created.token.prefix in page and created.token.digest not in page
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [created.token.pk]},
    )
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is not None
    assert Client().get("/api/v1/orders/", **_bearer(created.key)).status_code == 403
