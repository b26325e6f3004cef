"""Regional-brand licences: the grant, renewal and revocation rules, the mark on every page that shows
listings (derived from the current facts, never served stale from the page cache), and the public
licence check."""

import datetime
import re

import pytest
from django.db import connection
from django.db.utils import InternalError
from django.test import Client
from django.utils import timezone

from catalog.figures import belt_figures_count
from marketplace.exceptions import ConflictError, ForbiddenError, UnprocessableError
from suppliers.models import BrandLicence, BrandLicenceEvent, Supplier
from suppliers.services import brand_licence_grant, brand_licence_renew, brand_licence_revoke
from tests import factories as f

from .factories import pdf_upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def scope(category):
    return [category]


@pytest.fixture
def listing(supplier, category):
    listing = f.ListingFactory(supplier=supplier, category=category, title_en="Fiber laser cutting machine 3015")
    belt_figures_count()
    return listing


def grant(supplier, operator, categories, **kwargs):
    kwargs.setdefault("valid_until", TODAY() + datetime.timedelta(days=365))
    return brand_licence_grant(
        supplier=supplier, actor=operator, categories=categories, document=pdf_upload("licence.pdf"), **kwargs
    )


def marks_on(html: str) -> list[str]:
    """The brand marks a page shows (cards, the listing's own, the profile's)."""
    return re.findall(r'data-testid="(?:profile-)?brand-mark"[^>]*>® ([^<]+)<', html)


def pages(listing) -> dict[str, str]:
    return {
        "listing": f"/listings/{listing.pk}/",
        "belt": f"/belts/{listing.supplier.belt.slug}/",
        "search": "/search/?q=laser",
        "home": "/",
        "supplier": f"/suppliers/{listing.supplier.slug}/",
    }


def anonymous_marks(listing) -> dict[str, list[str]]:
    client = Client()
    return {name: marks_on(client.get(url).content.decode()) for name, url in pages(listing).items()}


# --- the services --------------------------------------------------------------------------------


def test_grant_records_the_licence_its_scope_its_checked_document_and_an_event(supplier, operator, scope):
    licence = grant(supplier, operator, scope)
    assert licence.number.startswith("BL-") and len(licence.number) == 14
    assert licence.belt_id == supplier.belt_id
    assert (licence.mark_en, licence.mark_zh) == (supplier.belt.brand_en, supplier.belt.brand_zh)
    assert list(licence.categories.all()) == scope
    assert licence.file_check == "clean" and licence.document.name.endswith(".pdf")  # checked (eagerly in tests)
    assert licence.document_name == "licence.pdf"
    event = BrandLicenceEvent.objects.get(licence=licence)
    assert (event.kind, event.actor) == ("granted", operator)
    assert event.data["categories"] == [c.pk for c in scope]


def test_another_belts_operator_a_supplier_and_a_buyer_cannot_grant(supplier, scope, supplier_member, buyer):
    stranger = f.BeltOperatorFactory().user  # operates another belt
    for actor in (stranger, supplier_member, buyer):
        with pytest.raises(ForbiddenError):
            grant(supplier, actor, scope)
    assert not BrandLicence.objects.exists()


def test_staff_may_grant_in_any_belt(supplier, staff, scope):
    assert grant(supplier, staff, scope).granted_by == staff


@pytest.mark.parametrize("status", ["under_verification", "suspended", "expired", "rejected"])
def test_only_a_certified_member_can_be_licensed(belt, operator, scope, status):
    supplier = f.SupplierFactory(belt=belt, status=status)
    with pytest.raises(ConflictError):
        grant(supplier, operator, scope)


def test_a_member_whose_certificate_ended_cannot_be_licensed(belt, operator, scope):
    supplier = f.SupplierFactory(belt=belt, certified_until=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ConflictError):
        grant(supplier, operator, scope)


def test_a_second_licence_of_the_same_kind_is_refused_until_the_first_is_revoked(supplier, operator, scope):
    first = grant(supplier, operator, scope)
    with pytest.raises(ConflictError):
        grant(supplier, operator, scope)
    brand_licence_revoke(licence=first, actor=operator, reason="Counterfeit packaging found")
    assert grant(supplier, operator, scope).pk != first.pk


def test_a_geographical_indication_needs_its_name_and_may_sit_beside_the_brand(supplier, operator, scope):
    with pytest.raises(UnprocessableError):
        grant(supplier, operator, scope, kind="geographical_indication")
    gi = grant(
        supplier, operator, scope, kind="geographical_indication", mark_en="Turpan raisins", mark_zh="吐鲁番葡萄干"
    )
    brand = grant(supplier, operator, scope)
    assert {gi.mark_en, brand.mark_en} == {"Turpan raisins", "Hubei laser"}


def test_scope_and_period_are_checked(supplier, operator, category):
    with pytest.raises(UnprocessableError):
        grant(supplier, operator, [])
    supplier.main_categories.add(category)
    elsewhere = f.CategoryFactory()  # not a category of the belt once the belt has categories
    with pytest.raises(UnprocessableError):
        grant(supplier, operator, [elsewhere])
    with pytest.raises(UnprocessableError):
        grant(supplier, operator, [category], valid_until=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(UnprocessableError):
        grant(supplier, operator, [category], valid_until=TODAY() + datetime.timedelta(days=3700))
    subcategory = f.CategoryFactory(parent=category)
    assert grant(supplier, operator, [subcategory]).pk  # a subcategory of the belt's categories is in


def test_a_document_refused_by_its_first_bytes_stores_nothing(supplier, operator, scope):
    from django.core.exceptions import ValidationError

    from .factories import text_upload

    with pytest.raises(ValidationError):
        brand_licence_grant(
            supplier=supplier, actor=operator, categories=scope, document=text_upload("licence.pdf"),
            valid_until=TODAY() + datetime.timedelta(days=30),
        )  # fmt: skip
    assert not BrandLicence.objects.exists()


def test_renewal_extends_the_period_and_a_lapsed_licence_starts_again_today(supplier, operator, scope):
    licence = grant(supplier, operator, scope, valid_from=TODAY() - datetime.timedelta(days=30),
                    valid_until=TODAY() + datetime.timedelta(days=10))  # fmt: skip
    with pytest.raises(UnprocessableError):
        brand_licence_renew(licence=licence, actor=operator, valid_until=licence.valid_until)
    renewed = brand_licence_renew(licence=licence, actor=operator, valid_until=TODAY() + datetime.timedelta(days=400))
    assert renewed.valid_from == TODAY() - datetime.timedelta(days=30)  # continuous: the start stays
    BrandLicence.objects.filter(pk=licence.pk).update(
        valid_from=TODAY() - datetime.timedelta(days=500), valid_until=TODAY() - datetime.timedelta(days=2)
    )
    again = brand_licence_renew(licence=licence, actor=operator, valid_until=TODAY() + datetime.timedelta(days=30))
    assert again.valid_from == TODAY()  # the gap is not covered
    assert list(licence.events.values_list("kind", flat=True)) == ["granted", "renewed", "renewed"]


def test_revocation_needs_a_reason_is_recorded_and_is_final(supplier, operator, scope):
    licence = grant(supplier, operator, scope)
    with pytest.raises(UnprocessableError):
        brand_licence_revoke(licence=licence, actor=operator, reason="  ")
    revoked = brand_licence_revoke(licence=licence, actor=operator, reason="Sold another region's goods")
    assert revoked.status == "revoked" and revoked.revoked_at and revoked.revoke_reason
    assert brand_licence_revoke(licence=licence, actor=operator, reason="again").revoke_reason == (
        "Sold another region's goods"
    )  # revoking twice changes nothing
    with pytest.raises(ConflictError):
        brand_licence_renew(licence=licence, actor=operator, valid_until=TODAY() + datetime.timedelta(days=900))
    assert list(licence.events.values_list("kind", "reason")) == [
        ("granted", ""),
        ("revoked", "Sold another region's goods"),
    ]


def test_licence_events_cannot_be_changed_or_deleted(supplier, operator, scope):
    grant(supplier, operator, scope)
    event = BrandLicenceEvent.objects.get()
    with pytest.raises(InternalError), connection.cursor() as cursor:
        cursor.execute("UPDATE suppliers_brandlicenceevent SET reason = 'rewritten' WHERE id = %s", [event.pk])


# --- the mark on every page ----------------------------------------------------------------------


def test_the_mark_shows_on_the_listing_cards_profile_and_api_of_a_licensed_member(
    listing, supplier, operator, scope, client
):
    assert anonymous_marks(listing) == {name: [] for name in pages(listing)}
    licence = grant(supplier, operator, scope)
    shown = anonymous_marks(listing)
    assert shown["listing"] == ["Hubei laser"]
    assert shown["belt"] == shown["search"] == shown["home"] == ["Hubei laser"]
    assert shown["supplier"] == ["Hubei laser", "Hubei laser"]  # the profile's own mark and its listing's card
    detail = client.get(f"/api/v1/listings/{listing.pk}/").json()
    assert detail["brand_mark"] == {
        "name_en": "Hubei laser", "name_zh": "湖北激光", "licence_number": licence.number,
        "verify_url": f"/verify/licences/{licence.number}/",
    }  # fmt: skip
    assert client.get("/api/v1/listings/").json()["results"][0]["brand_mark"]["licence_number"] == licence.number


def test_a_listing_outside_the_scope_carries_no_mark_and_a_subcategory_is_covered(
    supplier, operator, category, listing
):
    other = f.ListingFactory(supplier=supplier, category=f.CategoryFactory(), title_en="Laser marking head")
    sub = f.ListingFactory(supplier=supplier, category=f.CategoryFactory(parent=category), title_en="Laser nozzle")
    grant(supplier, operator, [category])
    assert marks_on(Client().get(f"/listings/{other.pk}/").content.decode()) == []
    assert marks_on(Client().get(f"/listings/{sub.pk}/").content.decode()) == ["Hubei laser"]


def test_the_mark_is_in_chinese_on_chinese_pages(listing, supplier, operator, scope):
    grant(supplier, operator, scope)
    page = Client(headers={"accept-language": "zh-hans"}).get(f"/listings/{listing.pk}/").content.decode()
    assert marks_on(page) == ["湖北激光"]


def test_revocation_drops_the_mark_on_the_very_next_anonymous_request_served_from_the_cache(
    listing, supplier, operator, scope
):
    licence = grant(supplier, operator, scope)
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]  # now from the cache
    brand_licence_revoke(licence=licence, actor=operator, reason="Quality complaints upheld")
    assert anonymous_marks(listing) == {name: [] for name in pages(listing)}
    assert Client().get(f"/api/v1/listings/{listing.pk}/").json()["brand_mark"] is None


def test_a_narrowed_scope_drops_the_mark_at_once(listing, supplier, operator, category):
    other = f.CategoryFactory()
    licence = grant(supplier, operator, [category, other])
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]
    brand_licence_renew(licence=licence, actor=operator, valid_until=licence.valid_until + datetime.timedelta(days=1),
                        categories=[other])  # fmt: skip
    assert anonymous_marks(listing)["listing"] == []


def test_an_expired_licence_drops_the_mark_the_day_after_its_end_though_the_page_was_cached(
    listing, supplier, operator, scope, monkeypatch
):
    grant(supplier, operator, scope, valid_until=TODAY() + datetime.timedelta(days=3))
    before = anonymous_marks(listing)
    assert before["listing"] == before["belt"] == ["Hubei laser"]  # cached on its last days
    last_day = TODAY() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: last_day)
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: last_day + datetime.timedelta(days=1))
    assert anonymous_marks(listing)["listing"] == []  # no write happened: the key holds the day
    response = Client().get(f"/listings/{listing.pk}/", headers={"if-none-match": "*"})
    assert response.status_code == 200  # an ETag of yesterday's page does not match today's


def test_a_licence_not_yet_valid_shows_no_mark_until_its_first_day(listing, supplier, operator, scope, monkeypatch):
    start = TODAY() + datetime.timedelta(days=2)
    grant(supplier, operator, scope, valid_from=start, valid_until=start + datetime.timedelta(days=30))
    assert anonymous_marks(listing)["listing"] == []
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: start)
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]


@pytest.mark.parametrize("lapse", ["suspended", "expired", "date"])
def test_a_lapsed_certification_drops_the_mark_at_once(listing, supplier, operator, scope, lapse):
    grant(supplier, operator, scope)
    assert anonymous_marks(listing)["listing"] == ["Hubei laser"]
    if lapse == "date":
        Supplier.objects.filter(pk=supplier.pk).update(certified_until=TODAY() - datetime.timedelta(days=1))
    else:
        Supplier.objects.filter(pk=supplier.pk).update(status=lapse)
    # The listing itself is no longer public; the supplier previews it, without the mark.
    member = f.SupplierMemberFactory(supplier=supplier).user
    client = Client()
    client.force_login(member)
    assert marks_on(client.get(f"/listings/{listing.pk}/").content.decode()) == []
    assert Client().get(f"/listings/{listing.pk}/").status_code == 404
    public = Client().get(f"/verify/licences/{BrandLicence.objects.get().number}/").content.decode()
    assert 'data-testid="licence-holder-lapsed"' in public


def test_a_member_moved_to_another_belt_loses_that_belts_mark(listing, supplier, operator, scope):
    grant(supplier, operator, scope)
    Supplier.objects.filter(pk=supplier.pk).update(belt=f.BeltFactory())
    assert marks_on(Client().get(f"/listings/{listing.pk}/").content.decode()) == []


# --- the public check ----------------------------------------------------------------------------


def test_the_public_check_shows_holder_mark_scope_validity_and_status(supplier, operator, category):
    licence = grant(supplier, operator, [category])
    page = Client().get(f"/verify/licences/{licence.number}/")
    html = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    assert 'data-verdict="valid"' in html and supplier.name_en in html and category.name_en in html
    assert licence.valid_until.isoformat() in html
    assert 'data-testid="licence-qr"' in html  # a printed licence or label can carry the check's QR code
    api = Client().get(f"/api/v1/verify/licences/{licence.number.lower()}/").json()  # typed in any case
    assert api["status"] == "valid" and api["mark_shown"] is True
    assert api["holder"]["slug"] == supplier.slug and api["scope"][0]["slug"] == category.slug
    brand_licence_revoke(licence=licence, actor=operator, reason="Breach of the brand rules")
    assert 'data-verdict="revoked"' in Client().get(f"/verify/licences/{licence.number}/").content.decode()
    assert Client().get(f"/api/v1/verify/licences/{licence.number}/").json()["status"] == "revoked"


def test_an_expired_licence_says_so(supplier, operator, scope):
    licence = grant(supplier, operator, scope)
    BrandLicence.objects.filter(pk=licence.pk).update(
        valid_from=TODAY() - datetime.timedelta(days=60), valid_until=TODAY() - datetime.timedelta(days=1)
    )
    assert 'data-verdict="expired"' in Client().get(f"/verify/licences/{licence.number}/").content.decode()
    assert Client().get(f"/api/v1/verify/licences/{licence.number}/").json()["status"] == "expired"


def test_an_unknown_number_is_a_404_and_the_lookup_form_takes_a_licence_number(supplier, operator, scope):
    assert Client().get("/verify/licences/BL-00000-00000/").status_code == 404
    assert Client().get("/verify/licences/nonsense/").status_code == 404
    assert Client().get("/api/v1/verify/licences/BL-00000-00000/").status_code == 404
    licence = grant(supplier, operator, scope)
    typed = licence.number.lower().replace("-", " ")
    response = Client().get("/verify/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/verify/licences/{licence.number}/"


def test_public_check_query_budget(supplier, operator, scope, django_assert_max_num_queries):
    licence = grant(supplier, operator, [*scope, f.CategoryFactory(), f.CategoryFactory()])
    with django_assert_max_num_queries(2):  # the licence with holder and belt; its scope
        assert Client().get(f"/verify/licences/{licence.number}/").status_code == 200
    with django_assert_max_num_queries(2):
        assert Client().get(f"/api/v1/verify/licences/{licence.number}/").status_code == 200
