"""The public catalog pages: home, belt, listing (search has its own tests). Real data, fixed query budgets."""

import datetime

import pytest
from django.urls import reverse

from catalog.figures import belt_figures_count
from catalog.models import Listing, ListingImage, ListingVariant, PriceTier
from suppliers.models import CertificationLevel, Supplier
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


def test_home_query_count_does_not_grow_with_belts(client, world, django_assert_num_queries):
    for _ in range(5):
        extra = f.BeltFactory()
        f.ListingFactory(supplier=f.SupplierFactory(belt=extra))
    belt_figures_count()  # the job has run: the page reads the figures, it does not count
    # the page versions (marketplace.pagecache); belts with their figures, their top categories,
    # newest listings, their images; the day's exchange rates (catalog.prices)
    with django_assert_num_queries(6):
        response = client.get(reverse("catalog:home"))
    assert len(response.context["belts"]) == 6


def test_home_groups_belts_by_province_and_shows_what_each_makes(client, world, belt, supplier, category):
    cutters_zh = category.name_zh
    markers = f.CategoryFactory(name_en="Laser marking machines", name_zh="激光打标机")
    for _ in range(2):
        f.ListingFactory(supplier=supplier, category=markers)
    f.ListingFactory(supplier=supplier, category=f.CategoryFactory(name_en="Rare thing"), status=Listing.Status.DRAFT)
    f.BeltFactory(slug="shishi", name_en="Shishi textile belt", province="CN-FJ", industry_en="Textiles")
    response = client.get(reverse("catalog:home"))
    assert [province for province, _ in response.context["provinces"]] == ["Fujian", "Hubei"]
    wuhan = next(b for b in response.context["belts"] if b.slug == "wuhan-laser")
    # Most listings first; a category with only a draft does not count.
    assert [(c.name_en, c.listing_count) for c in wuhan.top_categories] == [
        ("Laser cutting machines", 3),
        ("Laser marking machines", 2),
    ]
    assert 'data-testid="belt-makes"' in response.content.decode()
    html_zh = client.get(reverse("catalog:home"), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert cutters_zh in html_zh and "湖北" in html_zh


def test_belt_page_shows_figures_top_categories_and_links_them_to_search(client, world, belt, supplier, category):
    other = f.CategoryFactory(slug="marking", name_en="Laser marking machines")
    f.ListingFactory(supplier=supplier, category=other)
    response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    shown = response.context["belt"]
    assert (shown.certified_supplier_count, shown.listing_count, shown.category_count) == (1, 4, 2)
    assert [(c.slug, c.listing_count) for c in response.context["top_categories"]] == [
        ("laser-cutters", 3),
        ("marking", 1),
    ]
    html = response.content.decode()
    assert 'href="/search/?belt=wuhan-laser&amp;category=laser-cutters"' in html
    assert 'data-testid="figure-categories">2<' in html
    assert belt.story_en in html


def test_belt_story_and_brand_follow_the_readers_language(client, world, belt):
    html = client.get(reverse("catalog:belt_detail", args=[belt.slug]), headers={"Accept-Language": "zh-hans"})
    html = html.content.decode()
    assert belt.story_zh in html and belt.brand_zh in html and belt.story_en not in html


def test_featured_suppliers_strongest_level_first_with_type_and_years(client, world, belt, supplier):
    audited = f.SupplierFactory(
        belt=belt, name_en="Zeta Audited Works", certification_level=CertificationLevel.AUDITED_FACTORY
    )
    origin = f.SupplierFactory(
        belt=belt, name_en="Alpha Origin Co.", certification_level=CertificationLevel.CERTIFIED_ORIGIN
    )
    trader = f.SupplierFactory(belt=belt, name_en="Beta Trading", business_type=Supplier.BusinessType.TRADING)
    lapsed = f.SupplierFactory(belt=belt, certified_until=datetime.date(2020, 1, 1))
    response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    featured = list(response.context["suppliers"])
    assert [s.pk for s in featured[:2]] == [audited.pk, origin.pk]
    assert lapsed.pk not in {s.pk for s in featured}
    # Among equals, the one with more listings comes first.
    assert [s.pk for s in featured[2:]] == [supplier.pk, trader.pk]
    html = response.content.decode()
    assert "Trading company" in html and "Manufacturer" in html
    assert "New on the platform this year" in html


def test_belt_page_lists_certified_suppliers_and_public_listings_only(client, world, belt, supplier):
    response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert supplier.name_en in html
    assert "Applicant Trading Ltd." not in html
    assert "Applicant product" not in html
    assert "Secret draft" not in html
    assert {x.pk for x in response.context["newest"]} == {x.pk for x in world["listings"]}


def test_belt_page_query_budget_is_fixed_however_many_listings(
    client, world, belt, supplier, category, django_assert_num_queries
):
    for _ in range(20):
        f.ListingFactory(supplier=supplier, category=category)
    for _ in range(4):  # more suppliers and categories than the page features
        f.ListingFactory(supplier=f.SupplierFactory(belt=belt))
    belt_figures_count()
    # the page versions; belt with its figures, top categories, featured suppliers, newest listings, their
    # images; the day's exchange rates
    with django_assert_num_queries(7):
        response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    assert len(response.context["newest"]) == 12


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


def test_listing_page_query_budget_does_not_grow_with_tiers_variants_or_pictures(
    client, world, django_assert_num_queries
):
    listing = world["listings"][0]
    url = reverse("catalog:listing_detail", args=[listing.pk])
    # the page versions with its belt (marketplace.pagecache); the listing with supplier, belt,
    # category, site and effective HS code; then tiers, variants, images, certificates for export;
    # the day's exchange rates
    with django_assert_num_queries(7):
        client.get(url)
    for i in range(6):
        ListingVariant.objects.create(listing=listing, size=f"EU {40 + i}", position=i)
        ListingImage.objects.create(
            file_check="clean", listing=listing, image=f"listings/{listing.pk}/p{i}.jpg", position=i
        )
    PriceTier.objects.create(listing=listing, min_quantity=500, unit_price="80.00")
    PriceTier.objects.create(listing=listing, min_quantity=1000, unit_price="70.00")
    with django_assert_num_queries(7):  # not the cached copy: the new rows bumped the belt's pages
        response = client.get(url)
    html = response.content.decode()
    assert html.count('data-testid="variant"') == 6 and 'data-testid="gallery-thumbnails"' in html
    # The tier fragment (never cached: it answers htmx) costs what the page renders with.
    typed = {f"q-{listing.variants.first().pk}": 600}
    with django_assert_num_queries(6):
        client.get(url, typed, headers={"HX-Request": "true"})


def test_draft_listing_is_404_for_anonymous_buyer_and_other_supplier(client, world, other_member, buyer):
    url = reverse("catalog:listing_detail", args=[world["draft"].pk])
    assert client.get(url).status_code == 404
    assert client_for(buyer).get(url).status_code == 404
    assert client_for(other_member).get(url).status_code == 404


def test_owner_can_preview_its_draft(world, supplier_member):
    response = client_for(supplier_member).get(reverse("catalog:listing_detail", args=[world["draft"].pk]))
    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    # Its published listings carry no banner, for the owner or anyone else.
    public = reverse("catalog:listing_detail", args=[world["listings"][0].pk])
    assert "Preview" not in client_for(supplier_member).get(public).content.decode()
    assert 'data-testid="compare-add"' in client_for(supplier_member).get(public).content.decode()
    # A draft cannot go on a compare list.
    assert 'data-testid="compare-add"' not in response.content.decode()


def test_listing_of_uncertified_supplier_is_404(client, world):
    listing = world["applicant"].listings.get()
    assert client.get(reverse("catalog:listing_detail", args=[listing.pk])).status_code == 404


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
