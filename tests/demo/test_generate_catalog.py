"""`generate_catalog`: a realistic generated catalog loaded with COPY, whose rows keep every
constraint and rule of the catalog, and whose public listings are exactly the published listings
of suppliers with a current certification."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from stdnum.cn import uscc as uscc_number

from belts.models import Category
from catalog.models import Listing, ListingVariant, PriceTier
from catalog.rules import Tier, validate_tiers
from demo.generator.plans import GENERATED_SLUG_PREFIX
from suppliers.models import Certification, ProductionSite, Supplier, SupplierEvent

pytestmark = pytest.mark.django_db

LISTINGS = 300
SUPPLIERS = 30
CJK = re.compile(r"[\u4e00-\u9fff]")


def _generate(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "generate_catalog", "--listings", str(LISTINGS), "--suppliers", str(SUPPLIERS), "--batch", "120",
        *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def _validate(obj) -> None:
    """Field rules (choices, lengths, validators). Check and unique constraints were enforced by
    PostgreSQL during the COPY; foreign keys are checked above with one query each."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def _orphans(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_generates_the_rows_with_progress_and_total_time(demo_catalog):
    output = _generate()

    assert Listing.objects.count() == LISTINGS
    assert Supplier.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == SUPPLIERS
    # Progress per batch of 120: rows done, rate and ETA; then the total time.
    progress = re.findall(r"listings\s+([\d,]+) / 300 .* rows/s .* ETA", output)
    assert progress == ["120", "240", "300"]
    assert re.search(r"Generated 300 listings in \d+:\d\d", output)
    # Every belt the generator can place gets suppliers, the one known only by its words included.
    belts = set(Supplier.objects.values_list("belt__slug", flat=True))
    assert belts == {"wuhan-laser", "wenzhou-menswear", "keqiao-fabrics"}
    keqiao = Listing.objects.filter(supplier__belt=demo_catalog)
    assert keqiao.exists()
    assert set(keqiao.values_list("category__parent__slug", flat=True)) == {"textiles"}


def test_every_constraint_and_quantity_rule_holds(demo_catalog):
    _generate()
    # Everything was copied with triggers off: no foreign key may point nowhere.
    assert not _orphans(
        "SELECT count(*) FROM catalog_listing l LEFT JOIN suppliers_supplier s ON s.id = l.supplier_id "
        "LEFT JOIN belts_category c ON c.id = l.category_id WHERE s.id IS NULL OR c.id IS NULL"
    )
    assert not _orphans(
        "SELECT count(*) FROM catalog_listing l LEFT JOIN suppliers_productionsite p ON p.id = l.production_site_id "
        "WHERE l.production_site_id IS NOT NULL AND (p.id IS NULL OR p.supplier_id <> l.supplier_id)"
    )
    for model in (PriceTier, ListingVariant):
        assert not model.objects.exclude(listing_id__in=Listing.objects.values("pk")).exists()
    for model in (Certification, ProductionSite, SupplierEvent):
        assert not model.objects.exclude(supplier_id__in=Supplier.objects.values("pk")).exists()
    certified = Supplier.objects.exclude(current_certification=None)
    assert not certified.exclude(current_certification__in=Certification.objects.values("pk")).exists()
    assert not certified.exclude(current_certification__supplier=F("pk")).exists()
    assert not Supplier.main_categories.through.objects.exclude(category__in=Category.objects.all()).exists()

    listings = Listing.objects.prefetch_related("tiers", "variants").select_related("supplier", "production_site")
    for listing in listings:
        _validate(listing)
        tiers = [Tier(t.min_quantity, t.unit_price) for t in listing.tiers.all()]
        assert 1 <= len(tiers) <= 4
        assert validate_tiers(tiers, moq=listing.moq) == []
        assert all(q % listing.order_multiple == 0 for q in [listing.moq, *(t.min_quantity for t in tiers)])
        assert CJK.search(listing.title_zh)
        assert not CJK.search(listing.title_en)
        if listing.production_site:
            assert listing.production_site.province == listing.supplier.belt.province
        for variant in listing.variants.all():
            _validate(variant)
    for model in (Supplier, Certification, ProductionSite, SupplierEvent):
        for row in model.objects.all():
            _validate(row)
    for supplier in Supplier.objects.all():
        assert uscc_number.is_valid(supplier.uscc)
        if supplier.is_publicly_certified():
            assert supplier.current_certification.level == supplier.certification_level
            assert supplier.current_certification.is_current()

    # A realistic spread: tiers, variants, samples, both currencies, two years of listings.
    assert PriceTier.objects.count() > LISTINGS * 2
    assert ListingVariant.objects.exists()
    assert Listing.objects.filter(sample_available=True).exists()
    assert Listing.objects.filter(moq_mode="per_variant").exists()
    oldest, newest = (
        Listing.objects.order_by(order).values_list("created_at", flat=True)[0]
        for order in ("created_at", "-created_at")
    )
    assert (newest - oldest).days > 600


def test_public_listings_are_the_published_listings_of_currently_certified_suppliers(demo_catalog):
    _generate()

    expected = {
        listing.pk
        for listing in Listing.objects.select_related("supplier")
        if listing.status == "published" and listing.supplier.is_publicly_certified()
    }
    public = set(Listing.objects.public().values_list("pk", flat=True))
    assert public == expected
    assert len(public) > LISTINGS / 2
    # Some suppliers are not (or no longer) certified; their listings, even published ones, stay hidden.
    hidden = Listing.objects.exclude(pk__in=public)
    assert hidden.filter(status="published").exists()
    assert hidden.exclude(supplier__status="certified").exists()
    # The denormalised columns the search pages filter on agree with the queryset.
    assert set(Listing.objects.filter(is_public=True).values_list("pk", flat=True)) == public


def test_a_second_run_refuses_unless_told_to_append(demo_catalog):
    _generate()

    with pytest.raises(CommandError, match="--append"):
        _generate()
    assert Listing.objects.count() == LISTINGS

    _generate("--append")
    assert Listing.objects.count() == 2 * LISTINGS
    assert Supplier.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).count() == 2 * SUPPLIERS


def test_refuses_without_belts_and_categories(db):
    with pytest.raises(CommandError, match="seed_demo"):
        _generate()


def _derived() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, is_public, belt_id, province, level_rank, origin_mark, price_from, search_vector::text "
            "FROM catalog_listing"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def test_derived_columns_are_what_the_listing_trigger_computes(demo_catalog):
    """The load computes the denormalised columns and search vectors set-based (with the CJK
    tokens made in Python); the listing trigger, made to recompute every row, agrees."""
    _generate()
    loaded = _derived()
    assert all(row[-1] for row in loaded.values())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_listing SET search_vector = NULL")
    assert _derived() == loaded


def test_a_load_with_triggers_off_still_changes_every_page_version(demo_catalog):
    """The load turns triggers off, the page versions' with the rest: it bumps every scope itself,
    so no page cached before it is served after it (marketplace.pagecache)."""
    from marketplace.pagecache.models import PageVersion

    before = dict(PageVersion.objects.values_list("scope", "version"))
    assert {"site", "belt:wuhan-laser"} <= set(before)
    _generate()
    after = dict(PageVersion.objects.values_list("scope", "version"))
    assert {"site", "search"} <= set(after)
    assert all(after[scope] != version for scope, version in before.items())
