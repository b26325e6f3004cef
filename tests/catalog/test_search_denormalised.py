"""The database keeps the listing's denormalised search columns true, whoever writes: the ORM,
queryset updates, raw SQL. And `rebuild_denormalised()` recomputes them after a bulk load.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Listing, PriceTier
from catalog.search import ListingFilters, rebuild_denormalised
from catalog.selectors.public import listing_search
from suppliers.models import Supplier
from suppliers.services import certifications_expiry_sweep
from tests import factories as f
from tests.catalog.factories import build_search_world, ids


@pytest.fixture
def search_world(db):
    return build_search_world()


def fresh(listing: Listing) -> Listing:
    return Listing.objects.get(pk=listing.pk)


def found(text="", **filters) -> set[int]:
    return set(ids(listing_search(text=text, filters=ListingFilters(**filters), page_size=100).page.listings))


def test_a_new_listing_gets_its_columns_from_supplier_site_and_tiers(search_world):
    fiber = fresh(search_world["listings"]["fiber"])
    assert fiber.is_public
    assert fiber.belt_id == search_world["belts"]["wuhan"].pk
    assert fiber.level_rank == 1
    assert fiber.province == "CN-HB"
    assert fiber.price_from == Decimal("91000.00")
    assert fiber.search_vector


def test_drafts_and_applicants_listings_are_not_public(search_world):
    assert not fresh(search_world["hidden"]["draft"]).is_public
    assert not fresh(search_world["hidden"]["applicant"]).is_public


def test_decertified_supplier_takes_its_listings_out_of_search(search_world):
    guanggu = search_world["suppliers"]["guanggu"]
    fiber = search_world["listings"]["fiber"]
    assert fiber.pk in found("fiber")
    Supplier.objects.filter(pk=guanggu.pk).update(status=Supplier.Status.SUSPENDED, certification_level="none")
    assert not fresh(fiber).is_public
    assert fiber.pk not in found("fiber")
    assert fiber.pk not in found()


def test_certification_level_change_moves_the_level_filter(search_world):
    guanggu = search_world["suppliers"]["guanggu"]
    fiber = search_world["listings"]["fiber"]
    assert fiber.pk not in found(level="audited_factory")
    guanggu.certification_level = "audited_factory"
    guanggu.save()
    assert fresh(fiber).level_rank == 3
    assert fiber.pk in found(level="audited_factory")


def test_supplier_moving_belt_or_renamed_is_followed(search_world):
    guanggu = search_world["suppliers"]["guanggu"]
    fiber = search_world["listings"]["fiber"]
    guanggu.belt = search_world["belts"]["shishi"]
    guanggu.name_en = "Optics Valley Beam Co."
    guanggu.save()
    assert fresh(fiber).belt_id == search_world["belts"]["shishi"].pk
    assert fiber.pk in found(belt="shishi-textiles")
    assert fiber.pk in found("beam")
    assert fiber.pk not in found("guanggu")


def test_tier_changes_keep_the_lowest_price(search_world):
    jeans = search_world["listings"]["jeans"]
    assert fresh(jeans).price_from == Decimal("38.00")
    PriceTier.objects.create(listing=jeans, min_quantity=5000, unit_price=Decimal("31.50"))
    assert fresh(jeans).price_from == Decimal("31.50")
    PriceTier.objects.filter(listing=jeans, min_quantity=5000).update(unit_price=Decimal("33.00"))
    assert fresh(jeans).price_from == Decimal("33.00")
    PriceTier.objects.filter(listing=jeans).exclude(min_quantity=100).delete()
    assert fresh(jeans).price_from == Decimal("45.00")
    assert jeans.pk in found(price_max=Decimal("45"), price_min=Decimal("45"))


def test_category_and_belt_renames_reach_the_search_vector(search_world):
    fiber = search_world["listings"]["fiber"]
    laser = search_world["categories"]["laser"]
    laser.name_en = "Photonics machinery"
    laser.save()
    assert fiber.pk in found("photonics")  # the parent category's name counts for its children
    wuhan = search_world["belts"]["wuhan"]
    wuhan.name_zh = "光谷光子产业带"
    wuhan.save()
    assert fiber.pk in found("光子")


def test_production_site_province_decides_the_listing_province(search_world):
    guanggu = search_world["suppliers"]["guanggu"]
    site = f.ProductionSiteFactory(supplier=guanggu, province="CN-GD")
    fiber = search_world["listings"]["fiber"]
    fiber.production_site = site
    fiber.save()
    assert fresh(fiber).province == "CN-GD"
    site.province = "CN-JS"
    site.save()
    assert fresh(fiber).province == "CN-JS"
    assert fiber.pk in found(province="CN-JS")


def test_a_stale_model_instance_cannot_write_old_values_back(search_world):
    fiber = search_world["listings"]["fiber"]  # loaded while its supplier was certified
    Supplier.objects.filter(pk=search_world["suppliers"]["guanggu"].pk).update(status=Supplier.Status.SUSPENDED)
    fiber.moq = 2
    fiber.save()  # writes is_public=True from memory…
    assert not fresh(fiber).is_public  # …and the trigger puts it right


def test_publishing_and_unpublishing_is_followed(search_world):
    draft = search_world["hidden"]["draft"]
    draft.status = Listing.Status.PUBLISHED
    draft.save()
    assert draft.pk in found("prototype")
    Listing.objects.filter(pk=draft.pk).update(status=Listing.Status.ARCHIVED)
    assert draft.pk not in found("prototype")


def test_raw_sql_writes_are_followed_too(search_world):
    jacket = search_world["listings"]["jacket"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_listing SET title_en = 'Tweed overcoat' WHERE id = %s", [jacket.pk])
    assert jacket.pk in found("tweed")


def test_a_lapsed_certification_leaves_search_the_day_after_its_date(search_world, monkeypatch):
    """Passing `certified_until` changes no row; the daily sweep only looks at documents. The
    public query drops suppliers past their date, so their listings leave search that day."""
    guanggu = search_world["suppliers"]["guanggu"]
    fiber = search_world["listings"]["fiber"]
    today = timezone.localdate()
    Supplier.objects.filter(pk=guanggu.pk).update(certified_until=today)
    assert fiber.pk in found("fiber")
    assert Listing.objects.public().filter(pk=fiber.pk).exists()

    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    certifications_expiry_sweep(today=tomorrow)
    assert Supplier.objects.get(pk=guanggu.pk).status == Supplier.Status.CERTIFIED  # the sweep left it as is
    assert fiber.pk not in found("fiber")
    assert fiber.pk not in found()
    assert not Listing.objects.public().filter(pk=fiber.pk).exists()
    result = listing_search(text="guanggu", with_suppliers=True)
    assert result.suppliers == []


def test_rebuild_recomputes_every_column_set_based(search_world, django_assert_max_num_queries):
    listings = search_world["listings"]
    with connection.cursor() as cursor:  # what a bulk load with triggers off leaves behind
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        cursor.execute(
            "UPDATE catalog_listing SET is_public = false, belt_id = NULL, province = '', level_rank = 0, "
            "price_from = NULL, search_vector = NULL"
        )
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
        cursor.execute("DELETE FROM catalog_searchword")
    assert found("laser") == set()

    # A fixed list of statements, however many rows (the vocabulary counted in parallel: seven).
    with django_assert_max_num_queries(23):
        changed = rebuild_denormalised()

    assert changed == Listing.objects.count()
    fiber = fresh(listings["fiber"])
    assert (fiber.is_public, fiber.belt_id, fiber.province, fiber.level_rank, fiber.price_from) == (
        True, search_world["belts"]["wuhan"].pk, "CN-HB", 1, Decimal("91000.00"),
    )  # fmt: skip
    assert not fresh(search_world["hidden"]["draft"]).is_public
    assert found("laser") == {listings["fiber"].pk, listings["co2"].pk, listings["tube"].pk}
    assert listing_search(text="lazer").text.corrected == "laser"  # the vocabulary is back
    assert rebuild_denormalised() == 0  # nothing left to change


def test_rebuild_computes_exactly_what_the_triggers_computed(search_world):
    assert rebuild_denormalised() == 0


@pytest.mark.parametrize("level", ["verified", "certified_origin", "audited_factory"])
def test_every_public_level_is_public(db, level):
    listing = f.ListingFactory(supplier=f.SupplierFactory(certification_level=level))
    assert fresh(listing).is_public
    assert fresh(listing).level_rank == {"verified": 1, "certified_origin": 2, "audited_factory": 3}[level]
