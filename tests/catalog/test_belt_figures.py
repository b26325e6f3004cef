"""A belt's public figures are counted by a job into one row (catalog.figures), so the home and
belt pages read them instead of counting a belt's listings on every view."""

import datetime
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.figures import FEATURED_SUPPLIERS, belt_figures_count
from catalog.models import BeltFigures, Listing
from catalog.services import listing_archive, listing_publish, listing_unpublish
from suppliers.models import CertificationLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_count_takes_only_public_listings_of_currently_certified_suppliers(belt, supplier, category):
    other = f.CategoryFactory(name_en="Laser marking machines")
    for _ in range(3):
        f.ListingFactory(supplier=supplier, category=category)
    for _ in range(2):
        f.ListingFactory(supplier=supplier, category=other)
    f.ListingFactory(supplier=supplier, category=f.CategoryFactory(), status=Listing.Status.DRAFT)
    f.ListingFactory(supplier=f.ApplicantSupplierFactory(belt=belt), category=category)
    lapsed = f.SupplierFactory(belt=belt, certified_until=timezone.localdate() - datetime.timedelta(days=1))
    f.ListingFactory(supplier=lapsed, category=category)
    f.ListingFactory(category=category)  # another belt

    assert belt_figures_count(belt_ids=[belt.pk]) == 1

    figures = BeltFigures.objects.get(belt=belt)
    assert (figures.certified_suppliers, figures.listings, figures.categories) == (1, 5, 2)
    assert figures.top_categories == [[category.pk, 3], [other.pk, 2]]
    assert figures.featured_suppliers == [[supplier.pk, 5]]


def test_featured_order_is_strongest_level_then_most_listings_then_name(belt, category):
    verified_busy = f.SupplierFactory(belt=belt, name_en="B verified")
    audited = f.SupplierFactory(belt=belt, name_en="Z audited", certification_level=CertificationLevel.AUDITED_FACTORY)
    verified_quiet = f.SupplierFactory(belt=belt, name_en="A verified")
    for _ in range(2):
        f.ListingFactory(supplier=verified_busy, category=category)

    belt_figures_count()

    featured = BeltFigures.objects.get(belt=belt).featured_suppliers
    assert [pk for pk, _n in featured] == [audited.pk, verified_busy.pk, verified_quiet.pk]
    assert len(featured) <= FEATURED_SUPPLIERS


def test_a_second_count_replaces_the_first(belt, supplier, category):
    belt_figures_count()
    assert BeltFigures.objects.get(belt=belt).listings == 0
    f.ListingFactory(supplier=supplier, category=category)
    belt_figures_count()
    assert BeltFigures.objects.get(belt=belt).listings == 1
    assert BeltFigures.objects.count() == 1


def test_belts_counted_after_the_request_are_skipped(belt, supplier, category):
    belt_figures_count()
    requested_before = time.time() - 60
    f.ListingFactory(supplier=supplier, category=category)
    assert belt_figures_count(belt_ids=[belt.pk], unless_counted_since=requested_before) == 0
    assert BeltFigures.objects.get(belt=belt).listings == 0  # a later request would have counted
    assert belt_figures_count(belt_ids=[belt.pk], unless_counted_since=time.time()) == 1
    assert BeltFigures.objects.get(belt=belt).listings == 1


def test_a_belt_never_counted_is_counted_on_its_first_view(client, belt, supplier, category):
    f.ListingFactory(supplier=supplier, category=category)
    assert not BeltFigures.objects.exists()
    response = client.get(reverse("catalog:belt_detail", args=[belt.slug]))
    assert response.context["belt"].listing_count == 1
    assert BeltFigures.objects.get(belt=belt).listings == 1


def test_pages_show_the_counted_figures_not_a_live_count(client, belt, supplier, category):
    f.ListingFactory(supplier=supplier, category=category)
    belt_figures_count()
    f.ListingFactory(supplier=supplier, category=category)  # not through a service: nothing queued
    response = client.get(reverse("catalog:home"))
    assert response.context["belts"][0].listing_count == 1
    belt_figures_count()  # what the five-minute job does
    response = client.get(reverse("catalog:home"))
    assert response.context["belts"][0].listing_count == 2


def _queued_tasks(broker_folder) -> list[str]:
    """Names of the tasks whose messages wait in the filesystem broker's queue."""
    return [
        json.loads(path.read_text())["headers"]["task"]
        for path in sorted((broker_folder / "celery" / "queue").iterdir())
    ]


@pytest.mark.parametrize("service", [listing_publish, listing_unpublish, listing_archive])
def test_services_that_change_the_figures_queue_a_recount_after_commit(
    service, filesystem_broker, supplier, supplier_member, category, django_capture_on_commit_callbacks
):
    status = Listing.Status.DRAFT if service is listing_publish else Listing.Status.PUBLISHED
    listing = f.ListingFactory(supplier=supplier, category=category, status=status)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        service(listing=listing, actor=supplier_member)
    assert _queued_tasks(filesystem_broker) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert "catalog.tasks.belt_figures_count_task" in _queued_tasks(filesystem_broker)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_recounts_a_belt_when_a_listing_is_published(worker, belt, supplier, supplier_member, category):
    process, log = worker
    belt_figures_count()
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT)
    listing_publish(listing=draft, actor=supplier_member)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if BeltFigures.objects.get(belt=belt).listings == 1:
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not recount the belt within 60 s:\n" + log.read_text())
    assert "belt_figures_count_task" in log.read_text()
