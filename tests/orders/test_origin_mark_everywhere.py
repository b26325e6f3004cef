"""The certified-origin mark is one stored fact shown everywhere: the listing page, the search cards
and its "certified origin only" filter, the API (list, search, detail) and the purchase order PDF.
Every change of a fact behind it (downgrade, suspension, expiry, a site that moves, a company that
turns out to trade) takes it off all of them at once, in the transaction of the change."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from suppliers.models import CertificationLevel, SupplierEvent
from suppliers.services import (
    production_site_change,
    supplier_certification_expire,
    supplier_details_change,
    supplier_downgrade,
)
from tests import factories as f
from tests.conftest import client_for
from tests.orders.factories import OrderLineFactory, order_at
from tests.suppliers.factories import certified_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(belt, category, staff, buyer):
    """A certified origin manufacturer's listing at its verified site, and a confirmed order of it."""
    supplier = certified_supplier(belt, staff)
    listing = f.ListingFactory(supplier=supplier, category=category, title_en="Fibre laser cutter 3015")
    listing.production_site = supplier.sites.get()
    listing.save(update_fields=["production_site"])
    order = order_at("confirmed", buyer=buyer, supplier=supplier, lines=[])
    OrderLineFactory(order=order, listing=listing, title=listing.title_en)
    return listing, order


def everywhere(client, buyer, listing, order) -> dict[str, bool]:
    """Where the mark shows for `listing`, place by place."""
    page = client.get(reverse("catalog:listing_detail", args=[listing.pk])).content.decode()
    search = client.get(reverse("catalog:search"), {"q": "laser"}).content.decode()
    filtered = client.get(reverse("catalog:search"), {"q": "laser", "origin": "on"}).content.decode()
    api_detail = client.get(f"/api/v1/listings/{listing.pk}/").json()
    api_search = client.get("/api/v1/listings/", {"q": "laser", "origin": "true"}).json()
    pdf = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number])).content
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return {
        "page": 'data-testid="certified-origin"' in page,
        "search card": 'data-testid="certified-origin"' in search,
        "origin filter": f'data-listing="{listing.pk}"' in filtered,
        "api detail": api_detail["certified_origin"],
        "api origin filter": any(row["id"] == listing.pk for row in api_search["results"]),
        "pdf": "Certified origin" in pdf_text,
    }


def test_the_mark_shows_everywhere_for_a_certified_origin_manufacturers_listing(client, buyer, origin):
    listing, order = origin
    assert everywhere(client, buyer, listing, order) == dict.fromkeys(
        ("page", "search card", "origin filter", "api detail", "api origin filter", "pdf"), True
    )


def _downgrade(listing, staff):
    supplier_downgrade(
        listing.supplier_id, to_level=CertificationLevel.VERIFIED, kind=SupplierEvent.Kind.DOWNGRADED,
        reason="Audit finding: production subcontracted", data={}, actor=staff,
    )  # fmt: skip


def _move_site(listing, staff):
    production_site_change(site=listing.production_site, actor=staff, reason="Moved to Guangdong", province="CN-GD")


def _trading(listing, staff):
    supplier_details_change(
        supplier=listing.supplier, actor=staff, reason="Licence scope: trade only", business_type="trading"
    )


@pytest.mark.parametrize(
    "change", [_downgrade, _move_site, _trading], ids=["downgrade to verified", "site moved", "trading company"]
)
def test_after_a_change_of_a_fact_no_place_shows_the_mark(client, buyer, staff, origin, change):
    listing, order = origin
    change(listing, staff)
    shown = everywhere(client, buyer, listing, order)
    assert not any(shown.values()), shown


def test_after_expiry_the_listing_is_gone_and_the_order_pdf_no_longer_claims_the_mark(client, buyer, origin):
    listing, order = origin
    later = listing.supplier.certified_until + datetime.timedelta(days=1)
    assert supplier_certification_expire(listing.supplier_id, today=later)
    listing.refresh_from_db()
    assert listing.origin_mark is False and listing.is_public is False
    pdf = client_for(buyer).get(reverse("orders:order_pdf", args=[order.number])).content
    assert "Certified origin" not in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_certificate_page_and_api_state_the_badge_the_facts_support_not_the_level_once_decided(
    client, staff, origin
):
    listing, _order = origin
    code = listing.supplier.current_certification.code
    _trading(listing, staff)
    page = client.get(f"/verify/{code}/").content.decode()
    assert 'data-testid="certificate-level">Verified<' in page
    assert "Certified origin manufacturer" not in page
    assert client.get(f"/api/v1/verify/{code}/").json()["company"]["certification_level"] == "verified"
