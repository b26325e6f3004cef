"""A supplier's listings over the API (/api/v1/me/listings/): list, create, read, change, and the
publish / unpublish / archive / restore / duplicate actions, all through the same services as the
dashboard. Another supplier's listing is 404 on every endpoint; a buyer, an operator and staff
without a membership get 404; anonymous gets 403. The list costs the same queries for 2 rows or 30.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Listing, ListingEvent, ListingImage, ListingVariant
from catalog.rules import Tier
from catalog.services import listing_create
from suppliers.models import Supplier
from tests import factories as f
from tests.conftest import client_for

URL = "/api/v1/me/listings/"
ACTIONS = ("publish", "unpublish", "archive", "restore", "duplicate")


def detail(listing) -> str:
    return f"{URL}{listing.pk}/"


def payload(category, **overrides):
    return {
        "category": category.slug,
        "title_en": "Fiber laser cutter 3015",
        "title_zh": "3015光纤激光切割机",
        "sku": "LC-3015",
        "unit": "set",
        "moq": 10,
        "moq_mode": "mixed",
        "tiers": [{"min_quantity": 10, "unit_price": "120.00"}, {"min_quantity": 100, "unit_price": "110.00"}],
        "variants": [{"model": "3 kW"}, {"model": "6 kW", "moq": 2}],
        "specifications": [{"name_en": "Power", "name_zh": "功率", "value": "3 kW"}],
        **overrides,
    }


@pytest.fixture
def api(supplier_member):
    return client_for(supplier_member)


@pytest.fixture
def draft(supplier, supplier_member, category):
    return listing_create(
        supplier=supplier,
        actor=supplier_member,
        fields={"category": category, "title_en": "Secret prototype cutter", "sku": "SECRET-1", "moq": 5},
        tiers=[Tier(5, Decimal("100"))],
    )


# --- permissions ----------------------------------------------------------------------------------


def _every_call(listing):
    calls = [("get", detail(listing), None), ("patch", detail(listing), {"title_en": "Hacked"})]
    calls.append(("put", detail(listing), {"category": listing.category.slug, "title_en": "Hacked"}))
    calls += [("post", f"{detail(listing)}{action}/", None) for action in ACTIONS]
    return calls


@pytest.mark.parametrize("who", ("other_member", "buyer", "operator", "staff", "outsider"))
def test_the_wrong_people_get_404_on_every_endpoint_of_a_listing_and_change_nothing(request, who, draft):
    client = client_for(request.getfixturevalue(who))
    events = ListingEvent.objects.count()
    for method, url, data in _every_call(draft):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 404, (who, method, url)
        assert "Secret" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.title_en == "Secret prototype cutter" and draft.status == Listing.Status.DRAFT
    assert Listing.objects.count() == 1 and ListingEvent.objects.count() == events


@pytest.mark.parametrize("who", ("buyer", "operator", "staff", "outsider"))
def test_people_who_act_for_no_supplier_get_404_on_the_list_and_create(request, who, category):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, payload(category), content_type="application/json").status_code == 404
    assert not Listing.objects.exists()


def test_anonymous_gets_403_everywhere(client, draft, category):
    assert client.get(URL).status_code == 403
    assert client.post(URL, payload(category), content_type="application/json").status_code == 403
    for method, url, data in _every_call(draft):
        assert getattr(client, method)(url, data, content_type="application/json").status_code == 403, url


def test_another_supplier_lists_only_its_own(draft, other_member, other_supplier, category):
    mine = f.ListingFactory(supplier=other_supplier, category=category)
    body = client_for(other_member).get(URL).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]


# --- list -------------------------------------------------------------------------------------------


def test_list_has_every_status_newest_first_and_filters_by_status(api, supplier, category, draft):
    published = f.ListingFactory(supplier=supplier, category=category)
    archived = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.ARCHIVED)
    rows = api.get(URL).json()["results"]
    assert [row["id"] for row in rows] == [archived.pk, published.pk, draft.pk]
    assert {row["status"] for row in rows} == {"draft", "published", "archived"}
    assert [row["id"] for row in api.get(URL, {"status": "draft"}).json()["results"]] == [draft.pk]
    assert api.get(URL, {"status": "nonsense"}).status_code == 400


def test_list_is_cursor_paginated(api, supplier, category):
    created = [f.ListingFactory(supplier=supplier, category=category) for _ in range(5)]
    seen, response = [], api.get(URL, {"page_size": 2})
    while True:
        body = response.json()
        assert "cursor=" in (body["next"] or "cursor=")
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = api.get(body["next"])
    assert seen == [listing.pk for listing in reversed(created)]


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL, {"page_size": 50})
    assert response.status_code == 200
    return len(queries)


def test_list_query_budget_is_fixed_however_many_listings(api, supplier, category):
    for _ in range(2):
        f.ListingFactory(supplier=supplier, category=category)
    few = _list_queries(api)
    # session, user, supplier, rows (category and site joined, HS code computed), tiers, variants,
    # pictures, certificates
    assert few <= 8
    for i in range(28):
        listing = f.ListingFactory(supplier=supplier, category=category)
        ListingVariant.objects.create(listing=listing, model=f"M{i}")
        ListingImage.objects.create(file_check="clean", listing=listing, image=f"listings/{i}.jpg")
    assert _list_queries(api) == few


# --- create, read, change -------------------------------------------------------------------------


def test_create_makes_a_draft_with_nested_tiers_variants_and_specifications(api, category, supplier_member):
    response = api.post(URL, payload(category), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    listing = Listing.objects.get(pk=body["id"])
    assert body["status"] == "draft" and body["category"] == category.slug and body["is_public"] is False
    assert body["tiers"] == [
        {"min_quantity": 10, "unit_price": "120.00"},
        {"min_quantity": 100, "unit_price": "110.00"},
    ]
    assert [(v["model"], v["moq"]) for v in body["variants"]] == [("3 kW", None), ("6 kW", 2)]
    assert body["specifications"] == [{"name_en": "Power", "name_zh": "功率", "value": "3 kW"}]
    assert body["publish_blockers"] == []
    assert listing.events.get().kind == ListingEvent.Kind.CREATED and listing.events.get().actor == supplier_member


def test_create_answers_400_with_the_tier_rules_words_and_saves_nothing(api, category):
    data = payload(category, tiers=[{"min_quantity": 10, "unit_price": "5"}, {"min_quantity": 100, "unit_price": "6"}])
    response = api.post(URL, data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["tiers"] == ["Tier 2: a larger quantity may not cost more per unit (6.00 is above 5.00)."]
    assert not Listing.objects.exists()


def test_create_cannot_set_status_or_supplier_or_public_columns(api, category, other_supplier):
    data = payload(category, status="published", supplier=other_supplier.pk, is_public=True, price_from="0.01")
    body = api.post(URL, data, content_type="application/json").json()
    listing = Listing.objects.get(pk=body["id"])
    assert listing.status == "draft" and listing.supplier != other_supplier and not listing.is_public
    assert listing.price_from == Decimal("110.00")


def test_create_refuses_another_suppliers_production_site(api, category, other_supplier, supplier):
    foreign = f.ProductionSiteFactory(supplier=other_supplier)
    response = api.post(URL, payload(category, production_site=foreign.pk), content_type="application/json")
    assert response.status_code == 400 and "production_site" in response.json()
    own = f.ProductionSiteFactory(supplier=supplier)
    response = api.post(URL, payload(category, production_site=own.pk, sku="X"), content_type="application/json")
    assert response.status_code == 201 and response.json()["production_site"] == own.pk


def test_retrieve_shows_a_draft_with_why_it_cannot_be_published(api, draft, supplier):
    Supplier.objects.filter(pk=supplier.pk).update(
        status=Supplier.Status.UNDER_VERIFICATION, certification_level="none"
    )
    body = api.get(detail(draft)).json()
    assert body["title_en"] == "Secret prototype cutter" and body["status"] == "draft"
    assert any("Only companies verified" in reason for reason in body["publish_blockers"])


def test_patch_changes_only_what_is_given_with_nested_tiers_and_variants(api, draft):
    response = api.patch(
        detail(draft),
        {
            "moq": 20,
            "tiers": [{"min_quantity": 20, "unit_price": "90.00"}],
            "variants": [{"size": "S"}, {"size": "M"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["moq"] == 20 and body["title_en"] == "Secret prototype cutter"
    assert body["tiers"] == [{"min_quantity": 20, "unit_price": "90.00"}]
    s_id = body["variants"][0]["id"]

    response = api.patch(
        detail(draft), {"variants": [{"id": s_id, "size": "S", "colour": "red"}]}, content_type="application/json"
    )
    assert [(v["id"], v["colour"]) for v in response.json()["variants"]] == [(s_id, "red")]
    assert response.json()["tiers"] == [{"min_quantity": 20, "unit_price": "90.00"}]  # untouched


def test_patch_moq_below_the_saved_first_tier_is_refused(api, draft):
    response = api.patch(detail(draft), {"moq": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "The MOQ (1) is below the first tier (5)" in response.json()["tiers"][0]


def test_put_needs_the_category(api, draft, category):
    response = api.put(detail(draft), {"title_en": "Only a title"}, content_type="application/json")
    assert response.status_code == 400 and "category" in response.json()
    response = api.put(
        detail(draft), {"category": category.slug, "title_en": "New title"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title_en"] == "New title"


# --- actions ----------------------------------------------------------------------------------------


def test_publish_unpublish_archive_restore_and_duplicate(api, draft):
    body = api.post(f"{detail(draft)}publish/").json()
    assert body["status"] == "published" and body["is_public"] is True and body["published_at"]
    assert api.post(f"{detail(draft)}unpublish/").json()["status"] == "draft"
    response = api.post(f"{detail(draft)}duplicate/")
    assert response.status_code == 201
    copy = response.json()
    assert copy["id"] != draft.pk and copy["sku"] == "SECRET-1-copy" and copy["status"] == "draft"
    assert copy["tiers"] == [{"min_quantity": 5, "unit_price": "100.00"}]
    body = api.post(f"{detail(draft)}archive/").json()
    assert body["status"] == "archived" and body["archived_at"]
    assert api.patch(detail(draft), {"moq": 6}, content_type="application/json").status_code == 400
    assert api.post(f"{detail(draft)}restore/").json()["status"] == "draft"
    kinds = list(ListingEvent.objects.filter(listing=draft).order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "published", "unpublished", "duplicated", "archived", "restored"]


def test_an_unverified_supplier_cannot_publish_over_the_api(api, draft, supplier):
    Supplier.objects.filter(pk=supplier.pk).update(
        status=Supplier.Status.UNDER_VERIFICATION, certification_level="none"
    )
    response = api.post(f"{detail(draft)}publish/")
    assert response.status_code == 400
    assert "Only companies verified" in response.json()["detail"][0]
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT


def test_actions_refuse_get(api, draft):
    for action in ACTIONS:
        assert api.get(f"{detail(draft)}{action}/").status_code == 405


# --- schema -----------------------------------------------------------------------------------------


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/listings/"])
    assert {"get", "put", "patch"} <= set(paths["/api/v1/me/listings/{id}/"])
    for action in ACTIONS:
        assert "post" in paths[f"/api/v1/me/listings/{{id}}/{action}/"], action
    params = {p["name"] for p in paths["/api/v1/me/listings/"]["get"]["parameters"]}
    assert {"status", "cursor", "page_size"} <= params
    components = schema["components"]["schemas"]
    assert {"MyListing", "MyListingInput", "MyListingTier", "MyListingVariant"} <= set(components)
    assert "tiers" in components["MyListingInput"]["properties"]
