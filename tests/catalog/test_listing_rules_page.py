"""The listing page as a buyer reads it: the certified-origin mark, the wholesale quantity rules in
words, specifications and variants, and the price of a typed quantity (the htmx fragment)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Listing, ListingVariant
from suppliers.models import CertificationLevel, ProductionSite, SupplierEvent
from suppliers.services import production_site_change, supplier_certification_expire, supplier_downgrade
from tests import factories as f
from tests.conftest import client_for
from tests.suppliers.factories import certified_supplier

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _site(supplier, *, province="CN-HB", verified=True) -> ProductionSite:
    return ProductionSite.objects.create(
        supplier=supplier,
        name="Optics Valley plant",
        address="1 Guanggu Avenue",
        province=province,
        city="Wuhan",
        products="Laser cutters",
        is_verified=verified,
        verified_at=timezone.now() if verified else None,
    )


def _variants(listing, *rows) -> list[ListingVariant]:
    return [ListingVariant.objects.create(listing=listing, position=i, **row) for i, row in enumerate(rows)]


def _url(listing) -> str:
    return reverse("catalog:listing_detail", args=[listing.pk])


# --- the certified-origin mark, as pages show it -------------------------------------------------
# The rule itself is `suppliers.badges.supplier_badge`, held by tests/suppliers/test_badges.py;
# here each fact changes through its service and the listing's stored mark and page follow.


@pytest.fixture
def origin_listing(belt, category, staff):
    """A listing that earns the mark: made at the verified site, inside the belt's province, of a
    supplier certified as an origin manufacturer through the services."""
    supplier = certified_supplier(belt, staff)
    listing = f.ListingFactory(supplier=supplier, category=category)
    listing.production_site = supplier.sites.get()
    listing.save(update_fields=["production_site"])
    return listing


def _mark(listing) -> bool:
    return Listing.objects.get(pk=listing.pk).certified_origin


def test_certified_origin_when_supplier_certified_site_verified_and_inside_the_belts_province(origin_listing):
    assert _mark(origin_listing) is True


def test_no_certified_origin_without_a_production_site(origin_listing):
    origin_listing.production_site = None
    origin_listing.save(update_fields=["production_site"])
    assert _mark(origin_listing) is False


def test_no_certified_origin_when_the_site_is_no_longer_verified(origin_listing, staff):
    production_site_change(site=origin_listing.production_site, actor=staff, reason="Plant closed", is_verified=False)
    assert _mark(origin_listing) is False


def test_no_certified_origin_when_the_site_moves_outside_the_belts_province(origin_listing, staff):
    production_site_change(site=origin_listing.production_site, actor=staff, reason="Moved", province="CN-GD")
    assert _mark(origin_listing) is False


def test_no_certified_origin_once_the_certification_has_expired(origin_listing):
    later = origin_listing.supplier.certified_until + datetime.timedelta(days=1)
    assert supplier_certification_expire(origin_listing.supplier_id, today=later)
    assert _mark(origin_listing) is False


def test_no_certified_origin_when_the_supplier_is_suspended_or_lowered(origin_listing, staff):
    supplier_downgrade(
        origin_listing.supplier_id, to_level=CertificationLevel.VERIFIED, kind=SupplierEvent.Kind.DOWNGRADED,
        reason="Audit finding", data={}, actor=staff,
    )  # fmt: skip
    assert _mark(origin_listing) is False


def test_no_certified_origin_for_a_site_of_another_company(origin_listing, belt, staff):
    other = certified_supplier(belt, staff)
    origin_listing.production_site = other.sites.get()
    origin_listing.save(update_fields=["production_site"])
    assert _mark(origin_listing) is False


def test_listing_page_shows_the_mark_and_the_site_only_where_it_applies(client, origin_listing, staff, category):
    html = client.get(_url(origin_listing)).content.decode()
    assert 'data-testid="certified-origin"' in html
    assert "Optics Valley plant" in html

    supplier = origin_listing.supplier
    outside = ProductionSite.objects.create(
        supplier=supplier, name="Guangzhou warehouse", address="9 Port Road", province="CN-GD", city="Guangzhou",
        products="Spare parts", is_verified=True, verified_at=timezone.now(),
    )  # fmt: skip
    elsewhere = f.ListingFactory(supplier=supplier, category=category, production_site=outside)
    html = client.get(_url(elsewhere)).content.decode()
    assert 'data-testid="certified-origin"' not in html
    assert 'data-testid="no-certified-origin"' in html


# --- rules in words, specifications, variants -----------------------------------------------------


def test_rules_in_words_for_a_mixed_batch_with_carton_packs(client, listing):
    listing.order_multiple = 12
    listing.save(update_fields=["order_multiple"])
    _variants(listing, {"colour": "Navy"}, {"colour": "Black"})
    html = client.get(_url(listing)).content.decode()
    assert "Minimum order: 10 pieces in total, mixed across variants (a mixed batch)." in html
    assert "Sold in multiples of 12 pieces: a full carton, roll or pack." in html


def test_rules_in_words_and_variant_moqs_for_per_variant_minimums(client, listing):
    listing.moq_mode = Listing.MoqMode.PER_VARIANT
    listing.save(update_fields=["moq_mode"])
    _variants(listing, {"size": "S"}, {"size": "XL", "moq": 30})
    response = client.get(_url(listing))
    html = response.content.decode()
    assert "Minimum order: 10 pieces of each variant you choose" in html
    assert "some variants have their own minimum" in html
    rows = [(variant.size, variant.moq or listing.moq) for variant, _ in response.context["check"].lines]
    assert rows == [("S", 10), ("XL", 30)]
    assert html.count('data-testid="variant-quantity"') == 2


def test_variant_table_shows_only_the_attributes_the_variants_use(client, listing):
    _variants(listing, {"model": "3015", "colour": "Grey"}, {"model": "4020", "colour": "Grey"})
    html = client.get(_url(listing)).content.decode()
    assert ">Model</th>" in html and ">Colour</th>" in html
    assert ">Size</th>" not in html


def test_specifications_are_named_in_the_readers_language(client, listing):
    listing.specifications = [
        {"name_en": "Laser power", "name_zh": "激光功率", "value": "3 kW"},
        {"name_en": "Working area", "name_zh": "", "value": "3000 × 1500 mm"},
        {"name_en": "Empty", "name_zh": "空", "value": ""},
    ]
    listing.save(update_fields=["specifications"])
    with translation.override("en"):
        assert listing.specification_rows() == [("Laser power", "3 kW"), ("Working area", "3000 × 1500 mm")]
    with translation.override("zh-hans"):
        # A name missing in Chinese falls back to English rather than showing a blank.
        assert listing.specification_rows() == [("激光功率", "3 kW"), ("Working area", "3000 × 1500 mm")]
    html = client.get(_url(listing), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "激光功率" in html


def test_sample_lead_time_capacity_and_oem_odm_are_shown(client, listing):
    Listing.objects.filter(pk=listing.pk).update(
        sample_available=True,
        sample_price=Decimal("35.00"),
        sample_fee_credited=True,
        monthly_capacity=800,
        lead_time_days=25,
        oem=True,
        odm=False,
        customisation_en="Logo engraving, colour of the cabinet",
    )
    html = client.get(_url(listing)).content.decode()
    assert "Available, CNY 35.00" in html and "credited on your bulk order" in html
    assert "25 days" in html and "800 piece" in html
    assert "OEM: your brand on our product" in html
    assert "Logo engraving" in html


# --- the price of a typed quantity ----------------------------------------------------------------


def test_typed_quantity_without_variants_gives_its_tier_total_and_no_message(client, listing):
    body = client.get(_url(listing), {"quantity": 150}, headers=HTMX).content.decode()
    assert "<html" not in body
    assert 'data-tier="100"' in body
    assert "CNY 90.00" in body
    assert "Total for 150 piece" in body and "CNY 13,500.00" in body
    assert 'data-testid="quantity-ok"' in body
    # The tier table's highlight moves with it (swapped out of band).
    assert 'hx-swap-oob="true"' in body and 'class="tier-active" aria-current="true" data-min="100"' in body


def test_typed_quantity_below_the_moq_says_so_and_has_no_tier(client, listing):
    body = client.get(_url(listing), {"quantity": 3}, headers=HTMX).content.decode()
    assert "The minimum order is 10 pieces (you entered 3)." in body
    assert "data-tier" not in body and 'data-testid="quantity-ok"' not in body
    # The nearest quantity the rules accept, as a link that fills the grid with it.
    assert "Nearest you can order:" in body and f'href="{_url(listing)}?quantity=10#quantity-form"' in body


def test_typed_quantity_that_is_not_a_carton_multiple_keeps_its_price_and_says_why(client, listing):
    listing.order_multiple = 6
    listing.save(update_fields=["order_multiple"])
    body = client.get(_url(listing), {"quantity": 100}, headers=HTMX).content.decode()
    assert 'data-tier="100"' in body and "CNY 9,000.00" in body
    assert "Sold in multiples of 6 pieces: 100 is not one." in body
    assert ">96 pieces</a>" in body and ">102 pieces</a>" in body
    ok = client.get(_url(listing), {"quantity": 102}, headers=HTMX).content.decode()
    assert 'data-testid="quantity-ok"' in ok


def test_unreadable_or_empty_quantity_gets_a_clear_message(client, listing):
    ten = client.get(_url(listing), {"quantity": "ten"}, headers=HTMX).content.decode()
    assert "“ten” is not a number: type a whole number such as 2000 or 2,000." in ten
    assert (
        "Type a quantity to see the price."
        in client.get(_url(listing), {"quantity": ""}, headers=HTMX).content.decode()
    )


def test_mixed_batch_quantities_per_variant_add_up_to_the_tier(client, listing):
    navy, black = _variants(listing, {"colour": "Navy"}, {"colour": "Black"})
    body = client.get(_url(listing), {f"q-{navy.pk}": 60, f"q-{black.pk}": 45}, headers=HTMX).content.decode()
    assert 'data-total="105"' in body and 'data-tier="100"' in body
    assert "CNY 9,450.00" in body and 'data-testid="quantity-ok"' in body
    # Together under the MOQ: the mixed-batch message.
    below = client.get(_url(listing), {f"q-{navy.pk}": 4, f"q-{black.pk}": 4}, headers=HTMX).content.decode()
    assert "The minimum order is 10 pieces in total, mixed across the variants (you entered 8)." in below
    assert "Navy 6 + Black 4 (10 pieces in all)" in below


def test_per_variant_minimums_name_the_variant_that_falls_short(client, listing):
    listing.moq_mode = Listing.MoqMode.PER_VARIANT
    listing.save(update_fields=["moq_mode"])
    small, large = _variants(listing, {"size": "S"}, {"size": "XL", "moq": 30})
    body = client.get(_url(listing), {f"q-{small.pk}": 10, f"q-{large.pk}": 20}, headers=HTMX).content.decode()
    assert "XL: the minimum is 30 pieces of this variant (you entered 20)." in body
    assert "S: the minimum" not in body
    # A variant left empty is simply not ordered.
    only_small = client.get(_url(listing), {f"q-{small.pk}": 10}, headers=HTMX).content.decode()
    assert 'data-testid="quantity-ok"' in only_small and 'data-tier="10"' in only_small


def test_page_with_variants_starts_with_empty_quantities_and_a_prompt(client, listing):
    _variants(listing, {"colour": "Navy"}, {"colour": "Black"})
    html = client.get(_url(listing)).content.decode()
    assert "Type a quantity for each variant you want to see the price." in html


def test_typed_quantity_is_kept_in_the_field_without_javascript(client, listing):
    navy, black = _variants(listing, {"colour": "Navy"}, {"colour": "Black"})
    html = client.get(_url(listing), {f"q-{navy.pk}": 70}).content.decode()
    assert f'name="q-{navy.pk}" value="70"' in html
    assert f'name="q-{black.pk}" value=""' in html


def test_tier_fragment_of_a_draft_is_404_for_others(client, supplier, category, other_member, supplier_member):
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT)
    assert client.get(_url(draft), {"quantity": 20}, headers=HTMX).status_code == 404
    assert client_for(other_member).get(_url(draft), {"quantity": 20}, headers=HTMX).status_code == 404
    assert client_for(supplier_member).get(_url(draft), {"quantity": 20}, headers=HTMX).status_code == 200
