"""The listing services a supplier's dashboard and API call: create, update, publish, unpublish,
archive, restore, duplicate, pictures. Each is checked for its happy path, its messages (keyed by
field), the event it writes, and for publish, that two at once publish once.
"""

import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from catalog.models import Listing, ListingEvent, ListingImage, ListingVariant
from catalog.rules import Tier
from catalog.selectors import manage as selectors_manage
from catalog.selectors.manage import listing_list_for_supplier
from catalog.services import (
    listing_archive,
    listing_create,
    listing_duplicate,
    listing_image_add,
    listing_image_remove,
    listing_image_reorder,
    listing_publish,
    listing_restore,
    listing_unpublish,
    listing_update,
)
from suppliers.models import Supplier
from tests import factories as f

TIERS = [Tier(10, Decimal("120.00")), Tier(100, Decimal("110.00")), Tier(500, Decimal("99.50"))]


def fields(category, **overrides):
    return {
        "category": category,
        "title_en": "Fiber laser cutter 3015",
        "title_zh": "3015光纤激光切割机",
        "sku": "LC-3015",
        "moq": 10,
        "unit": "set",
        **overrides,
    }


def events(listing, kind=None):
    qs = ListingEvent.objects.filter(listing=listing)
    return list(qs.filter(kind=kind) if kind else qs)


def messages_of(exc_info, key):
    return exc_info.value.message_dict[key]


@pytest.fixture
def draft(supplier, supplier_member, category):
    return listing_create(supplier=supplier, actor=supplier_member, fields=fields(category), tiers=TIERS)


# --- create ------------------------------------------------------------------------------------


def test_create_saves_a_draft_with_tiers_variants_specifications_and_a_created_event(
    supplier, supplier_member, category, belt
):
    site = f.ProductionSiteFactory(supplier=supplier)
    listing = listing_create(
        supplier=supplier,
        actor=supplier_member,
        fields=fields(
            category,
            production_site=site,
            moq_mode="per_variant",
            specifications=[
                {"name_en": "Power", "name_zh": "功率", "value": "3 kW"},
                {"name_en": "", "name_zh": "", "value": ""},  # a blank row is no row
            ],
        ),
        tiers=TIERS,
        variants=[{"model": "3 kW", "moq": 2}, {"model": "6 kW", "size": "3015"}],
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DRAFT
    assert listing.supplier == supplier and listing.production_site == site
    assert [(t.min_quantity, t.unit_price) for t in listing.tiers.all()] == [
        (10, 120),
        (100, 110),
        (500, Decimal("99.5")),
    ]
    assert [(v.model, v.size, v.moq, v.position) for v in listing.variants.all()] == [
        ("3 kW", "", 2, 0),
        ("6 kW", "3015", None, 1),
    ]
    assert listing.specifications == [{"name_en": "Power", "name_zh": "功率", "value": "3 kW"}]
    [event] = events(listing)
    assert (event.kind, event.actor) == (ListingEvent.Kind.CREATED, supplier_member)
    # The denormalised columns search reads without a join: set, but not public while a draft.
    assert (listing.is_public, listing.belt, listing.province, listing.price_from) == (
        False,
        belt,
        "CN-HB",
        Decimal("99.50"),
    )
    assert listing.level_rank == 1  # verified


def test_create_without_tiers_is_allowed_for_a_draft(supplier, supplier_member, category):
    listing = listing_create(supplier=supplier, actor=supplier_member, fields=fields(category))
    assert listing.tiers.count() == 0 and listing.price_from is None


@pytest.mark.parametrize(
    ("tiers", "moq", "expected"),
    [
        ([Tier(10, Decimal("5")), Tier(10, Decimal("4"))], 10, "Tier 2: quantities must rise from tier to tier"),
        ([Tier(10, Decimal("5")), Tier(50, Decimal("6"))], 10, "Tier 2: a larger quantity may not cost more per unit"),
        ([Tier(20, Decimal("5"))], 10, "The MOQ (10) is below the first tier (20)"),
    ],
)
def test_create_refuses_tiers_that_break_the_rules_with_the_rules_words(
    supplier, supplier_member, category, tiers, moq, expected
):
    with pytest.raises(ValidationError) as exc_info:
        listing_create(supplier=supplier, actor=supplier_member, fields=fields(category, moq=moq), tiers=tiers)
    assert any(expected in message for message in messages_of(exc_info, "tiers"))
    assert not Listing.objects.exists() and not ListingEvent.objects.exists()


def test_create_reports_every_problem_at_once_keyed_by_field(supplier, supplier_member, category, other_supplier):
    f.ListingFactory(supplier=supplier, category=category, sku="TAKEN")
    foreign_site = f.ProductionSiteFactory(supplier=other_supplier)
    with pytest.raises(ValidationError) as exc_info:
        listing_create(
            supplier=supplier,
            actor=supplier_member,
            fields=fields(
                category,
                title_en="",
                title_zh="",
                sku="TAKEN",
                sample_available=True,
                production_site=foreign_site,
                specifications=[{"name_en": "Power", "value": ""}],
            ),
            tiers=[Tier(10, Decimal("1"))],
            variants=[{"sku": "only-a-sku"}],
        )
    errors = exc_info.value.message_dict
    assert errors["title_en"] == ["Give the title in English or in Chinese."]
    assert "already have a listing with the SKU “TAKEN”" in errors["sku"][0]
    assert errors["sample_price"] == ["Give the price of a sample, or say no sample is available."]
    assert errors["production_site"] == ["Choose one of your own production sites."]
    assert errors["specifications"] == ["Specification 1: give its value."]
    assert errors["variants"] == ["Variant 1: give its size, colour or model."]
    assert Listing.objects.filter(supplier=supplier).count() == 1


def test_create_refuses_a_per_variant_moq_without_variants(supplier, supplier_member, category):
    with pytest.raises(ValidationError) as exc_info:
        listing_create(supplier=supplier, actor=supplier_member, fields=fields(category, moq_mode="per_variant"))
    assert "needs variants" in messages_of(exc_info, "moq_mode")[0]


def test_create_refuses_fields_a_supplier_may_not_write(supplier, supplier_member, category):
    with pytest.raises(TypeError):
        listing_create(supplier=supplier, actor=supplier_member, fields={**fields(category), "status": "published"})
    with pytest.raises(TypeError):
        listing_create(supplier=supplier, actor=supplier_member, fields={**fields(category), "is_public": True})


# --- update ------------------------------------------------------------------------------------


def test_update_changes_fields_tiers_and_variants_together_keeping_variant_ids(draft, supplier_member):
    listing_update(listing=draft, actor=supplier_member, fields={}, variants=[{"model": "A"}, {"model": "B"}])
    a, b = draft.variants.all()
    listing_update(
        listing=draft,
        actor=supplier_member,
        fields={"moq": 50, "title_en": "Fiber laser cutter 3015, 6 kW"},
        tiers=[Tier(50, Decimal("100")), Tier(200, Decimal("90"))],
        variants=[{"id": b.pk, "model": "B2"}, {"model": "C"}],
    )
    draft.refresh_from_db()
    assert draft.moq == 50 and draft.title_en == "Fiber laser cutter 3015, 6 kW"
    assert [(t.min_quantity, t.unit_price) for t in draft.tiers.all()] == [(50, 100), (200, 90)]
    assert draft.price_from == Decimal("90.00")
    variants = list(draft.variants.all())
    assert [(v.pk == b.pk, v.model) for v in variants] == [(True, "B2"), (False, "C")]
    assert not ListingVariant.objects.filter(pk=a.pk).exists()
    event = events(draft, ListingEvent.Kind.UPDATED)[0]
    assert event.actor == supplier_member and event.note == "moq, tiers, title_en, variants"


def test_update_with_nothing_changed_writes_nothing(draft, supplier_member, category):
    updated_at = draft.updated_at
    listing_update(
        listing=draft,
        actor=supplier_member,
        fields=fields(category),  # the same values it was created with
        tiers=TIERS,
        variants=[],
    )
    draft.refresh_from_db()
    assert draft.updated_at == updated_at
    assert not events(draft, ListingEvent.Kind.UPDATED)


def test_update_checks_a_new_moq_against_the_saved_tiers(draft, supplier_member):
    with pytest.raises(ValidationError) as exc_info:
        listing_update(listing=draft, actor=supplier_member, fields={"moq": 5})
    assert "The MOQ (5) is below the first tier (10)" in messages_of(exc_info, "tiers")[0]
    draft.refresh_from_db()
    assert draft.moq == 10


def test_update_refuses_a_variant_of_another_listing(draft, supplier_member, supplier, category):
    other = f.ListingFactory(supplier=supplier, category=category)
    foreign = ListingVariant.objects.create(listing=other, model="X")
    with pytest.raises(ValidationError) as exc_info:
        listing_update(listing=draft, actor=supplier_member, fields={}, variants=[{"id": foreign.pk, "model": "Y"}])
    assert messages_of(exc_info, "variants") == ["Variant 1 is not a variant of this listing."]
    foreign.refresh_from_db()
    assert foreign.model == "X"


def test_update_of_a_published_listing_keeps_at_least_one_tier(draft, supplier_member):
    listing_publish(listing=draft, actor=supplier_member)
    with pytest.raises(ValidationError) as exc_info:
        listing_update(listing=draft, actor=supplier_member, fields={}, tiers=[])
    assert messages_of(exc_info, "tiers") == ["Give at least one price tier."]


def test_update_refuses_an_archived_listing(draft, supplier_member):
    listing_archive(listing=draft, actor=supplier_member)
    with pytest.raises(ValidationError, match="Restore it to a draft"):
        listing_update(listing=draft, actor=supplier_member, fields={"moq": 20})


def test_update_refuses_the_sku_of_another_own_listing(draft, supplier, supplier_member, category):
    f.ListingFactory(supplier=supplier, category=category, sku="OTHER")
    with pytest.raises(ValidationError) as exc_info:
        listing_update(listing=draft, actor=supplier_member, fields={"sku": "OTHER"})
    assert "SKU “OTHER”" in messages_of(exc_info, "sku")[0]


def test_two_suppliers_may_use_the_same_sku(draft, other_supplier, other_member, category):
    listing = listing_create(supplier=other_supplier, actor=other_member, fields=fields(category), tiers=TIERS)
    assert listing.sku == draft.sku


# --- publish, unpublish, archive, restore ------------------------------------------------------


def test_publish_makes_a_draft_public_and_writes_an_event(draft, supplier_member):
    listing_publish(listing=draft, actor=supplier_member)
    draft.refresh_from_db()
    assert draft.status == Listing.Status.PUBLISHED and draft.published_at is not None and draft.is_public
    assert Listing.objects.public().filter(pk=draft.pk).exists()
    [event] = events(draft, ListingEvent.Kind.PUBLISHED)
    assert event.actor == supplier_member


def test_publishing_twice_writes_one_event(draft, supplier_member):
    listing_publish(listing=draft, actor=supplier_member)
    listing_publish(listing=draft, actor=supplier_member)
    assert len(events(draft, ListingEvent.Kind.PUBLISHED)) == 1


@pytest.mark.parametrize(
    ("status", "level", "words"),
    [
        (Supplier.Status.UNDER_VERIFICATION, "none", "Only companies verified by our certification team"),
        (Supplier.Status.DRAFT, "none", "Only companies verified by our certification team"),
        (Supplier.Status.SUSPENDED, "verified", "suspended"),
        (Supplier.Status.REJECTED, "none", "not accepted"),
    ],
)
def test_a_supplier_that_is_not_verified_cannot_publish_and_is_told_why(
    draft, supplier, supplier_member, status, level, words
):
    Supplier.objects.filter(pk=supplier.pk).update(status=status, certification_level=level)
    with pytest.raises(ValidationError) as exc_info:
        listing_publish(listing=draft, actor=supplier_member)
    assert any(words in message for message in exc_info.value.messages)
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT and not draft.is_public
    assert not events(draft, ListingEvent.Kind.PUBLISHED)


def test_an_expired_certification_cannot_publish(draft, supplier, supplier_member):
    import datetime

    Supplier.objects.filter(pk=supplier.pk).update(certified_until=datetime.date(2020, 1, 31))
    with pytest.raises(ValidationError, match="expired"):
        listing_publish(listing=draft, actor=supplier_member)


def test_a_listing_without_tiers_cannot_be_published(supplier, supplier_member, category):
    listing = listing_create(supplier=supplier, actor=supplier_member, fields=fields(category))
    with pytest.raises(ValidationError) as exc_info:
        listing_publish(listing=listing, actor=supplier_member)
    assert exc_info.value.messages == ["Give at least one price tier before publishing."]


def test_unpublish_takes_a_listing_back_to_draft_and_out_of_the_catalog(draft, supplier_member):
    listing_publish(listing=draft, actor=supplier_member)
    listing_unpublish(listing=draft, actor=supplier_member)
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT and not draft.is_public
    assert not Listing.objects.public().filter(pk=draft.pk).exists()
    assert len(events(draft, ListingEvent.Kind.UNPUBLISHED)) == 1
    listing_unpublish(listing=draft, actor=supplier_member)  # a draft stays a draft, no new event
    assert len(events(draft, ListingEvent.Kind.UNPUBLISHED)) == 1


def test_archive_leaves_the_default_list_and_the_catalog_and_restore_brings_back_a_draft(
    draft, supplier, supplier_member
):
    listing_publish(listing=draft, actor=supplier_member)
    listing_archive(listing=draft, actor=supplier_member)
    draft.refresh_from_db()
    assert draft.status == Listing.Status.ARCHIVED and draft.archived_at is not None and not draft.is_public
    assert not Listing.objects.public().filter(pk=draft.pk).exists()
    assert draft not in listing_list_for_supplier(supplier=supplier)
    assert draft in listing_list_for_supplier(supplier=supplier, status="archived")
    [event] = events(draft, ListingEvent.Kind.ARCHIVED)
    assert event.note == "was published"
    with pytest.raises(ValidationError, match="archived"):
        listing_unpublish(listing=draft, actor=supplier_member)

    listing_restore(listing=draft, actor=supplier_member)
    draft.refresh_from_db()
    assert draft.status == Listing.Status.DRAFT and draft.archived_at is None
    assert draft in listing_list_for_supplier(supplier=supplier)
    assert events(draft, ListingEvent.Kind.RESTORED)  # on record as a restore, not as an edit


def test_an_archived_listing_cannot_be_published_before_it_is_restored(draft, supplier_member):
    listing_archive(listing=draft, actor=supplier_member)
    with pytest.raises(ValidationError, match="restored to a draft"):
        listing_publish(listing=draft, actor=supplier_member)


@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_take_turns_and_publish_once(supplier, supplier_member, category, monkeypatch):
    """Two requests (a double click, the page and the API) publish the same draft at the same moment.

    The check of the supplier is slowed down so both would read "draft" without the row lock; with
    it, the second waits for the first to commit, finds the listing published and does nothing.
    """
    listing = listing_create(supplier=supplier, actor=supplier_member, fields=fields(category), tiers=TIERS)
    real = selectors_manage.supplier_may_publish

    def slow(supplier):
        time.sleep(0.4)
        return real(supplier)

    monkeypatch.setattr(selectors_manage, "supplier_may_publish", slow)
    failures = []

    def publish():
        try:
            listing_publish(listing=Listing.objects.get(pk=listing.pk), actor=supplier_member)
        except Exception as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []
    assert ListingEvent.objects.filter(listing=listing, kind=ListingEvent.Kind.PUBLISHED).count() == 1


# --- duplicate -----------------------------------------------------------------------------------


def test_duplicate_copies_a_draft_with_tiers_variants_specs_and_a_free_sku_but_no_pictures(
    draft, supplier_member, sent, django_capture_on_commit_callbacks
):
    listing_update(
        listing=draft,
        actor=supplier_member,
        fields={"specifications": [{"name_en": "Power", "name_zh": "功率", "value": "3 kW"}], "oem": True},
        variants=[{"model": "3 kW", "moq": 2}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload())
    listing_publish(listing=draft, actor=supplier_member)

    copy = listing_duplicate(listing=draft, actor=supplier_member)
    copy.refresh_from_db()
    draft.refresh_from_db()
    assert copy.pk != draft.pk and copy.status == Listing.Status.DRAFT and not copy.is_public
    assert copy.published_at is None
    assert (copy.sku, copy.title_en, copy.title_zh) == (
        "LC-3015-copy",
        "Fiber laser cutter 3015 (copy)",
        "3015光纤激光切割机（副本）",
    )
    assert copy.oem and copy.specifications == draft.specifications
    assert [(t.min_quantity, t.unit_price) for t in copy.tiers.all()] == [
        (t.min_quantity, t.unit_price) for t in draft.tiers.all()
    ]
    assert [(v.model, v.moq) for v in copy.variants.all()] == [("3 kW", 2)]
    assert copy.images.count() == 0 and draft.images.count() == 1
    assert events(copy, ListingEvent.Kind.DUPLICATED)[0].note == f"copy of listing {draft.pk}"
    assert events(draft, ListingEvent.Kind.DUPLICATED)[0].note == f"copied to listing {copy.pk}"

    assert listing_duplicate(listing=draft, actor=supplier_member).sku == "LC-3015-copy-2"
    assert listing_duplicate(listing=copy, actor=supplier_member).sku == "LC-3015-copy-copy"


def test_duplicate_of_a_listing_without_sku_has_no_sku(supplier, supplier_member, category):
    listing = listing_create(supplier=supplier, actor=supplier_member, fields=fields(category, sku=""))
    assert listing_duplicate(listing=listing, actor=supplier_member).sku == ""
    assert listing_duplicate(listing=listing, actor=supplier_member).sku == ""


# --- pictures -------------------------------------------------------------------------------------


def test_image_add_checks_content_queues_a_thumbnail_and_writes_an_event(
    draft, supplier_member, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload(), alt_text="Front")
    assert sent == [image.pk] and not image.thumbnail and image.alt_text == "Front"
    assert events(draft, ListingEvent.Kind.UPDATED)[0].note == "picture added"


def test_image_add_refuses_a_file_that_is_not_an_image(draft, supplier_member, sent):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc_info:
        listing_image_add(listing=draft, actor=supplier_member, upload=fake)
    assert messages_of(exc_info, "image") == ["This file is not a JPEG, PNG or WebP image."]
    assert not ListingImage.objects.exists() and sent == []


def test_image_add_stops_at_the_cap(draft, supplier_member, sent, monkeypatch):
    monkeypatch.setattr("catalog.services.MAX_IMAGES", 1)
    listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload())
    with pytest.raises(ValidationError) as exc_info:
        listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload())
    assert messages_of(exc_info, "image") == ["At most 1 pictures per listing."]


def test_image_remove_deletes_the_row_then_the_file_and_renumbers(
    draft, supplier_member, sent, django_capture_on_commit_callbacks
):
    first, second = (listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload()) for _ in "ab")
    path = Path(settings.MEDIA_ROOT) / first.image.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        listing_image_remove(image=first, actor=supplier_member)
    assert not path.exists()
    second.refresh_from_db()
    assert list(draft.images.all()) == [second] and second.position == 0
    assert events(draft, ListingEvent.Kind.UPDATED)[0].note == "picture removed"


def test_image_reorder_puts_pictures_in_the_given_order_and_refuses_a_partial_list(draft, supplier_member, sent):
    a, b, c = (listing_image_add(listing=draft, actor=supplier_member, upload=f.image_upload()) for _ in "abc")
    listing_image_reorder(listing=draft, actor=supplier_member, image_ids=[c.pk, a.pk, b.pk])
    assert list(draft.images.all()) == [c, a, b]
    with pytest.raises(ValidationError):
        listing_image_reorder(listing=draft, actor=supplier_member, image_ids=[c.pk, a.pk])
    other = f.ListingFactory(supplier=draft.supplier, category=draft.category)
    foreign = listing_image_add(listing=other, actor=supplier_member, upload=f.image_upload())
    with pytest.raises(ValidationError):
        listing_image_reorder(listing=draft, actor=supplier_member, image_ids=[c.pk, a.pk, foreign.pk])
