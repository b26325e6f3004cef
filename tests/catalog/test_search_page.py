"""The public search page /search/: no sign-in, English and Chinese, facets as links with counts,
filters that keep what was typed, clear messages for bad values, next/previous cursor links, and
a fixed query budget however many listings there are."""

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from tests.catalog.factories import build_search_world, ids
from tests.conftest import client_for


@pytest.fixture
def search_world(db):
    return build_search_world()


URL = reverse("catalog:search")


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_search_page_is_public_and_shows_correction_cards_and_suppliers(client, search_world):
    response = client.get(URL, {"q": "lazer cuting"})
    html = html_of(response)
    assert 'data-testid="corrected"' in html
    assert "Showing results for <strong>laser cutting</strong>" in html
    assert ids(response.context["page"].listings)[0] == search_world["listings"]["fiber"].pk
    assert 'data-testid="listing-card"' in html
    # Titles answer "laser cutting", so the listings that only mention it elsewhere are left out.
    assert "1 listing for “lazer cuting”" in html
    assert "Secret" not in html and "Applicant" not in html


def test_search_page_shows_matching_suppliers_above_the_listings(client, search_world):
    html = html_of(client.get(URL, {"q": "guanggu"}))
    assert html.index('data-testid="matching-suppliers"') < html.index('data-testid="listing-card"')
    assert "Wuhan Guanggu Photonics Co., Ltd." in html


def test_search_page_in_chinese(client, search_world):
    with translation.override("zh-hans"):
        response = client.get(URL, {"q": "牛仔裤"}, headers={"accept-language": "zh-hans"})
    html = html_of(response)
    assert ids(response.context["page"].listings) == [search_world["listings"]["jeans"].pk]
    assert "男士修身牛仔裤" in html  # the card shows the Chinese title


def test_facets_are_links_with_counts_that_keep_the_other_filters(client, search_world):
    response = client.get(URL, {"q": "laser", "sample": "on"})
    groups = {g["name"]: g for g in response.context["facet_groups"]}
    belt = groups["belt"]["options"]
    assert [(o.label, o.count) for o in belt] == [("Wuhan laser belt", "1")]
    params = parse_qs(urlparse(belt[0].url).query)
    assert params == {"q": ["laser"], "sample": ["on"], "belt": ["wuhan-laser"]}
    levels = {o.label: o.count for o in groups["level"]["options"]}
    assert levels == {"Verified or better": "1"}
    categories = [(o.label, o.count, o.depth) for o in groups["category"]["options"]]
    assert categories == [("Laser equipment", "1", 0)]


def test_category_facet_shows_the_chosen_branch_with_its_children(client, search_world):
    response = client.get(URL, {"category": "laser-equipment"})
    options = [(o.label, o.count, o.active, o.depth) for o in response.context["facet_groups"][1]["options"]]
    assert options[0] == ("Laser equipment", "3", True, 0)
    assert ("Laser cutting machines", "2", False, 1) in options
    assert ("Apparel", "2", False, 0) in options  # other branches stay, counted without the category filter


def test_filter_by_belt_and_level_through_the_page(client, search_world):
    response = client.get(URL, {"belt": "shishi-textiles", "level": "audited_factory"})
    assert set(ids(response.context["page"].listings)) == {
        search_world["listings"]["jeans"].pk,
        search_world["listings"]["jacket"].pk,
    }
    html = html_of(response)
    assert 'aria-current="true"' in html
    assert '<input type="hidden" name="belt" value="shishi-textiles">' in html


def test_bad_values_are_explained_beside_their_field_and_kept(client, search_world):
    response = client.get(
        URL, {"q": "laser", "moq_max": "lots", "price_min": "50", "price_max": "10", "level": "gold", "quantity": "0"}
    )
    html = html_of(response)
    assert 'data-testid="filter-errors"' in html
    assert 'data-testid="error-moq_max"' in html and "Enter a whole number." in html
    assert "The highest price must not be below the lowest." in html
    assert 'data-testid="error-level"' in html
    assert 'data-testid="error-quantity"' in html
    assert 'value="lots"' in html and 'value="50"' in html and 'value="10"' in html  # nothing typed is lost
    # The search still runs, without the bad filters.
    assert len(response.context["page"].listings) == 3


def test_a_broken_page_link_starts_again_at_the_first_page(client, search_world):
    response = client.get(URL, {"q": "laser", "cursor": "not-ours"})
    html = html_of(response)
    assert "That page link is out of date" in html
    assert len(response.context["page"].listings) == 3


@pytest.fixture
def forty(search_world):
    supplier = search_world["suppliers"]["guanggu"]
    category = search_world["categories"]["cutters"]
    return [f.ListingFactory(supplier=supplier, category=category, title_en=f"Laser welder {n}") for n in range(40)]


def test_next_and_previous_links_walk_the_pages(client, forty):
    first = client.get(URL, {"q": "welder", "sort": "newest"})
    assert first.context["previous_url"] == ""
    seen = ids(first.context["page"].listings)
    second = client.get(URL + first.context["next_url"])
    seen += ids(second.context["page"].listings)
    assert len(seen) == len(set(seen)) == 40
    assert second.context["next_url"] == ""
    back = client.get(URL + second.context["previous_url"])
    assert ids(back.context["page"].listings) == ids(first.context["page"].listings)
    assert 'data-testid="next-page"' in html_of(first)


def test_search_page_query_budget_is_fixed_however_many_listings(
    client, search_world, forty, django_assert_max_num_queries
):
    # Anonymous page: page versions (marketplace.pagecache), belts, categories, synonyms, word
    # statistics, field tier, facets, page ids, listing cards, images, suppliers; a misspelt word
    # adds its spelling candidates and the check of which correction finds something; the day's
    # exchange rates for the approximate prices (catalog.prices).
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"q": "lazer welder", "belt": "wuhan-laser"})
    assert response.context["result"].text.corrected == "laser welder"
    assert len(response.context["page"].listings) == 24
    # Filters without words: page versions, belts, categories, facets, the bounded walk, then (the
    # walk held less than a page) every row the filters keep, in a savepoint with its planner
    # settings (four), listing cards, images, exchange rates.
    with django_assert_max_num_queries(12):
        client.get(URL, {"sort": "price", "sample": "on"})


def test_the_longest_search_strategy_stays_within_its_query_budget(
    client, forty, monkeypatch, django_assert_max_num_queries
):
    # The longest path: a misspelt common word sorted by price, whose peek and every band fall
    # short. Page versions, belts, categories, synonyms, word statistics, spelling candidates and
    # the check of the correction, facets; then in a savepoint with planner settings the peek, the
    # column's statistics, the bands (the first from the facets' sample), every match; cards,
    # images, suppliers, exchange rates. A fixed list of statements however many rows match
    # (docs/performance.md).
    from django.db import connection

    from catalog import search

    monkeypatch.setattr(search.pages, "RANK_LIMIT", 1)  # "welder" counts as common: the walk
    monkeypatch.setattr(search.pages, "WALK_PEEK", 1)
    monkeypatch.setattr(search.pages, "BAND_SHARES", (0.01, 0.02))  # two bands before every match
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_listing")  # the bands come from the column's statistics
    with django_assert_max_num_queries(23):
        response = client.get(URL, {"q": "weldr", "sort": "price"})
    assert response.context["result"].text.corrected == "welder"
    assert len(response.context["page"].listings) == 24


def test_search_page_for_signed_in_people_is_the_same(search_world, buyer, supplier_member):
    for user in (buyer, supplier_member):
        response = client_for(user).get(URL, {"q": "secret"})
        assert response.context["page"].listings == []


def test_price_at_quantity_through_the_page(client, search_world):
    response = client.get(URL, {"quantity": "1000", "price_max": "40"})
    assert ids(response.context["page"].listings) == [search_world["listings"]["jeans"].pk]
    assert response.context["form"].search_filters().price_max == Decimal("40")


def test_sorted_by_price_listings_in_another_currency_are_not_interleaved(client, search_world):
    """USD 150,000 is not below CNY 200,000: sorted by price, the page compares one currency (CNY
    unless chosen) and says so; choosing USD sorts those."""
    world = search_world["listings"]
    page = client.get(URL, {"sort": "price"})
    shown = ids(page.context["page"].listings)
    assert world["tube"].pk not in shown and shown
    assert 'data-testid="price-sort-note"' in html_of(page)
    in_dollars = client.get(URL, {"sort": "price", "currency": "USD"})
    assert ids(in_dollars.context["page"].listings) == [world["tube"].pk]
    assert 'data-testid="price-sort-note"' not in html_of(in_dollars)
    newest = client.get(URL)
    assert world["tube"].pk in ids(newest.context["page"].listings)
