"""Webhook endpoints over the API and on the dashboards' page: made with the secret shown once,
listed, changed, paused, deleted, their delivery log read and an event redelivered, by members of
the owning company only (another company's endpoint answers 404 by URL and by API; people who act
for no company get 403 / 404); lists within a fixed query budget."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import api_token_create
from orders.models import WebhookDelivery, WebhookEndpoint
from orders.services.transitions import order_confirm
from orders.services.webhooks import webhook_endpoint_create
from tests.conftest import client_for
from tests.orders.factories import order_at

pytestmark = pytest.mark.django_db

API = "/api/v1/webhooks/"
URL = "http://127.0.0.1:9/hook"


def _made(supplier, member, **fields):
    values = {"url": URL, "events": ["order.placed", "order.confirmed"], **fields}
    return webhook_endpoint_create(actor=member, supplier=supplier, **values)[0]


def test_a_supplier_registers_an_endpoint_over_the_api_with_its_secret_shown_once(supplier, supplier_member):
    client = client_for(supplier_member)
    made = client.post(
        API, {"url": URL, "events": ["order.placed"], "description": "ERP"}, content_type="application/json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["secret"].startswith("whsec_") and body["secret_prefix"] == body["secret"][:12]
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.supplier_id == supplier.pk and endpoint.buyer_id is None
    listed = client.get(API).json()["results"]
    assert [e["id"] for e in listed] == [endpoint.pk] and "secret" not in listed[0]
    assert "secret" not in client.get(f"{API}{endpoint.pk}/").json()


def test_a_buyer_registers_for_its_company_with_a_token(buyer):
    key = api_token_create(user=buyer, name="ERP").key
    made = Client().post(
        API,
        {"url": URL, "events": ["rfq.quoted"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert made.status_code == 201
    assert WebhookEndpoint.objects.get().buyer_id == buyer.buyer_membership.company_id


def test_bad_input_is_refused_by_field(supplier_member, settings):
    client = client_for(supplier_member)
    unknown = client.post(API, {"url": URL, "events": ["order.teleported"]}, content_type="application/json")
    assert unknown.status_code == 400 and "events" in unknown.json()
    none = client.post(API, {"url": URL, "events": []}, content_type="application/json")
    assert none.status_code == 400 and "events" in none.json()
    settings.WEBHOOK_ALLOW_NETWORKS = []
    private = client.post(
        API, {"url": "http://10.0.0.8/hook", "events": ["order.placed"]}, content_type="application/json"
    )
    assert private.status_code == 400 and "url" in private.json()
    assert not WebhookEndpoint.objects.exists()


def test_change_pause_and_delete_over_the_api(supplier, supplier_member):
    endpoint = _made(supplier, supplier_member)
    client = client_for(supplier_member)
    changed = client.patch(
        f"{API}{endpoint.pk}/", {"is_active": False, "events": ["order.shipped"]}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False and changed.json()["events"] == ["order.shipped"]
    assert client.delete(f"{API}{endpoint.pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_and_a_redelivery_over_the_api(supplier, supplier_member, buyer):
    endpoint = _made(supplier, supplier_member)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    client = client_for(supplier_member)
    log = client.get(f"{API}{endpoint.pk}/deliveries/").json()["results"]
    assert [(d["event_type"], d["status"], d["attempts"]) for d in log] == [("order.confirmed", "pending", 0)]
    again = client.post(f"{API}{endpoint.pk}/deliveries/{log[0]['id']}/redeliver/")
    assert again.status_code == 201 and again.json()["redelivery_of"] == log[0]["id"]
    assert again.json()["event_id"] == log[0]["event_id"]


# ---- the wrong people -----------------------------------------------------------------------------------


def test_another_company_cannot_see_or_manage_an_endpoint_by_api_or_url(supplier, supplier_member, other_member, buyer):
    endpoint = _made(supplier, supplier_member)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    for intruder in (other_member, buyer):
        client = client_for(intruder)
        assert client.get(API).json()["results"] == []
        assert client.get(f"{API}{endpoint.pk}/").status_code == 404
        assert (
            client.patch(f"{API}{endpoint.pk}/", {"is_active": False}, content_type="application/json").status_code
            == 404
        )
        assert client.delete(f"{API}{endpoint.pk}/").status_code == 404
        assert client.get(f"{API}{endpoint.pk}/deliveries/").status_code == 404
        assert client.post(f"{API}{endpoint.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404
        assert client.get(reverse("orders:webhook_detail", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("orders:webhook_toggle", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("orders:webhook_delete", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("orders:webhook_redeliver", args=[endpoint.pk, delivery.pk])).status_code == 404
        assert URL not in client.get(reverse("orders:webhook_list")).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1


def test_people_of_no_company_have_no_webhooks(operator, outsider):
    for person in (operator, outsider):
        client = client_for(person)
        assert client.get(API).status_code == 403
        assert (
            client.post(API, {"url": URL, "events": ["order.placed"]}, content_type="application/json").status_code
            == 403
        )
        assert client.get(reverse("orders:webhook_list")).status_code == 404
    assert Client().get(API).status_code == 403
    assert Client().get(reverse("orders:webhook_list")).status_code == 302


# ---- the page ----------------------------------------------------------------------------------------------


def test_the_page_registers_an_endpoint_and_shows_its_secret_once(supplier, supplier_member):
    client = client_for(supplier_member)
    response = client.post(
        reverse("orders:webhook_list"),
        {"url": URL, "description": "ERP", "events": ["order.placed", "order.shipped"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("orders:webhook_detail", args=[endpoint.pk])
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get(response["Location"]).content.decode()


def test_the_page_pauses_and_deletes(supplier, supplier_member):
    endpoint = _made(supplier, supplier_member)
    client = client_for(supplier_member)
    client.post(reverse("orders:webhook_toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(reverse("orders:webhook_delete", args=[endpoint.pk]))
    assert not WebhookEndpoint.objects.exists()


def test_the_page_refuses_a_private_target_with_a_message(supplier_member, settings):
    settings.WEBHOOK_ALLOW_NETWORKS = []
    response = client_for(supplier_member).post(
        reverse("orders:webhook_list"), {"url": "http://127.0.0.1/hook", "events": ["order.placed"]}
    )
    assert response.status_code == 200 and response.context["form"].errors["url"]


def test_both_dashboards_link_to_tokens_and_webhooks(supplier, supplier_member, buyer, operator):
    from suppliers.models import Supplier

    Supplier.objects.filter(pk=supplier.pk).update(status="certified")
    for user, page in ((supplier_member, "suppliers:dashboard"), (buyer, "buyers:dashboard")):
        html = client_for(user).get(reverse(page)).content.decode()
        assert reverse("orders:webhook_list") in html and reverse("accounts:api_tokens") in html
    html = client_for(operator).get(reverse("suppliers:operator_dashboard")).content.decode()
    assert reverse("accounts:api_tokens") in html


# ---- query budgets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_lists_have_a_fixed_query_budget(supplier, supplier_member, buyer, count, django_assert_max_num_queries):
    endpoints = [_made(supplier, supplier_member, url=f"http://127.0.0.1:{9000 + n}/") for n in range(count)]
    for _ in range(count):
        order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    client = client_for(supplier_member)
    first = endpoints[0]
    with django_assert_max_num_queries(8):
        assert client.get(reverse("orders:webhook_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("orders:webhook_detail", args=[first.pk])).status_code == 200
    key = api_token_create(user=supplier_member, name="ERP").key
    token = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    token.get(API)  # records the token's last use: the counted requests write nothing
    with django_assert_max_num_queries(3):  # token and user, the supplier, the page of endpoints
        assert token.get(API).status_code == 200
    with django_assert_max_num_queries(4):  # token and user, the supplier, the endpoint, the page of the log
        response = token.get(f"{API}{first.pk}/deliveries/")
    assert len(response.json()["results"]) == count


def test_staff_see_endpoints_and_deliveries_in_the_admin_without_the_secret(staff, supplier, supplier_member, buyer):
    endpoint = _made(supplier, supplier_member)
    order_confirm(order=order_at("placed", buyer=buyer, supplier=supplier), actor=supplier_member)
    client = client_for(staff)
    page = client.get(reverse("admin:orders_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.url in page and endpoint.secret_prefix in page and endpoint.secret not in page
    log = client.get(reverse("admin:orders_webhookdelivery_changelist")).content.decode()
    assert "order.confirmed" in log
