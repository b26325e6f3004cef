"""No stale public page, as a rule over any sequence of changes (hypothesis).

After every step — the supplier certified, downgraded, suspended, its certificate expired; a listing
retitled, repriced, unpublished, published again, given a picture; the belt or the category renamed;
a synonym added; the supplier's figures recomputed — every public page and API answer an anonymous
visitor reads (home, belt, listing, supplier, search; listing, search, certification) is word for
word the answer made afresh without the cache, the CSRF token and the CSP nonce aside. The cache is
warm throughout: each page is read before every step.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from belts.models import Belt, Category
from catalog.models import Listing, ListingImage, PriceTier, SearchSynonym
from catalog.services import listing_publish, listing_unpublish
from catalog.synonyms import search_synonym_save
from marketplace.exceptions import ApplicationError
from suppliers.models import CertificationLevel, Supplier, SupplierFigures
from suppliers.services import supplier_certify
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

STEPS = st.lists(
    st.sampled_from(
        [
            *world.CERTIFICATION_STEPS,
            "retitle",
            "reprice",
            "unpublish",
            "publish",
            "picture",
            "rename_belt",
            "rename_category",
            "synonym",
            "figures",
        ]
    ),
    min_size=1,
    max_size=8,
)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')
NONCE = re.compile(r' nonce="[^"]*"')


def _without_token(html: str) -> str:
    """The page without what is each response's own: the CSRF token and the CSP nonce."""
    return NONCE.sub("", TOKEN.sub(r'\1"…"', html))


def _read_every_page(listing_id: int, supplier_slug: str, belt_slug: str, word: str) -> None:
    pages = [
        ("/", "en"),
        (f"/belts/{belt_slug}/", "zh-hans"),
        (f"/listings/{listing_id}/", "en"),
        (f"/listings/{listing_id}/", "zh-hans"),
        (f"/suppliers/{supplier_slug}/", "en"),
        (f"/suppliers/{supplier_slug}/", "zh-hans"),
        (f"/search/?q={word}", "en"),
        (f"/search/?q={word}&belt={belt_slug}", "zh-hans"),
        ("/search/?q=zipper", "en"),
        (f"/api/v1/listings/{listing_id}/", "en"),
        (f"/api/v1/listings/?q={word}", "zh-hans"),
        (f"/api/v1/suppliers/{supplier_slug}/certification/", "en"),
    ]
    for url, language in pages:
        served = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
        with override_settings(PAGE_CACHE_SECONDS=0):
            fresh = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert served.status_code == fresh.status_code, url
        assert _without_token(served.content.decode()) == _without_token(fresh.content.decode()), (url, language)


@pytest.fixture
def seller(belt, staff, category):
    """A verified supplier with one site in the belt and a public listing made there: built once for
    the test, as each example starts from it in a savepoint that is rolled back afterwards. Page
    versions come from a sequence, which a rollback does not take back, so no page cached in one
    example can be served in another for a state it does not show."""
    supplier, _member = world.application(belt, sites=1)
    supplier_certify(supplier=supplier, level=CertificationLevel.VERIFIED, actor=staff)
    listing = f.ListingFactory(
        supplier=supplier, category=category, production_site=supplier.sites.get(), title_en="Laser zip cutter"
    )
    return supplier.pk, listing.pk


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=["certify_origin", "downgrade"])  # the badge a buyer was promised goes at once
@example(steps=["certify_origin", "suspend"])
@example(steps=["certify_origin", "expire"])
@example(steps=["unpublish", "publish", "retitle"])
@example(steps=["synonym"])
def test_every_public_page_is_what_a_fresh_render_shows_after_every_step(belt, staff, category, seller, steps):
    sid = transaction.savepoint_create()
    try:
        supplier, listing = Supplier.objects.get(pk=seller[0]), Listing.objects.get(pk=seller[1])
        today = timezone.localdate()
        for number, step in enumerate(steps):
            _read_every_page(listing.pk, supplier.slug, belt.slug, "cutter")
            supplier.refresh_from_db()
            listing.refresh_from_db()
            try:
                if world.certification_step(step, supplier, staff, today):
                    pass  # certified, downgraded, suspended or expired, as staff and the sweep do
                elif step == "retitle":
                    Listing.objects.filter(pk=listing.pk).update(title_en=f"Laser zip cutter mark {number}")
                elif step == "reprice":
                    tier = PriceTier.objects.filter(listing=listing).order_by("min_quantity").first()
                    # The first tier's price: above the next tier's, as the tier rules want.
                    PriceTier.objects.filter(pk=tier.pk).update(unit_price=Decimal("120.00") + number)
                elif step == "unpublish":
                    listing_unpublish(listing=listing, actor=staff)
                elif step == "publish":
                    listing_publish(listing=listing, actor=staff)
                elif step == "picture":
                    ListingImage.objects.create(
                        file_check="clean",
                        listing=listing,
                        image=f"listings/{listing.pk}/p{number}.jpg",
                        position=number,
                    )
                elif step == "rename_belt":
                    Belt.objects.filter(pk=belt.pk).update(name_en=f"Wuhan optics valley laser belt {number}")
                elif step == "rename_category":
                    Category.objects.filter(pk=category.pk).update(name_en=f"Laser cutters {number}")
                elif step == "synonym":
                    search_synonym_save(actor=staff, synonym=SearchSynonym(terms=["zipper", "zip"], belt=None))
                elif step == "figures":
                    SupplierFigures.objects.update_or_create(
                        supplier=supplier,
                        defaults={
                            "inquiries": 40 + number,
                            "inquiry_response_rate": Decimal("0.9"),
                            "computed_at": timezone.now(),
                        },
                    )
            except (ApplicationError, ValidationError):
                pass  # a refused change changes nothing; the pages must still be true
        _read_every_page(listing.pk, supplier.slug, belt.slug, "cutter")
    finally:
        transaction.savepoint_rollback(sid)
