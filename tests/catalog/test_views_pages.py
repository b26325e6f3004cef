"""The public catalog pages: home, belt, listing, search. Real data, fixed query budgets."""

import pytest
from django.urls import reverse

from catalog.models import Listing
from tests import factories as f
from tests.conftest import client_for


@pytest.fixture
def world(belt, supplier, category):
    """One belt with a certified supplier (3 listings), an applicant and a draft."""
    listings = [f.ListingFactory(supplier=supplier, category=category) for _ in range(3)]
    applicant = f.ApplicantSupplierFactory(belt=belt, name_en="Applicant Trading Ltd.")
    f.ListingFactory(supplier=applicant, category=category, title_en="Applicant product")
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT, title_en="Secret draft")
    return {"listings": listings, "applicant": applicant, "draft": draft}


def test_home_shows_belts_with_counts_of_certified_suppliers_and_public_listings(client, world, belt):
    response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    belts = response.context["belts"]
    assert [b.slug for b in belts] == ["wuhan-laser"]
    # Only the certified supplier and its 3 published listings count; applicant and draft don't.
    assert belts[0].certified_supplier_count == 1
    assert belts[0].listing_count == 3
    assert "Wuhan laser belt" in response.content.decode()


def test_home_query_count_does_not_grow_with_belts(client, world, django_assert_max_num_queries):
    for _ in range(5):
        extra = f.BeltFactory()
        f.ListingFactory(supplier=f.SupplierFactory(belt=extra))
    with django_assert_max_num_queries(4):
        client.get(reverse("catalog:home"))


def test_belt_page_lists_certified_suppliers_and_public_listings_only(client, world, belt, supplier):
    response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert supplier.name_en in html
    assert "Applicant Trading Ltd." not in html
    assert "Applicant product" not in html
    assert "Secret draft" not in html
    assert {x.pk for x in response.context["page"]} == {x.pk for x in world["listings"]}


def test_belt_page_query_budget_is_fixed_however_many_listings(
    client, world, belt, supplier, category, django_assert_max_num_queries
):
    for _ in range(20):
        f.ListingFactory(supplier=supplier, category=category)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    assert len(response.context["page"]) == 23


def test_unknown_belt_answers_404(client, db):
    assert client.get(reverse("catalog:belt_detail", args=["nowhere"])).status_code == 404


def test_listing_page_shows_tiers_moq_badge_and_tier_for_typed_quantity(client, world):
    listing = world["listings"][0]
    response = client.get(reverse("catalog:listing_detail", args=[listing.pk]), {"quantity": 150})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["tier"].min_quantity == 100
    assert "90.00" in html and "100.00" in html
    assert 'data-testid="certification-badge"' in html
    assert 'data-testid="moq"' in html


def test_listing_page_query_budget(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("catalog:listing_detail", args=[world["listings"][0].pk]))


def test_draft_listing_is_404_for_anonymous_buyer_and_other_supplier(client, world, other_member, buyer):
    url = reverse("catalog:listing_detail", args=[world["draft"].pk])
    assert client.get(url).status_code == 404
    assert client_for(buyer).get(url).status_code == 404
    assert client_for(other_member).get(url).status_code == 404


def test_owner_can_preview_its_draft(world, supplier_member):
    response = client_for(supplier_member).get(reverse("catalog:listing_detail", args=[world["draft"].pk]))
    assert response.status_code == 200
    assert "Preview" in response.content.decode()


def test_listing_of_uncertified_supplier_is_404(client, world):
    listing = world["applicant"].listings.get()
    assert client.get(reverse("catalog:listing_detail", args=[listing.pk])).status_code == 404


def test_search_finds_english_and_chinese_words_but_not_drafts(client, world):
    english = client.get(reverse("catalog:search"), {"q": "fiber laser"})
    assert english.context["page"].paginator.count == 3
    chinese = client.get(reverse("catalog:search"), {"q": "激光切割"})
    assert chinese.context["page"].paginator.count == 3
    assert client.get(reverse("catalog:search"), {"q": "Secret"}).context["page"].paginator.count == 0


def test_supplier_profile_is_public_for_certified_and_404_for_applicant(client, world, supplier):
    response = client.get(reverse("suppliers:detail", args=[supplier.slug]))
    assert response.status_code == 200
    assert supplier.get_certification_level_display() in response.content.decode()
    assert client.get(reverse("suppliers:detail", args=[world["applicant"].slug])).status_code == 404


def test_typed_quantity_over_htmx_answers_with_only_the_price_fragment(client, world):
    listing = world["listings"][0]
    url = reverse("catalog:listing_detail", args=[listing.pk])
    fragment = client.get(url, {"quantity": 250}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "90.00" in body and "<html" not in body
    assert "HX-Request" in fragment["Vary"]
    below = client.get(url, {"quantity": 3}, headers={"HX-Request": "true"}).content.decode()
    assert "minimum order" in below
