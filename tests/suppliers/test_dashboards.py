"""The supplier dashboard and the belt-operator dashboard: each shows its own people's data only.

Alice (`supplier_member`) sees her supplier's listings, drafts included; Bob (`other_member`)
sees his; a buyer or an outsider gets 404 at both dashboards.
"""

import pytest
from django.urls import reverse

from catalog.models import Listing
from tests import factories as f
from tests.conftest import client_for

SUPPLIER_DASHBOARD = "/dashboard/supplier/"
OPERATOR_DASHBOARD = "/dashboard/belt/"


@pytest.fixture
def listings(supplier, other_supplier, category):
    return {
        "published": f.ListingFactory(supplier=supplier, category=category, title_en="Our published cutter"),
        "draft": f.ListingFactory(
            supplier=supplier, category=category, status=Listing.Status.DRAFT, title_en="Our secret draft"
        ),
        "archived": f.ListingFactory(
            supplier=supplier, category=category, status=Listing.Status.ARCHIVED, title_en="Our old model"
        ),
        "theirs": f.ListingFactory(supplier=other_supplier, category=category, title_en="Rival welding robot"),
        "their_draft": f.ListingFactory(
            supplier=other_supplier, category=category, status=Listing.Status.DRAFT, title_en="Rival secret plan"
        ),
    }


def test_urls_are_the_dashboards():
    assert reverse("suppliers:dashboard") == SUPPLIER_DASHBOARD
    assert reverse("suppliers:operator_dashboard") == OPERATOR_DASHBOARD


# --- Supplier dashboard ---------------------------------------------------------------------------


def test_supplier_dashboard_shows_own_listings_including_drafts(supplier_member, supplier, listings):
    response = client_for(supplier_member).get(SUPPLIER_DASHBOARD)
    assert response.status_code == 200
    assert response.context["supplier"] == supplier
    shown = {x.pk for x in response.context["listings"]}
    assert shown == {listings["published"].pk, listings["draft"].pk, listings["archived"].pk}
    html = response.content.decode()
    assert "Our secret draft" in html
    assert "Our published cutter" in html
    assert supplier.name_en in html


def test_supplier_dashboard_never_shows_the_other_suppliers_listings(supplier_member, other_member, listings):
    html = client_for(supplier_member).get(SUPPLIER_DASHBOARD).content.decode()
    assert "Rival welding robot" not in html
    assert "Rival secret plan" not in html

    theirs = client_for(other_member).get(SUPPLIER_DASHBOARD)
    assert {x.pk for x in theirs.context["listings"]} == {listings["theirs"].pk, listings["their_draft"].pk}
    assert "Our secret draft" not in theirs.content.decode()


def test_supplier_dashboard_counts_tiers_and_pictures(supplier_member, listings):
    listings["draft"].images.create(image="listings/1/a.jpg", file_check="clean")
    response = client_for(supplier_member).get(SUPPLIER_DASHBOARD)
    row = next(x for x in response.context["listings"] if x.pk == listings["draft"].pk)
    assert (row.tier_count, row.image_count) == (2, 1)


def test_supplier_dashboard_of_a_supplier_without_listings_says_so(supplier_member):
    response = client_for(supplier_member).get(SUPPLIER_DASHBOARD)
    assert response.status_code == 200
    assert "No listings yet." in response.content.decode()


@pytest.mark.parametrize("who", ["buyer", "outsider", "operator"])
def test_supplier_dashboard_is_404_for_people_who_do_not_act_for_a_supplier(request, who, listings):
    response = client_for(request.getfixturevalue(who)).get(SUPPLIER_DASHBOARD)
    assert response.status_code == 404
    assert "Our secret draft" not in response.content.decode()


def test_supplier_dashboard_sends_anonymous_to_login(client, db):
    response = client.get(SUPPLIER_DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_supplier_dashboard_query_budget_is_fixed_however_many_listings(
    supplier_member, supplier, category, django_assert_max_num_queries
):
    client = client_for(supplier_member)
    for _ in range(3):
        f.ListingFactory(supplier=supplier, category=category).images.create(image="listings/1/a.jpg")
    # session, user, supplier (with belt), listings (with category and counts), navigation's unread count,
    # the trade summary of a certified supplier: orders waiting (one), new RFQ opportunities (one)
    with django_assert_max_num_queries(7):
        assert len(client.get(SUPPLIER_DASHBOARD).context["listings"]) == 3

    for _ in range(17):
        f.ListingFactory(supplier=supplier, category=f.CategoryFactory()).images.create(image="listings/1/b.jpg")
    with django_assert_max_num_queries(7):
        assert len(client.get(SUPPLIER_DASHBOARD).context["listings"]) == 20


# The belt-operator dashboard is covered by tests/suppliers/test_operator_dashboard.py.
