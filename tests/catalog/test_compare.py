"""Comparing up to four listings side by side: the list lives in a cookie, a fifth is refused,
listings that stop being public drop out, and the page stays at a fixed query count."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from catalog import compare
from catalog.models import Listing, ListingVariant
from suppliers.models import Supplier
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def listings(supplier, category):
    return [f.ListingFactory(supplier=supplier, category=category) for _ in range(5)]


def _add(client, listing, **kwargs):
    return client.post(reverse("catalog:compare_add", args=[listing.pk]), kwargs.pop("data", {}), **kwargs)


def _ids(client) -> list[int]:
    cookie = client.cookies.get(compare.COOKIE)
    return [int(pk) for pk in cookie.value.split(".") if pk] if cookie else []


def _shown_state(html: str, listing) -> str:
    """Which state of the listing's compare control the page shows: "in" or "out"."""
    control = html.split(f'data-compare-for="{listing.pk}"', 1)[1]
    shown = re.findall(r'data-compare-state="(in|out)"(?! hidden)', control)
    return shown[0]


def _menu(html: str) -> str:
    link = re.search(r'<a [^>]*data-testid="compare-nav"[^>]*>([^<]*)</a>', html)
    return "" if " hidden" in link.group(0) else link.group(1)


def test_adding_keeps_the_list_in_the_cookie_in_order_and_once(client, listings):
    first, second = listings[:2]
    response = _add(client, first)
    assert response.status_code == 302 and response["Location"] == reverse("catalog:compare")
    _add(client, second)
    _add(client, first)  # twice is still once
    assert _ids(client) == [first.pk, second.pk]


def test_a_fifth_listing_is_refused_with_a_clear_message(client, listings):
    for listing in listings[:4]:
        _add(client, listing)
    response = _add(client, listings[4], follow=True)
    assert _ids(client) == [x.pk for x in listings[:4]]
    assert "You can compare up to 4 listings. Remove one from the compare list first." in response.content.decode()


def test_a_fifth_over_htmx_answers_the_button_with_the_message(client, listings):
    for listing in listings[:4]:
        _add(client, listing, headers=HTMX)
    body = _add(client, listings[4], headers=HTMX).content.decode()
    assert "<html" not in body
    assert 'data-testid="compare-error"' in body and "up to 4 listings" in body
    assert _shown_state(body, listings[4]) == "out"  # still offered once a place is free


def test_htmx_add_swaps_the_button_and_the_menu_count(client, listings):
    body = _add(client, listings[0], headers=HTMX).content.decode()
    assert f'id="compare-{listings[0].pk}"' in body and _shown_state(body, listings[0]) == "in"
    assert 'id="compare-nav" hx-swap-oob="true"' in body and _menu(body) == "Compare (1)"


def test_remove_takes_it_off_the_list(client, listings):
    _add(client, listings[0])
    _add(client, listings[1])
    response = client.post(reverse("catalog:compare_remove", args=[listings[0].pk]))
    assert response.status_code == 302
    assert _ids(client) == [listings[1].pk]
    body = client.post(reverse("catalog:compare_remove", args=[listings[1].pk]), headers=HTMX).content.decode()
    assert _shown_state(body, listings[1]) == "out" and _menu(body) == ""
    assert _ids(client) == []


def test_drafts_and_listings_of_uncertified_suppliers_cannot_be_added(client, supplier, category, belt):
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT)
    applicant = f.ApplicantSupplierFactory(belt=belt)
    hidden = f.ListingFactory(supplier=applicant, category=category)
    for listing in (draft, hidden):
        response = _add(client, listing, follow=True)
        assert "This listing cannot be compared: it is not public." in response.content.decode()
    assert _ids(client) == []
    assert client.post(reverse("catalog:compare_add", args=[999999])).status_code == 302
    assert _ids(client) == []


def test_adding_needs_post_and_a_csrf_token(listings):
    url = reverse("catalog:compare_add", args=[listings[0].pk])
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403


def test_next_may_not_send_the_buyer_off_site(client, listings):
    response = _add(client, listings[0], data={"next": "https://evil.example/"})
    assert response["Location"] == reverse("catalog:compare")
    back = _add(client, listings[1], data={"next": listings[1].get_absolute_url()})
    assert back["Location"] == listings[1].get_absolute_url()


def test_compare_page_shows_the_rows_side_by_side(client, listings):
    first, second = listings[:2]
    Listing.objects.filter(pk=first.pk).update(
        order_multiple=6,
        oem=True,
        specifications=[
            {"name_en": "Laser power", "name_zh": "激光功率", "value": "3 kW"},
            {"name_en": "Bed", "name_zh": "床身", "value": "3015"},
        ],
    )
    Listing.objects.filter(pk=second.pk).update(
        specifications=[{"name_en": "Laser power", "name_zh": "激光功率", "value": "6 kW"}]
    )
    _add(client, first)
    _add(client, second)
    response = client.get(reverse("catalog:compare"))
    html = response.content.decode()
    assert [x.pk for x in response.context["listings"]] == [first.pk, second.pk]
    assert html.count('data-testid="compare-column"') == 2
    for row in ("Supplier", "Certified origin", "Price tiers", "MOQ and rules", "Sample", "Lead time",
                "Monthly capacity", "OEM / ODM"):  # fmt: skip
        assert f">{row}</th>" in html, row
    assert "Sold in multiples of 6" in html
    # Specifications that most listings share come first; a missing value is a dash.
    assert response.context["specifications"] == [("Laser power", ["3 kW", "6 kW"]), ("Bed", ["3015", ""])]
    assert 'data-testid="compare-remove"' in html


def test_listings_that_stopped_being_public_drop_out_of_the_list(client, listings, supplier):
    for listing in listings[:3]:
        _add(client, listing)
    Listing.objects.filter(pk=listings[0].pk).update(status=Listing.Status.ARCHIVED)
    response = client.get(reverse("catalog:compare"), follow=True)
    assert [x.pk for x in response.context["listings"]] == [listings[1].pk, listings[2].pk]
    assert "1 listing left your compare list: it is no longer public." in response.content.decode()
    assert _ids(client) == [listings[1].pk, listings[2].pk]

    Supplier.objects.filter(pk=supplier.pk).update(status=Supplier.Status.SUSPENDED)
    assert client.get(reverse("catalog:compare")).context["listings"] == []
    assert _ids(client) == []


def test_empty_compare_page_explains_what_to_do(client, db):
    html = client.get(reverse("catalog:compare")).content.decode()
    assert 'data-testid="compare-empty"' in html


def test_menu_shows_the_count(client, listings):
    assert _menu(client.get(reverse("catalog:compare")).content.decode()) == ""
    _add(client, listings[0])
    _add(client, listings[1])
    assert _menu(client.get(reverse("catalog:compare")).content.decode()) == "Compare (2)"


def test_a_public_page_shows_no_compare_list_and_leaves_it_to_the_script(client, listings):
    """The listing page may come from the shared cache: it shows everyone the "add" state and an
    empty menu, and js/compare.js shows this visitor's list from the cookie."""
    _add(client, listings[0], headers=HTMX)  # no message waiting for the next page
    html = client.get(listings[0].get_absolute_url()).content.decode()
    assert _shown_state(html, listings[0]) == "out"
    assert _menu(html) == ""
    assert "js/compare.js" in html
    assert "public" in client.get(listings[0].get_absolute_url())["Cache-Control"]


def test_compare_page_query_budget_is_fixed_however_many_tiers_and_variants(
    client, listings, django_assert_max_num_queries
):
    for listing in listings[:4]:
        _add(client, listing)
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("catalog:compare"))
    for listing in listings[:4]:
        for i in range(4):
            ListingVariant.objects.create(listing=listing, size=f"S{i}", position=i)
        listing.tiers.create(min_quantity=500, unit_price="80.00")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("catalog:compare"))


def test_the_compare_list_ignores_garbage_in_the_cookie():
    def read(value: str) -> list[int]:
        request = RequestFactory().get("/")
        request.COOKIES[compare.COOKIE] = value
        return compare.CompareList(request).ids

    assert read("x.7.7.0.-3.8.<b>.9.10.11") == [7, 8, 9, 10]
    assert read("oops") == []
    assert read("9" * 40) == []
