"""/api/v1/buyer/addresses/: a buyer lists, adds, reads, changes and deletes its company's addresses
through the same services as the page; another company's address answers 404 on every method,
suppliers 403, anonymous clients 403; errors in DRF's shape; a fixed query count; in the schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from buyers.models import CompanyAddress
from buyers.services.addresses import ADDRESSES_MAX, address_save
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("api:buyer-address-list")
WAREHOUSE = {"label": "Rotterdam warehouse", "address": "Maasvlakte 2\n3199 LZ Rotterdam", "country": "NL"}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(address) -> str:
    return reverse("api:buyer-address-detail", args=[address.pk])


def save(company, actor, **data):
    return address_save(company=company, actor=actor, data={**WAREHOUSE, **data})


def test_a_buyer_adds_an_address_and_the_first_is_default_and_billing(buyer, company):
    response = api(buyer).post(LIST, {**WAREHOUSE, "recipient": "Goods in", "phone": "+31 10 123"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["label"], data["country"], data["country_name"], data["is_default"], data["is_billing"]) == (
        "Rotterdam warehouse",
        "NL",
        "Netherlands",
        True,
        True,
    )
    assert data["as_text"] == "Goods in\nMaasvlakte 2\n3199 LZ Rotterdam\nNetherlands\n+31 10 123"
    assert CompanyAddress.objects.get(pk=data["id"]).company == company


def test_list_puts_the_default_first_and_shows_only_the_company_s_addresses(buyer, company, other_buyer):
    save(company, buyer)
    office = save(company, buyer, label="Head office", address="Damrak 1", is_default=True)
    save(other_buyer.buyer_membership.company, other_buyer, label="Elsewhere")
    results = api(buyer).get(LIST).json()["results"]
    assert [r["label"] for r in results] == ["Head office", "Rotterdam warehouse"]
    assert results[0]["id"] == office.pk and results[0]["is_default"] and not results[1]["is_default"]
    assert [r["label"] for r in api(other_buyer).get(LIST).json()["results"]] == ["Elsewhere"]


def test_patch_changes_what_is_sent_and_put_replaces_the_whole_address(buyer, company):
    first = save(company, buyer, recipient="Goods in")
    second = save(company, buyer, label="Head office", address="Damrak 1")
    client = api(buyer)
    response = client.patch(detail(second), {"is_billing": True, "phone": "+31 20"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == "Damrak 1" and response.json()["is_billing"]
    first.refresh_from_db()
    assert not first.is_billing and first.is_default  # one billing address per company
    response = client.put(
        detail(first), {"label": "Maasvlakte", "address": "Europaweg 1", "country": "nl"}, format="json"
    )
    assert response.status_code == 200, response.json()
    first.refresh_from_db()
    assert (first.label, first.address, first.country, first.recipient, first.is_default) == (
        "Maasvlakte",
        "Europaweg 1",
        "NL",
        "",
        False,
    )
    assert client.get(detail(first)).json()["label"] == "Maasvlakte"


def test_delete_removes_the_address(buyer, company):
    address = save(company, buyer)
    assert api(buyer).delete(detail(address)).status_code == 204
    assert not CompanyAddress.objects.exists()
    assert api(buyer).delete(detail(address)).status_code == 404


def test_bad_input_answers_400_by_field_in_drfs_shape_and_saves_nothing(buyer, company):
    client = api(buyer)
    response = client.post(LIST, {**WAREHOUSE, "country": "XX"}, format="json")
    assert response.status_code == 400 and response.json() == {"country": ["Choose a country from the list."]}
    response = client.post(LIST, {**WAREHOUSE, "label": 12}, format="json")
    assert response.status_code == 400 and "label" in response.json()
    response = client.post(LIST, {"label": "No address"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"address", "country"}
    assert not CompanyAddress.objects.exists()
    address = save(company, buyer)
    response = client.patch(detail(address), {"label": "   "}, format="json")
    assert response.status_code == 400 and "label" in response.json()


def test_a_company_keeps_at_most_the_limit_of_addresses(buyer, company):
    for n in range(ADDRESSES_MAX):
        save(company, buyer, label=f"Warehouse {n}")
    response = api(buyer).post(LIST, WAREHOUSE, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": [f"A company may keep at most {ADDRESSES_MAX} addresses."]}


def test_another_company_s_address_answers_404_on_every_method_and_changes_nothing(buyer, company, other_buyer):
    address = save(company, buyer)
    client = api(other_buyer)
    assert client.get(detail(address)).status_code == 404
    assert client.patch(detail(address), {"label": "Mine"}, format="json").status_code == 404
    assert client.put(detail(address), {**WAREHOUSE, "label": "Mine"}, format="json").status_code == 404
    assert client.delete(detail(address)).status_code == 404
    address.refresh_from_db()
    assert address.label == "Rotterdam warehouse" and address.company == company


def test_suppliers_and_anonymous_clients_are_refused(buyer, company, supplier_member):
    address = save(company, buyer)
    for client in (api(supplier_member), api()):
        assert client.get(LIST).status_code == 403
        assert client.post(LIST, WAREHOUSE, format="json").status_code == 403
        assert client.get(detail(address)).status_code == 403
        assert client.delete(detail(address)).status_code == 403
    assert api(supplier_member).get(LIST).json() == {"detail": "Only buyers can do this."}
    assert CompanyAddress.objects.count() == 1


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_query_count_does_not_grow(n, buyer, company, django_assert_num_queries):
    for i in range(n):
        save(company, buyer, label=f"Warehouse {i}")
    with django_assert_num_queries(3):  # company, count, page
        assert len(api(buyer).get(LIST).json()["results"]) == n


def test_the_schema_documents_every_operation_of_the_addresses(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    ops = {op["operationId"] for path in schema["paths"].values() for op in path.values() if "operationId" in op}
    assert {
        "buyer_addresses_list", "buyer_addresses_create", "buyer_addresses_retrieve", "buyer_addresses_update",
        "buyer_addresses_partial_update", "buyer_addresses_destroy",
    } <= ops  # fmt: skip
    address = schema["components"]["schemas"]["CompanyAddress"]["properties"]
    assert {"label", "recipient", "address", "country", "phone", "is_default", "is_billing", "as_text"} <= set(address)


def test_colleagues_see_and_change_the_same_company_s_addresses(buyer, company):
    """Two colleagues see and change the same company's addresses."""
    colleague = f.BuyerMemberFactory(company=company).user
    created = api(buyer).post(LIST, WAREHOUSE, format="json").json()
    assert api(colleague).patch(detail(CompanyAddress.objects.get(pk=created["id"])), {"phone": "1"}).status_code == 200
