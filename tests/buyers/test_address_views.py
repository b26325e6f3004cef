"""The company's addresses page: list, add, edit, delete, mark the default shipping and the billing
address; refusals keep what was typed; other companies, suppliers and anonymous visitors get nothing;
a fixed query count.

Cast: `buyer` buys for `company` (A); `other_buyer` for company B and must see and change nothing of A.
"""

import pytest
from django.urls import reverse

from buyers.models import CompanyAddress
from buyers.services.addresses import address_save
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADDRESSES = reverse("buyers:addresses")


def save(company, actor, **data):
    return address_save(
        company=company,
        actor=actor,
        data={"label": "Rotterdam warehouse", "address": "Maasvlakte 2\n3199 LZ Rotterdam", "country": "NL", **data},
    )


def test_the_page_lists_the_company_s_addresses_with_their_flags_and_the_add_form(buyer, company):
    """Each saved address shows its text and whether it is the default shipping or the billing address."""
    warehouse = save(company, buyer, recipient="Goods in", phone="+31 10 123 4567")
    save(company, buyer, label="Head office", address="Damrak 1\n1012 LG Amsterdam")
    page = client_for(buyer).get(ADDRESSES)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="address"') == 2
    assert "Goods in<br>Maasvlakte 2<br>3199 LZ Rotterdam<br>Netherlands<br>+31 10 123 4567" in html
    assert html.count('data-testid="address-default"') == 1 and html.count('data-testid="address-billing"') == 1
    assert page.context["addresses"][0] == warehouse  # the default first
    assert 'data-testid="address-form"' in html


def test_adding_an_address_saves_it_for_the_company_and_the_first_is_default_and_billing(buyer, company):
    response = client_for(buyer).post(
        ADDRESSES,
        {"label": "Rotterdam warehouse", "address": "Maasvlakte 2", "country": "NL", "recipient": "Goods in"},
    )
    assert response.status_code == 302 and response["Location"] == ADDRESSES
    address = CompanyAddress.objects.get()
    assert (address.company, address.label, address.recipient, address.country) == (
        company,
        "Rotterdam warehouse",
        "Goods in",
        "NL",
    )
    assert address.is_default and address.is_billing


def test_a_refused_address_comes_back_with_what_was_typed_and_the_reason_beside_the_field(buyer):
    typed = {"label": "Rotterdam warehouse", "address": "Maasvlakte 2", "country": "", "phone": "+31 10"}
    response = client_for(buyer).post(ADDRESSES, typed)
    html = response.content.decode()
    assert response.status_code == 200 and not CompanyAddress.objects.exists()
    assert "Rotterdam warehouse" in html and "Maasvlakte 2" in html and "+31 10" in html
    assert response.context["form"].errors["country"]
    response = client_for(buyer).post(ADDRESSES, {**typed, "country": "NL", "label": " "})
    assert "label" in response.context["form"].errors and not CompanyAddress.objects.exists()


def test_editing_changes_the_address_and_can_move_the_default(buyer, company):
    first = save(company, buyer)
    second = save(company, buyer, label="Head office", address="Damrak 1")
    url = reverse("buyers:address_edit", args=[second.pk])
    page = client_for(buyer).get(url)
    assert page.status_code == 200 and "Damrak 1" in page.content.decode()
    response = client_for(buyer).post(
        url, {"label": "Head office", "address": "Damrak 2", "country": "NL", "is_default": "on"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.address == "Damrak 2" and second.is_default and not first.is_default
    assert first.is_billing and not second.is_billing  # unticked billing stays where it was


def test_marking_the_default_shipping_and_the_billing_address(buyer, company):
    first = save(company, buyer)
    second = save(company, buyer, label="Head office", address="Damrak 1")
    client = client_for(buyer)
    mark = reverse("buyers:address_mark", args=[second.pk])
    assert client.post(mark, {"use": "billing"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, first.is_billing, second.is_default, second.is_billing) == (True, False, False, True)
    client.post(mark, {"use": "shipping"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_default and second.is_default
    response = client.post(mark, {"use": "nonsense"}, follow=True)
    assert "Choose whether to ship to this address or bill to it" in response.content.decode()


def test_deleting_an_address_removes_it_and_orders_keep_their_copy(buyer, company):
    address = save(company, buyer)
    response = client_for(buyer).post(reverse("buyers:address_delete", args=[address.pk]), follow=True)
    assert not CompanyAddress.objects.exists()
    assert "Orders placed to it keep their copy." in response.content.decode()
    assert client_for(buyer).get(reverse("buyers:address_delete", args=[address.pk])).status_code == 405


def test_another_company_a_supplier_and_anonymous_get_nothing_of_the_company_s_addresses(
    buyer, company, supplier_member, client
):
    """Another company's member gets 404 for the address by id (and its own empty list); a supplier
    gets 404; anonymous visitors are sent to sign in. Nothing changes."""
    address = save(company, buyer)
    other = client_for(f.BuyerMemberFactory().user)
    assert other.get(ADDRESSES).context["addresses"] == []
    urls = {
        reverse("buyers:address_edit", args=[address.pk]): {"label": "Mine", "address": "X", "country": "DE"},
        reverse("buyers:address_delete", args=[address.pk]): {},
        reverse("buyers:address_mark", args=[address.pk]): {"use": "shipping"},
    }
    for url, data in urls.items():
        assert other.get(url).status_code in (404, 405)
        assert other.post(url, data).status_code == 404
        assert client_for(supplier_member).post(url, data).status_code == 404
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(supplier_member).get(ADDRESSES).status_code == 404
    assert "/accounts/login/" in client.get(ADDRESSES)["Location"]
    address.refresh_from_db()
    assert (address.label, address.country, address.company) == ("Rotterdam warehouse", "NL", company)


def test_the_dashboard_and_the_account_menu_link_to_the_addresses(buyer, company):
    html = client_for(buyer).get(reverse("buyers:dashboard")).content.decode()
    assert 'data-testid="dashboard-addresses"' in html and 'data-testid="nav-addresses"' in html
    assert f'href="{ADDRESSES}"' in html


@pytest.mark.parametrize("n", [1, 8])
def test_the_addresses_page_query_count_does_not_grow_with_addresses(n, buyer, company, django_assert_num_queries):
    for i in range(n):
        save(company, buyer, label=f"Warehouse {i}")
    client = client_for(buyer)
    # session, user, company, addresses, + the navigation's unread count
    with django_assert_num_queries(5):
        assert client.get(ADDRESSES).status_code == 200
