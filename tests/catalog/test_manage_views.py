"""The supplier's listing pages (/dashboard/listings/…): who may see them, what they do, what they cost.

Wiring and behaviour a person meets: the list with its tabs, counts, search and pages; the form
that keeps everything typed when a rule says no; the buttons (POST only) with their messages;
pictures; and every page and button tried by the wrong people (another supplier's member, a buyer,
a belt operator, staff, anonymous), who get 404 (or the sign-in page) and change nothing.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from catalog.models import Listing, ListingEvent, ListingImage
from catalog.rules import Tier
from catalog.services import listing_create, listing_image_add
from suppliers.models import Supplier
from tests import factories as f
from tests.conftest import client_for

LIST = "/dashboard/listings/"
NEW = "/dashboard/listings/new/"


def edit_url(listing) -> str:
    return f"/dashboard/listings/{listing.pk}/"


def form_data(category, *, tiers=((10, "120.00"), (100, "110.00")), variants=(), specs=(), **overrides):
    """What the browser posts: the listing's fields and the three inline tables with their counters."""
    data = {
        "title_en": "Fiber laser cutter 3015",
        "title_zh": "3015光纤激光切割机",
        "sku": "LC-3015",
        "category": category.pk,
        "description_en": "3 kW source.",
        "description_zh": "",
        "unit": "set",
        "currency": "CNY",
        "moq": "10",
        "moq_mode": "mixed",
        "order_multiple": "1",
        "lead_time_days": "20",
        "monthly_capacity": "",
        "sample_price": "",
        "production_site": "",
        "customisation_en": "",
        "customisation_zh": "",
    }
    data.update(overrides)
    for prefix, rows, keys in (
        ("tiers", tiers, ("min_quantity", "unit_price")),
        ("variants", variants, ("model", "size", "colour", "sku", "moq")),
        ("specs", specs, ("name_en", "name_zh", "value")),
    ):
        # Like the page: the rows typed, then one left blank (ignored).
        data |= {f"{prefix}-TOTAL_FORMS": str(len(rows) + 1), f"{prefix}-INITIAL_FORMS": "0"}
        for i, row in enumerate([*rows, ("",) * len(keys)]):
            data |= {f"{prefix}-{i}-{key}": value for key, value in zip(keys, row, strict=False)}
    return {k: v for k, v in data.items() if v is not False}


def flash(response) -> list[str]:
    """The messages the request left for the next page (the earliest not yet shown come first)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def owner(supplier_member):
    return client_for(supplier_member)


@pytest.fixture
def draft(supplier, supplier_member, category):
    return listing_create(
        supplier=supplier,
        actor=supplier_member,
        fields={"category": category, "title_en": "Secret prototype cutter", "title_zh": "秘密原型", "sku": "SECRET-1"},
        tiers=[Tier(1, Decimal("100"))],
    )


# --- who may see what -------------------------------------------------------------------------------


WRONG_PEOPLE = ("other_member", "buyer", "operator", "staff", "outsider")


def _actions(listing, image):
    base = edit_url(listing)
    return [
        ("get", base),
        ("post", base),
        *[("post", f"{base}{action}/") for action in ("publish", "unpublish", "archive", "restore", "duplicate")],
        ("post", f"{base}images/"),
        ("post", f"{base}images/{image.pk}/remove/"),
        ("post", f"{base}images/{image.pk}/first/"),
    ]


@pytest.mark.parametrize("who", WRONG_PEOPLE)
def test_the_wrong_people_get_404_on_every_page_and_button_of_a_listing_and_change_nothing(
    request, who, draft, category, supplier_member, sent
):
    image = listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload())
    client = client_for(request.getfixturevalue(who))
    events_before = ListingEvent.objects.count()
    for method, url in _actions(draft, image):
        data = form_data(category, title_en="Hacked") if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (who, method, url)
        assert b"Secret prototype" not in response.content
    draft.refresh_from_db()
    assert draft.title_en == "Secret prototype cutter" and draft.status == Listing.Status.DRAFT
    assert Listing.objects.count() == 1 and ListingImage.objects.count() == 1
    assert ListingEvent.objects.count() == events_before


@pytest.mark.parametrize("who", ("buyer", "operator", "staff", "outsider"))
def test_people_who_act_for_no_supplier_get_404_on_the_list_and_the_new_listing_page(request, who, category):
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, form_data(category)).status_code == 404
    assert not Listing.objects.exists()


def test_anonymous_is_sent_to_sign_in_everywhere(client, draft, category, supplier_member, sent):
    image = listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload())
    for method, url in [("get", LIST), ("get", NEW), ("post", NEW), *_actions(draft, image)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert Listing.objects.count() == 1


def test_another_suppliers_list_never_shows_this_suppliers_listings(draft, other_member):
    response = client_for(other_member).get(LIST, {"status": "draft"})
    assert response.status_code == 200
    assert b"Secret prototype" not in response.content
    assert client_for(other_member).get(LIST, {"q": "SECRET"}).context["page"].paginator.count == 0


def test_buttons_refuse_get(owner, draft):
    for action in ("publish", "unpublish", "archive", "restore", "duplicate"):
        assert owner.get(f"{edit_url(draft)}{action}/").status_code == 405
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT


# --- the list ---------------------------------------------------------------------------------------------


def test_list_has_status_tabs_with_counts_and_archived_is_apart(owner, supplier, category):
    f.ListingFactory(supplier=supplier, category=category, title_en="Published one")
    f.ListingFactory(supplier=supplier, category=category, title_en="Draft one", status=Listing.Status.DRAFT)
    f.ListingFactory(supplier=supplier, category=category, title_en="Old one", status=Listing.Status.ARCHIVED)
    response = owner.get(LIST)
    assert response.status_code == 200
    counts = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"active": 2, "draft": 1, "published": 1, "archived": 1}
    html = response.content.decode()
    assert "Published one" in html and "Draft one" in html and "Old one" not in html
    archived = owner.get(LIST, {"status": "archived"}).content.decode()
    assert "Old one" in archived and "Draft one" not in archived
    drafts = owner.get(LIST, {"status": "draft"}).content.decode()
    assert "Draft one" in drafts and "Published one" not in drafts


def test_list_searches_title_in_both_languages_and_sku(owner, supplier, category):
    f.ListingFactory(supplier=supplier, category=category, title_en="Laser welder", title_zh="激光焊接机", sku="W-1")
    f.ListingFactory(supplier=supplier, category=category, title_en="Laser marker", title_zh="激光打标机", sku="M-7")
    for query, expected in (("welder", "Laser welder"), ("打标", "Laser marker"), ("m-7", "Laser marker")):
        page = owner.get(LIST, {"q": query}).context["page"]
        assert [listing.title_en for listing in page] == [expected], query


def test_list_paginates(owner, supplier, category):
    for _ in range(23):
        f.ListingFactory(supplier=supplier, category=category)
    first = owner.get(LIST).context["page"]
    second = owner.get(LIST, {"page": 2}).context["page"]
    assert len(first) == 20 and len(second) == 3


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_list_query_budget_is_fixed_however_many_listings(owner, supplier, category):
    f.ListingFactory(supplier=supplier, category=category)
    few = _queries(owner, LIST)
    # session, user, supplier, tab counts, page count, rows (category joined), images, navigation's unread count
    assert few <= 8
    for i in range(19):
        listing = f.ListingFactory(supplier=supplier, category=category)
        ListingImage.objects.create(
            file_check="clean", listing=listing, image=f"listings/{i}.jpg", thumbnail=f"listings/t{i}.jpg"
        )
    assert _queries(owner, LIST) == few


def test_edit_page_query_budget_is_fixed_however_many_tiers_variants_and_pictures(owner, draft, supplier_member):
    few = _queries(owner, edit_url(draft))
    # session, user, supplier, listing, tiers, variants, pictures, certificates, categories, sites, nav count
    assert few <= 11
    from catalog.models import ListingVariant, PriceTier

    PriceTier.objects.bulk_create(PriceTier(listing=draft, min_quantity=q, unit_price=1) for q in range(2, 9))
    ListingVariant.objects.bulk_create(ListingVariant(listing=draft, model=f"M{i}") for i in range(8))
    ListingImage.objects.bulk_create(
        ListingImage(file_check="clean", listing=draft, image=f"listings/{i}.jpg") for i in range(6)
    )
    assert _queries(owner, edit_url(draft)) == few


# --- create and edit --------------------------------------------------------------------------------


def test_create_with_a_tier_error_keeps_everything_typed_and_shows_the_rule_beside_the_tiers(owner, category):
    data = form_data(
        category,
        tiers=[("10", "120.00"), ("100", "130.00")],  # a larger quantity costs more: refused
        variants=[("M-3", "", "red", "", "")],
        specs=[("Power", "功率", "3 kW")],
        sample_available="on",
        sample_price="500.00",
    )
    response = owner.post(NEW, data)
    assert response.status_code == 400
    assert not Listing.objects.exists()
    html = response.content.decode()
    tier_errors = re.search(r'data-testid="tiers-errors".*?</div>', html, re.S).group(0)
    assert "Tier 2: a larger quantity may not cost more per unit (130.00 is above 120.00)." in tier_errors
    # The row the rule names is marked, the first one is not.
    assert "is-invalid" in re.search(r'<input[^>]*name="tiers-1-unit_price"[^>]*>', html).group(0)
    assert "is-invalid" not in re.search(r'<input[^>]*name="tiers-0-unit_price"[^>]*>', html).group(0)
    for typed in ('value="Fiber laser cutter 3015"', 'value="3015光纤激光切割机"', 'value="LC-3015"', 'value="130.00"',
                  'value="M-3"', 'value="red"', 'value="功率"', 'value="3 kW"', 'value="500.00"'):  # fmt: skip
        assert typed in html, typed

    data["tiers-1-unit_price"] = "110.00"
    response = owner.post(NEW, data)
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(listing)
    assert [(t.min_quantity, t.unit_price) for t in listing.tiers.all()] == [(10, 120), (100, 110)]
    assert [v.model for v in listing.variants.all()] == ["M-3"]
    assert listing.specifications == [{"name_en": "Power", "name_zh": "功率", "value": "3 kW"}]
    assert listing.status == Listing.Status.DRAFT and listing.sample_price == Decimal("500.00")
    assert "Draft saved" in flash(response)[0]


def test_an_empty_post_to_the_new_and_edit_pages_is_a_form_error_not_a_server_error(owner, draft):
    """A POST with no fields at all (a crafted request) shows the form's errors with 400."""
    for url in (NEW, edit_url(draft)):
        response = owner.post(url, {})
        assert response.status_code == 400, url
        assert response.context["form"].errors, url
    draft.refresh_from_db()
    assert draft.title_en and Listing.objects.count() == 1


def test_create_shows_tier_rules_together_with_other_field_errors(owner, category):
    data = form_data(category, moq="5", tiers=[("10", "1.00")])
    data["category"] = ""
    response = owner.post(NEW, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html  # the category
    assert "The MOQ (5) is below the first tier (10)" in html


def test_create_refuses_another_suppliers_production_site(owner, category, other_supplier):
    site = f.ProductionSiteFactory(supplier=other_supplier)
    response = owner.post(NEW, form_data(category, production_site=str(site.pk)))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Listing.objects.exists()


def test_create_offers_only_own_production_sites(owner, supplier, other_supplier):
    mine = f.ProductionSiteFactory(supplier=supplier, name="Donghu plant")
    f.ProductionSiteFactory(supplier=other_supplier, name="Rival plant")
    html = owner.get(NEW).content.decode()
    assert "Donghu plant" in html and "Rival plant" not in html and f'value="{mine.pk}"' in html


def test_edit_shows_saved_values_and_saves_changes_with_a_message(owner, draft, category):
    html = owner.get(edit_url(draft)).content.decode()
    assert 'value="Secret prototype cutter"' in html and 'value="100.00"' in html
    response = owner.post(edit_url(draft), form_data(category, title_en="Prototype cutter, 6 kW", sku="SECRET-1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Prototype cutter, 6 kW"
    assert [(t.min_quantity, t.unit_price) for t in draft.tiers.all()] == [(10, 120), (100, 110)]
    assert flash(response) == ["Changes saved."]


def test_edit_shows_a_duplicate_sku_beside_the_sku(owner, draft, supplier, category):
    f.ListingFactory(supplier=supplier, category=category, sku="TAKEN")
    response = owner.post(edit_url(draft), form_data(category, sku="TAKEN"))
    assert response.status_code == 400
    assert response.context["form"].errors["sku"] == [
        "You already have a listing with the SKU “TAKEN”. Each listing needs its own SKU."
    ]


# --- buttons ----------------------------------------------------------------------------------------


def test_publish_unpublish_archive_restore_and_duplicate_buttons(owner, draft):
    response = owner.post(f"{edit_url(draft)}publish/")
    assert response.status_code == 302 and "Published" in flash(response)[0]
    draft.refresh_from_db()
    assert draft.status == Listing.Status.PUBLISHED

    response = owner.post(f"{edit_url(draft)}unpublish/")
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT and "Unpublished" in flash(response)[-1]

    response = owner.post(f"{edit_url(draft)}duplicate/")
    copy = Listing.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == edit_url(copy) and copy.sku == "SECRET-1-copy"

    response = owner.post(f"{edit_url(draft)}archive/")
    assert response["Location"] == LIST
    draft.refresh_from_db()
    assert draft.status == Listing.Status.ARCHIVED

    page = owner.get(edit_url(draft)).content.decode()
    assert 'data-testid="archived-note"' in page and 'data-testid="restore"' in page
    response = owner.post(edit_url(draft), form_data(draft.category, title_en="Changed while archived"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Secret prototype cutter"

    owner.post(f"{edit_url(draft)}restore/")
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT


def test_an_unverified_supplier_sees_why_it_cannot_publish_and_the_button_refuses(owner, draft, supplier):
    Supplier.objects.filter(pk=supplier.pk).update(
        status=Supplier.Status.UNDER_VERIFICATION, certification_level="none"
    )
    html = owner.get(edit_url(draft)).content.decode()
    blockers = re.search(r'data-testid="publish-blockers".*?</div>\s*<ul.*?</ul>', html, re.S).group(0)
    assert "Only companies verified by our certification team may publish listings." in blockers
    assert re.search(r'data-testid="publish"[^>]*disabled', html)
    assert "Only companies verified" in owner.get(LIST).content.decode()

    response = owner.post(f"{edit_url(draft)}publish/")
    assert response.status_code == 302
    assert any("Only companies verified" in m for m in flash(response))
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT


def test_a_draft_without_tiers_says_it_needs_one(owner, supplier, supplier_member, category):
    listing = listing_create(supplier=supplier, actor=supplier_member, fields={"category": category, "title_en": "X"})
    html = owner.get(edit_url(listing)).content.decode()
    assert "Give at least one price tier before publishing." in html


# --- pictures ---------------------------------------------------------------------------------------


def test_upload_shows_a_placeholder_until_the_thumbnail_exists_then_remove(owner, draft, sent):
    response = owner.post(f"{edit_url(draft)}images/", {"image": f.image_upload(), "alt_text": "Front"})
    assert response.status_code == 302
    image = draft.images.get()
    html = owner.get(edit_url(draft)).content.decode()
    assert 'data-testid="thumbnail-pending"' in html
    ListingImage.objects.filter(pk=image.pk).update(thumbnail="listings/t.jpg")
    html = owner.get(edit_url(draft)).content.decode()
    assert 'data-testid="thumbnail-pending"' not in html and "listings/t.jpg" in html

    owner.post(f"{edit_url(draft)}images/{image.pk}/remove/")
    assert not draft.images.exists()


def test_upload_of_a_file_that_is_not_an_image_says_so_beside_the_field(owner, draft, sent):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = owner.post(f"{edit_url(draft)}images/", {"image": fake})
    assert response.status_code == 400
    assert response.context["image_form"].errors["image"] == ["This file is not a JPEG, PNG or WebP image."]
    assert not draft.images.exists() and sent == []


def test_make_first_moves_a_picture_to_the_front(owner, draft, supplier_member, sent):
    a, b = (listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload()) for _ in "ab")
    owner.post(f"{edit_url(draft)}images/{b.pk}/first/")
    assert list(draft.images.all()) == [b, a]


# --- the preview banner (included by the public listing page) --------------------------------------


def test_preview_banner_shows_for_a_draft_and_not_for_a_public_listing(draft, supplier, category, supplier_member):
    html = render_to_string("catalog/partials/preview_banner.html", {"listing": draft, "user": supplier_member})
    assert "Preview — not public." in html and edit_url(draft) in html
    public = f.ListingFactory(supplier=supplier, category=category)
    Listing.objects.filter(pk=public.pk).update(is_public=True)
    public.refresh_from_db()
    assert (
        render_to_string("catalog/partials/preview_banner.html", {"listing": public, "user": supplier_member}).strip()
        == ""
    )


def test_the_owner_previews_its_draft_on_the_public_page(owner, draft, client):
    response = owner.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "buyers cannot see it" in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_supplier_dashboard_links_to_my_listings(owner):
    html = owner.get("/dashboard/supplier/").content.decode()
    assert f'href="{LIST}"' in html
