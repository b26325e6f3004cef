"""Public pages cached whole for anonymous visitors (marketplace.pagecache): what a hit costs, what
the response tells a browser or a CDN, who is never served from the cache, and that a page carries
no visitor's CSRF token while its forms still work."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.figures import belt_figures_count
from catalog.models import Listing
from marketplace.pagecache.models import PageVersion
from marketplace.pagecache.pages import FROM_COOKIE, page_versions
from tests import factories as f
from tests.databases import connect

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(supplier, category):
    listing = f.ListingFactory(supplier=supplier, category=category, title_en="Fiber laser cutting machine 3015")
    belt_figures_count()  # the job has run (a page that finds no figures counts them, which bumps its belt)
    return listing


def _pages(listing: Listing) -> dict[str, str]:
    return {
        "home": "/",
        "belt": f"/belts/{listing.supplier.belt.slug}/",
        "listing": f"/listings/{listing.pk}/",
        "supplier": f"/suppliers/{listing.supplier.slug}/",
        "search": "/search/?q=laser",
    }


PAGES = ("home", "belt", "listing", "supplier", "search")
# A hit reads the page's versions: one query (a listing's or a supplier's belt found inside it).
HIT_QUERIES = {"home": 1, "belt": 1, "listing": 1, "supplier": 1, "search": 1}


@pytest.mark.parametrize("page", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache_in_one_query(listing, page):
    url = _pages(listing)[page]
    first = Client().get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)
    assert second.status_code == 200
    assert len(queries) == HIT_QUERIES[page], [q["sql"] for q in queries]
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_page_says_public_no_cache_with_an_etag_and_varies_on_language_and_cookie(listing, page):
    response = Client().get(_pages(listing)[page])
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "no-cache"}
    assert re.fullmatch(r'"[0-9a-f]{24}"', response["ETag"])
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    assert not response.cookies, "a shared cache must not store a response that sets a cookie"


@pytest.mark.parametrize("page", PAGES)
def test_a_browser_holding_the_current_etag_gets_304_without_the_page(listing, page):
    url = _pages(listing)[page]
    etag = Client().get(url)["ETag"]
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_the_etag_changes_when_the_page_does_and_an_old_one_gets_the_new_page(listing):
    url = f"/listings/{listing.pk}/"
    old = Client().get(url)["ETag"]
    Listing.objects.filter(pk=listing.pk).update(title_en="Fiber laser cutting machine 6020")
    response = Client().get(url, HTTP_IF_NONE_MATCH=old)
    assert response.status_code == 200
    assert response["ETag"] != old
    assert "6020" in response.content.decode()


def test_the_language_is_part_of_the_key(listing):
    url = f"/listings/{listing.pk}/"
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english["ETag"] != chinese["ETag"]
    assert 'lang="en"' in english.content.decode()
    assert 'lang="zh-hans"' in chinese.content.decode()
    again = Client().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.content == chinese.content


def test_a_signed_in_visitor_gets_a_page_of_their_own_marked_private(listing, buyer):
    url = f"/listings/{listing.pk}/"
    Client().get(url)  # cached for anonymous visitors
    response = client_for(buyer).get(url)
    assert "private" in response["Cache-Control"]
    assert 'data-testid="nav-account"' in response.content.decode()
    assert FROM_COOKIE not in response.content.decode()


def test_a_visitor_with_a_session_or_a_message_waiting_is_never_served_from_the_cache(listing, client):
    url = f"/belts/{listing.supplier.belt.slug}/"
    Client().get(url)
    client.post(f"/compare/add/{listing.pk}/", {"next": url})  # a compare list: a session, and a message
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert "Added to your compare list." in response.content.decode()
    assert 'data-testid="in-compare"' in response.content.decode()


def test_a_cached_page_holds_no_csrf_token_nor_nonce_and_sets_no_csrf_cookie(listing):
    response = Client().get(f"/listings/{listing.pk}/")
    html = response.content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html))
    assert tokens == {FROM_COOKIE}
    assert f'"X-CSRFToken": "{FROM_COOKIE}"' in html
    assert "csrftoken" not in response.cookies
    assert "js/csrf.js" in html
    assert "nonce=" not in html, "a CSP nonce is the response's own"


def test_a_visitor_of_a_cached_page_gets_a_token_from_csrf_and_can_switch_language():
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/")
    refused = visitor.post("/i18n/setlang/", {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": FROM_COOKIE})
    assert refused.status_code == 403
    answer = visitor.get("/csrf/")
    assert answer["Cache-Control"] == "no-store, private"
    token = answer.json()["token"]
    assert visitor.cookies["csrftoken"].value
    switched = visitor.post("/i18n/setlang/", {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert 'lang="zh-hans"' in visitor.get("/").content.decode()


def test_a_page_is_not_served_past_the_day_it_was_cached_for(listing, monkeypatch):
    """Certificates end on a date: the day is part of the key, so a badge that lapses at midnight
    is gone from the first page served after it, with no write to bump anything."""
    url = f"/suppliers/{listing.supplier.slug}/"
    today = Client().get(url)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    later = Client().get(url)
    assert later["ETag"] != today["ETag"]


def test_the_cache_off_renders_every_time(listing, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = f"/belts/{listing.supplier.belt.slug}/"
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert len(queries) > 1
    assert "private" in response["Cache-Control"]


def test_an_unknown_listing_is_a_404_not_cached(db):
    response = Client().get("/listings/999999/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db(transaction=True)
def test_versions_change_when_the_change_commits_and_writers_crossing_belts_never_deadlock():
    """Outside the tests' rolled-back transactions the bump waits for the commit: two transactions
    that change listings of two belts in opposite orders both commit (a version lock taken at the
    change would deadlock them), and each commit changes both belts' versions."""
    first_belt, second_belt = f.BeltFactory(), f.BeltFactory()
    a1, a2 = (f.ListingFactory(supplier=f.SupplierFactory(belt=first_belt)) for _ in range(2))
    b1, b2 = (f.ListingFactory(supplier=f.SupplierFactory(belt=second_belt)) for _ in range(2))
    scopes = [f"belt:{first_belt.slug}", f"belt:{second_belt.slug}"]
    one, two = connect(), connect()
    try:
        for conn in (one, two):
            conn.cursor().execute("SET lock_timeout = '3s'")  # a lock wait fails the test instead of hanging it
        before = page_versions(scopes)
        retitle = "UPDATE catalog_listing SET title_en = title_en || ' (new)' WHERE id = %s"
        one.cursor().execute(retitle, [a1.pk])
        two.cursor().execute(retitle, [b2.pk])
        one.cursor().execute(retitle, [b1.pk])
        two.cursor().execute(retitle, [a2.pk])
        assert page_versions(scopes) == before, "nothing is bumped before the commit"
        one.commit()
        after_one = page_versions(scopes)
        assert after_one != before
        two.commit()
        assert page_versions(scopes) not in (before, after_one)
        versions = dict(PageVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
        assert set(versions) == set(scopes)
    finally:
        one.close()
        two.close()


# --- the public API (marketplace.pagecache.api) ------------------------------------------------------


def _api(listing: Listing) -> dict[str, str]:
    belt, supplier = listing.supplier.belt.slug, listing.supplier.slug
    return {
        "listings": "/api/v1/listings/?q=laser",
        "listing": f"/api/v1/listings/{listing.pk}/",
        "belts": "/api/v1/belts/",
        "belt": f"/api/v1/belts/{belt}/",
        "categories": "/api/v1/categories/",
        "suppliers": "/api/v1/suppliers/",
        "supplier": f"/api/v1/suppliers/{supplier}/",
        "certification": f"/api/v1/suppliers/{supplier}/certification/",
    }


API = ("listings", "listing", "belts", "belt", "categories", "suppliers", "supplier", "certification")
API_HIT_QUERIES: dict[str, int] = {}


@pytest.mark.parametrize("endpoint", API)
def test_an_anonymous_api_answer_is_served_from_the_cache_word_for_word(listing, endpoint):
    url = _api(listing)[endpoint]
    first = Client().get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)
    assert len(queries) == API_HIT_QUERIES.get(endpoint, 1), [q["sql"] for q in queries]
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert {part.strip() for part in second["Cache-Control"].split(",")} == {"public", "no-cache"}
    assert {"Accept", "Accept-Language", "Authorization", "Cookie"} <= {v.strip() for v in second["Vary"].split(",")}
    assert Client().get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_an_api_answer_shows_a_downgrade_at_once(belt, category, staff):
    from suppliers.models import SupplierEvent
    from suppliers.services import supplier_downgrade
    from tests.suppliers import factories as world

    supplier = world.certified_supplier(belt, staff, sites=1)
    listing = f.ListingFactory(supplier=supplier, category=category, production_site=supplier.sites.get())
    url = f"/api/v1/listings/{listing.pk}/"
    assert Client().get(url).json()["supplier"]["certification_level"] == "certified_origin"
    assert Client().get(url).json()["supplier"]["certification_level"] == "certified_origin"  # a hit
    supplier_downgrade(
        supplier.pk, to_level="verified", kind=SupplierEvent.Kind.DOWNGRADED, reason="Finding", data={}, actor=staff
    )
    assert Client().get(url).json()["supplier"]["certification_level"] == "verified"
    supplier_downgrade(
        supplier.pk, to_level="none", kind=SupplierEvent.Kind.SUSPENDED, reason="Finding", data={}, actor=staff
    )
    assert Client().get(url).status_code == 404  # a suspended supplier's listings are not public


def test_a_signed_in_client_is_answered_afresh_and_privately(listing, supplier_member):
    url = f"/api/v1/listings/{listing.pk}/"
    Client().get(url)
    response = client_for(supplier_member).get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_browsable_api_is_never_cached(listing):
    response = Client().get(f"/api/v1/listings/{listing.pk}/", HTTP_ACCEPT="text/html")
    assert "private" in response["Cache-Control"]
