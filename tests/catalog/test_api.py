"""The public read API (/api/v1/): belts, listings, supplier profiles, and its OpenAPI docs.

Public means: no sign-in needed, but only what a buyer may see (published listings of certified
suppliers). Drafts answer 404 to everyone but their own supplier; query arguments that are not
declared filters are ignored.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Listing, ListingImage
from suppliers.models import Supplier
from tests import factories as f
from tests.catalog.factories import build_search_world
from tests.conftest import client_for


@pytest.fixture
def search_world(db):
    return build_search_world()


LISTINGS = "/api/v1/listings/"


@pytest.fixture
def world(belt, supplier, category):
    """One belt: a certified supplier (3 listings), an applicant with a listing, and a draft."""
    listings = [f.ListingFactory(supplier=supplier, category=category) for _ in range(3)]
    applicant = f.ApplicantSupplierFactory(belt=belt, name_en="Applicant Trading Ltd.")
    applicant_listing = f.ListingFactory(supplier=applicant, category=category, title_en="Applicant product")
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT, title_en="Secret draft")
    return {"listings": listings, "applicant": applicant, "applicant_listing": applicant_listing, "draft": draft}


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def _all_ids(client, url: str, params: dict | None = None) -> list[int]:
    """Follow the cursor to the end and return every listing id, in order."""
    ids: list[int] = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        response = client.get(body["next"])


# --- Belts ---------------------------------------------------------------------------------------


def test_belt_list_is_public_and_counts_certified_suppliers_and_public_listings_only(client, world):
    response = client.get("/api/v1/belts/")
    assert response.status_code == 200
    [belt] = response.json()
    assert belt["slug"] == "wuhan-laser"
    assert belt["name_en"] == "Wuhan laser belt"
    assert belt["name_zh"] == "武汉激光产业带"
    assert belt["certified_supplier_count"] == 1
    assert belt["listing_count"] == 3
    assert belt["url"] == "/belts/wuhan-laser/"


def test_belt_list_leaves_out_inactive_belts(client, world):
    f.BeltFactory(slug="closed-belt", is_active=False)
    assert [b["slug"] for b in client.get("/api/v1/belts/").json()] == ["wuhan-laser"]


def test_belt_detail_has_counts(client, world):
    response = client.get("/api/v1/belts/wuhan-laser/")
    assert response.status_code == 200
    assert response.json()["listing_count"] == 3


def test_unknown_belt_answers_404(client, db):
    response = client.get("/api/v1/belts/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Listing list ---------------------------------------------------------------------------------


def test_listing_list_is_public_and_excludes_drafts_and_uncertified_suppliers(client, world):
    response = client.get(LISTINGS)
    assert response.status_code == 200
    assert _ids(response) == {x.pk for x in world["listings"]}
    assert world["draft"].pk not in _ids(response)
    assert world["applicant_listing"].pk not in _ids(response)


def test_listing_list_excludes_archived_listings_and_suspended_suppliers(client, world, belt, category):
    f.ListingFactory(supplier=world["listings"][0].supplier, category=category, status=Listing.Status.ARCHIVED)
    suspended = f.SupplierFactory(belt=belt, status=Supplier.Status.SUSPENDED)
    f.ListingFactory(supplier=suspended, category=category)
    assert _ids(client.get(LISTINGS)) == {x.pk for x in world["listings"]}


def test_listing_list_rows_carry_supplier_category_and_lowest_price(client, world, supplier, category):
    row = client.get(LISTINGS).json()["results"][0]
    assert row["supplier"]["slug"] == supplier.slug
    assert row["supplier"]["belt"] == "wuhan-laser"
    assert row["supplier"]["certification_level"] == "verified"
    assert row["category"] == category.slug
    assert row["price_from"] == "90.00"
    assert "description_en" not in row  # the detail has it, the list stays light


def test_listing_list_is_cursor_paginated_newest_first(client, world):
    response = client.get(LISTINGS, {"page_size": 2})
    body = response.json()
    assert len(body["results"]) == 2
    assert body["next"] is not None
    assert "cursor=" in body["next"]
    assert "page=" not in body["next"].replace("page_size=", "")  # a cursor, not a page number
    assert "count" not in body  # cursor pagination never counts the whole table

    newest_first = sorted(world["listings"], key=lambda x: (x.created_at, x.pk), reverse=True)
    assert _all_ids(client, LISTINGS, {"page_size": 2}) == [x.pk for x in newest_first]


def test_listing_list_has_no_next_link_when_everything_fits(client, world):
    body = client.get(LISTINGS, {"page_size": 3}).json()
    assert len(body["results"]) == 3
    assert body["next"] is None


def test_listing_list_page_size_has_a_ceiling(client, world, supplier, category):
    for _ in range(100):
        f.ListingFactory(supplier=supplier, category=category, tiers=[])
    assert len(client.get(LISTINGS, {"page_size": 1000}).json()["results"]) == 100


def test_listing_list_filters_by_belt(client, world, category):
    other_belt = f.BeltFactory(slug="yiwu-goods")
    elsewhere = f.ListingFactory(supplier=f.SupplierFactory(belt=other_belt), category=category)

    assert _ids(client.get(LISTINGS, {"belt": "yiwu-goods"})) == {elsewhere.pk}
    assert _ids(client.get(LISTINGS, {"belt": "wuhan-laser"})) == {x.pk for x in world["listings"]}
    assert _ids(client.get(LISTINGS, {"belt": "nowhere"})) == set()


def test_listing_list_filter_by_parent_category_includes_its_children(client, world, supplier, category):
    parent = f.CategoryFactory(slug="laser-equipment")
    child = f.CategoryFactory(slug="fiber-lasers", parent=parent)
    in_parent = f.ListingFactory(supplier=supplier, category=parent)
    in_child = f.ListingFactory(supplier=supplier, category=child)

    assert _ids(client.get(LISTINGS, {"category": "laser-equipment"})) == {in_parent.pk, in_child.pk}
    assert _ids(client.get(LISTINGS, {"category": "fiber-lasers"})) == {in_child.pk}
    assert _ids(client.get(LISTINGS, {"category": category.slug})) == {x.pk for x in world["listings"]}


def test_listing_list_ignores_undeclared_query_arguments(client, world, supplier):
    supplier.uscc = "91420100MA4K000000"
    supplier.save(update_fields=["uscc"])
    everything = _ids(client.get(LISTINGS))

    for params in (
        {"supplier__uscc": "x"},
        {"supplier__uscc__startswith": "9142"},
        {"status": "draft"},
        {"supplier__status": "under_verification"},
        {"ordering": "supplier__uscc"},
    ):
        response = client.get(LISTINGS, params)
        assert response.status_code == 200, params
        assert _ids(response) == everything, params


def _queries_for_listing_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LISTINGS, {"page_size": 50})
    assert response.status_code == 200
    return len(queries)


def test_listing_list_query_count_does_not_grow_with_listings(
    client, world, supplier, category, django_assert_max_num_queries
):
    # The page versions (marketplace.pagecache); one query for the page (supplier, belt, category
    # joined; lowest price annotated), one for images.
    with_three = _queries_for_listing_page(client)
    assert with_three <= 3
    for listing in world["listings"]:
        ListingImage.objects.create(file_check="clean", listing=listing, image="listings/x.jpg")
    for _ in range(27):
        listing = f.ListingFactory(supplier=f.SupplierFactory(belt=supplier.belt), category=category)
        ListingImage.objects.create(file_check="clean", listing=listing, image="listings/y.jpg")

    with django_assert_max_num_queries(with_three):
        response = client.get(LISTINGS, {"page_size": 50})
    assert len(response.json()["results"]) == 30


# --- Listing detail -------------------------------------------------------------------------------


def test_listing_detail_has_tiers_and_images(client, world):
    listing = world["listings"][0]
    ListingImage.objects.create(
        file_check="clean", listing=listing, image="listings/1/a.jpg", thumbnail="listings/1/thumbs/a.jpg"
    )
    ListingImage.objects.create(file_check="clean", listing=listing, image="listings/1/b.jpg", position=1)

    response = client.get(f"{LISTINGS}{listing.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == listing.pk
    assert body["tiers"] == [
        {"min_quantity": 10, "unit_price": "100.00"},
        {"min_quantity": 100, "unit_price": "90.00"},
    ]
    assert body["images"] == [
        {
            "image": "http://testserver/media/listings/1/a.jpg",
            "thumbnail": "http://testserver/media/listings/1/thumbs/a.jpg",
        },
        {"image": "http://testserver/media/listings/1/b.jpg", "thumbnail": None},
    ]
    assert body["description_en"] == "3 kW source, 3015 bed."


def test_draft_detail_is_404_for_anonymous_other_supplier_and_buyer(client, world, other_member, buyer):
    url = f"{LISTINGS}{world['draft'].pk}/"
    assert client.get(url).status_code == 404
    assert client_for(other_member).get(url).status_code == 404
    assert client_for(buyer).get(url).status_code == 404


def test_draft_detail_is_visible_to_its_own_supplier(world, supplier_member):
    response = client_for(supplier_member).get(f"{LISTINGS}{world['draft'].pk}/")
    assert response.status_code == 200
    assert response.json()["title_en"] == "Secret draft"


def test_listing_of_uncertified_supplier_is_404(client, world):
    assert client.get(f"{LISTINGS}{world['applicant_listing'].pk}/").status_code == 404


def test_unknown_listing_is_404(client, db):
    assert client.get(f"{LISTINGS}999999/").status_code == 404


def test_read_api_refuses_writes(client, world, supplier_member):
    url = f"{LISTINGS}{world['listings'][0].pk}/"
    own = client_for(supplier_member)
    assert own.patch(url, {"title_en": "Hacked"}, content_type="application/json").status_code == 405
    assert own.delete(url).status_code == 405
    assert client.post(LISTINGS, {"title_en": "New"}, content_type="application/json").status_code == 405
    assert Listing.objects.get(pk=world["listings"][0].pk).title_en != "Hacked"


# --- Suppliers ------------------------------------------------------------------------------------


def test_supplier_profile_is_public_for_certified(client, world, supplier):
    response = client.get(f"/api/v1/suppliers/{supplier.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name_en"] == "Wuhan Guanggu Photonics Co., Ltd."
    assert body["belt"] == "wuhan-laser"
    assert body["certification_level"] == "verified"
    assert "uscc" not in body and "phone" not in body


def test_supplier_profile_of_applicant_is_404(client, world):
    assert client.get(f"/api/v1/suppliers/{world['applicant'].slug}/").status_code == 404


# --- OpenAPI --------------------------------------------------------------------------------------


def test_schema_is_an_openapi_3_document_with_listing_and_belt_paths(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Belt Marketplace API"
    for path in ("/api/v1/listings/", "/api/v1/listings/{id}/", "/api/v1/belts/", "/api/v1/belts/{slug}/"):
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/v1/listings/"]["get"]["parameters"]}
    assert {"belt", "category", "cursor", "page_size"} <= params


def test_api_docs_load_swagger_ui_from_our_own_origin(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assets = [u for u in urls if "swagger-ui" in u]
    assert any(u.endswith(".js") for u in assets), urls
    assert any(u.endswith(".css") for u in assets), urls
    for url in assets:
        assert url.startswith("/static/"), url
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url


# --- Listing search through the API (the web page's words, filters, sorts and cursors) ------------


def _titles(response) -> list[str]:
    return [row["title_en"] for row in response.json()["results"]]


def test_listing_api_searches_english_with_a_typo_and_says_so(client, search_world):
    response = client.get(LISTINGS, {"q": "lazer cuting"})
    assert response.status_code == 200
    body = response.json()
    assert body["corrected_query"] == "laser cutting"
    assert body["results"][0]["title_en"] == "Fiber laser cutting machine 3015"


def test_listing_api_searches_chinese(client, search_world):
    assert _titles(client.get(LISTINGS, {"q": "牛仔裤"})) == ["Men's slim denim jeans"]


def test_listing_api_filters_like_the_web_page(client, search_world):
    params = {"belt": "shishi-textiles", "level": "audited_factory", "sample": "true", "moq_max": "100"}
    assert _titles(client.get(LISTINGS, params)) == ["Men's slim denim jeans"]
    at_quantity = client.get(LISTINGS, {"quantity": 1000, "price_max": "40.00"})
    assert _titles(at_quantity) == ["Men's slim denim jeans"]
    assert _titles(client.get(LISTINGS, {"province": "CN-HB", "currency": "USD"})) == ["Tube laser cutter"]


def test_listing_api_sorts_by_price_and_pages_with_the_same_parameters(client, search_world):
    first = client.get(LISTINGS, {"sort": "price", "page_size": 2}).json()
    assert [r["title_en"] for r in first["results"]] == ["Men's slim denim jeans", "Blazer jacket for men"]
    assert "sort=price" in first["next"] and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["title_en"] for r in second["results"]] == [
        "CO2 laser engraving machine",
        "Fiber laser cutting machine 3015",
    ]
    back = client.get(second["previous"]).json()
    assert back["results"] == first["results"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"moq_max": "many"}, "moq_max"),
        ({"quantity": "0"}, "quantity"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_min": "9", "price_max": "3"}, "price_max"),
        ({"level": "gold"}, "level"),
        ({"province": "CN-XX"}, "province"),
        ({"currency": "EUR"}, "currency"),
        ({"sort": "cheapest"}, "sort"),
        ({"belt": "not a slug!"}, "belt"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_listing_api_answers_400_naming_the_bad_parameter(client, search_world, params, field):
    response = client.get(LISTINGS, params)
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]


def test_listing_api_refuses_a_cursor_of_another_sort(client, search_world):
    cursor = client.get(LISTINGS, {"sort": "price", "page_size": 1}).json()["next"].split("cursor=")[1].split("&")[0]
    response = client.get(LISTINGS, {"sort": "moq", "cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_listing_api_search_query_budget_is_fixed(client, search_world, django_assert_max_num_queries):
    supplier = search_world["suppliers"]["guanggu"]
    for n in range(30):
        f.ListingFactory(supplier=supplier, title_en=f"Laser welder {n}")
    # page versions (marketplace.pagecache), synonyms, word check, field tier, probe (how many
    # match), page ids, listings, images
    with django_assert_max_num_queries(8):
        response = client.get(LISTINGS, {"q": "laser", "page_size": 50})
    assert len(response.json()["results"]) == 33
    # Filters without words: page versions, the bounded walk, then (the walk held less than a page)
    # every row the filters keep, in a savepoint with its planner settings (four), listings, images.
    with django_assert_max_num_queries(8):
        client.get(LISTINGS, {"sort": "price", "belt": "wuhan-laser", "category": "laser-equipment", "page_size": 50})


def test_schema_documents_every_search_parameter(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/listings/"]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert {
        "q", "belt", "category", "level", "province", "moq_max", "price_min", "price_max", "quantity", "sample",
        "sort", "cursor", "page_size", "currency",
    } <= params  # fmt: skip
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response_schema["$ref"].endswith("/ListingSearchPage")


@pytest.mark.parametrize("query", ["province=", "province=XX", "level=", "level=gold"])
def test_the_supplier_list_refuses_a_filter_its_enum_does_not_hold(client, world, query):
    """`?province=` and `?level=` take one of their schema's values: empty or misspelt is a 400
    naming the parameter, not a silent "no filter" (schemathesis' negative data check)."""
    response = client.get(f"/api/v1/suppliers/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_the_supplier_list_filters_by_a_valid_province(client, world):
    assert client.get("/api/v1/suppliers/?province=CN-HB").status_code == 200
