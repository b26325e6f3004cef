"""buyer_required / supplier_required: one pair of decorators in accounts, asking the lookups that
buyers and suppliers register (accounts never imports them); the wrong side gets 404 (or 403)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts import decorators
from accounts.decorators import buyer_required, company_for, supplier_required
from buyers.selectors.inquiries import buyer_company_for_user
from suppliers.selectors import supplier_for_member
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@buyer_required
def buyer_page(request):
    return HttpResponse(f"buyer {request.buyer_company.pk}")


@buyer_required(forbidden="Buyers only")
def buyer_page_403(request):
    return HttpResponse("ok")


@supplier_required
def supplier_page(request):
    return HttpResponse(f"supplier {request.supplier.pk}")


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_buyers_and_suppliers_register_their_one_lookup_with_accounts():
    assert decorators._lookups == {"buyer": buyer_company_for_user, "supplier": supplier_for_member}


def test_a_side_nobody_registered_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(decorators, "_lookups", {})
    with pytest.raises(ImproperlyConfigured):
        company_for("buyer", AnonymousUser())


def test_buyer_required_hands_the_buyers_company_to_the_view(buyer):
    response = buyer_page(_request(buyer))
    assert response.content.decode() == f"buyer {buyer.buyer_membership.company.pk}"


def test_supplier_required_hands_the_supplier_to_the_view(supplier, supplier_member):
    assert supplier_page(_request(supplier_member)).content.decode() == f"supplier {supplier.pk}"


def test_anonymous_visitors_are_sent_to_sign_in(db):
    for view in (buyer_page, buyer_page_403, supplier_page):
        response = view(_request(AnonymousUser()))
        assert response.status_code == 302 and "/somewhere/" in response.url


@pytest.mark.parametrize("who", ["supplier_member", "operator", "outsider"])
def test_a_buyer_page_does_not_exist_for_anyone_but_a_buyer(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(Http404):
        buyer_page(_request(user))
    with pytest.raises(PermissionDenied, match="Buyers only"):
        buyer_page_403(_request(user))


@pytest.mark.parametrize("who", ["buyer", "operator", "outsider"])
def test_a_supplier_page_does_not_exist_for_anyone_but_a_supplier(request, who):
    with pytest.raises(Http404):
        supplier_page(_request(request.getfixturevalue(who)))


# --- the real pages: the wrong side ---------------------------------------------------------------


def test_a_buyer_on_supplier_pages_gets_404(buyer):
    client = client_for(buyer)
    for name in ("orders:rfq_opportunities", "orders:supplier_order_list", "catalog:manage_list", "buyers:inbox"):
        assert client.get(reverse(name)).status_code == 404, name


def test_a_supplier_on_buyer_pages_gets_404_and_403_on_the_cart(supplier_member):
    client = client_for(supplier_member)
    assert client.get(reverse("orders:rfq_list")).status_code == 404
    assert client.get(reverse("orders:rfq_new")).status_code == 404
    assert client.get(reverse("orders:cart")).status_code == 403


# --- the one lookup per side -----------------------------------------------------------------------


def test_the_lookups_answer_only_for_their_own_side(buyer, supplier, supplier_member, operator, outsider):
    assert buyer_company_for_user(user=buyer) == buyer.buyer_membership.company
    assert supplier_for_member(user=supplier_member) == supplier
    for user in (supplier_member, operator, outsider, AnonymousUser()):
        assert buyer_company_for_user(user=user) is None
    for user in (buyer, operator, outsider, AnonymousUser()):
        assert supplier_for_member(user=user) is None


def test_the_supplier_lookup_is_one_query_with_what_pages_show(supplier_member, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = supplier_for_member(user=supplier_member)
        found.belt  # noqa: B018  (joined, no second query)
        found.current_certification  # noqa: B018
