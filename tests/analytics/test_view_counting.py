"""Views of listing pages and supplier profiles: counted without a database write in the request,
also when the page cache answers; not for HEAD, robots, errors; added to the day tables by the flush,
from the in-process buffer (no Redis) or from Redis (hash taken by RENAME, flushed exactly once)."""

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import counters
from analytics.models import ListingDay, SupplierDay, ViewFlush
from analytics.services.views import views_add, views_flush
from tests import factories as f
from tests.outage import redis_server  # noqa: F401

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_buffer():
    counters.buffer.take()
    yield
    counters.buffer.take()


@pytest.fixture
def listing(supplier, category):
    return f.ListingFactory(supplier=supplier, category=category)


def _client() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER)


def test_listing_views_are_buffered_in_the_request_and_written_by_the_flush(listing, supplier):
    client = _client()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/listings/{listing.pk}/").status_code == 200
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert client.get(f"/listings/{listing.pk}/")["Cache-Control"].startswith("public")  # the cached page counts too
    assert sum(counters.buffer.counts.values()) == 2

    assert counters.flush_buffer() == 2
    today = timezone.localdate()
    assert ListingDay.objects.get(listing=listing, day=today).views == 2
    assert SupplierDay.objects.get(supplier=supplier, day=today).listing_views == 2
    assert counters.flush_buffer() == 0  # nothing twice


def test_profile_views_count_by_slug_and_a_revalidation_counts(supplier):
    client = _client()
    first = client.get(f"/suppliers/{supplier.slug}/")
    assert first.status_code == 200
    again = client.get(f"/suppliers/{supplier.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    counters.flush_buffer()
    assert SupplierDay.objects.get(supplier=supplier, day=timezone.localdate()).profile_views == 2


@pytest.mark.parametrize(
    ("method", "agent", "path"),
    [
        ("head", BROWSER, "/listings/{pk}/"),
        ("get", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "/listings/{pk}/"),
        ("get", "python-requests/2.32", "/listings/{pk}/"),
        ("get", "", "/listings/{pk}/"),
        ("get", BROWSER, "/listings/999999/"),
        ("get", BROWSER, "/api/v1/listings/{pk}/"),
    ],
)
def test_what_is_not_a_view(listing, method, agent, path):
    client = Client(HTTP_USER_AGENT=agent) if agent else Client()
    getattr(client, method)(path.format(pk=listing.pk))
    assert not counters.buffer.counts


def test_views_of_deleted_listings_or_unknown_slugs_are_dropped(listing):
    day = timezone.localdate().isoformat()
    added = views_add(
        counts=Counter({(day, "l", "999999"): 3, (day, "s", "nobody"): 2, (day, "l", str(listing.pk)): 1})
    )
    assert added == 1
    assert ListingDay.objects.get().views == 1


def test_views_add_adds_to_what_is_there(listing, supplier):
    day = timezone.localdate().isoformat()
    views_add(counts=Counter({(day, "l", str(listing.pk)): 2, (day, "s", supplier.slug): 1}))
    views_add(counts=Counter({(day, "l", str(listing.pk)): 5}))
    row = SupplierDay.objects.get(supplier=supplier)
    assert (row.listing_views, row.profile_views) == (7, 1)
    assert ListingDay.objects.get().views == 7


@pytest.fixture
def redis_cache(settings, redis_server):  # noqa: F811
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {"default": {"BACKEND": "marketplace.cache.FailOpenRedisCache", "LOCATION": redis_server.url}}
    yield redis_server
    counters.redis_client().flushdb()


def test_with_redis_views_go_to_the_days_hash_and_the_flush_takes_it_once(redis_cache, listing, supplier):
    client = _client()
    for _ in range(3):
        client.get(f"/listings/{listing.pk}/")
    client.get(f"/suppliers/{supplier.slug}/")
    assert not counters.buffer.counts
    redis = counters.redis_client()
    day = timezone.localdate().isoformat()
    assert redis.hgetall(f"analytics:views:{day}") == {
        f"l:{listing.pk}".encode(): b"3",
        f"s:{supplier.slug}".encode(): b"1",
    }

    assert views_flush() == 4
    assert views_flush() == 0
    row = SupplierDay.objects.get(supplier=supplier)
    assert (row.listing_views, row.profile_views) == (3, 1)
    assert list(redis.scan_iter("analytics:views:*")) == []


def test_a_flush_that_died_after_writing_only_deletes_the_taken_hash(redis_cache, listing):
    redis = counters.redis_client()
    day = timezone.localdate().isoformat()
    taken = f"analytics:views:taking:{day}:dead"
    redis.hset(taken, f"l:{listing.pk}", 5)
    ViewFlush.objects.create(name=taken)  # its views were written, the delete never happened
    assert views_flush() == 0
    assert not ListingDay.objects.exists()
    assert not redis.exists(taken)


def test_with_redis_down_the_page_answers_and_the_view_is_lost(redis_cache, listing):
    redis_cache.stop()
    response = _client().get(f"/listings/{listing.pk}/")
    assert response.status_code == 200
    assert not counters.buffer.counts
    assert views_flush() == 0
    redis_cache.start()


@pytest.mark.django_db(transaction=True)
def test_without_redis_a_thread_of_the_web_process_writes_the_buffer(settings, supplier, category):
    """`make run`: no Redis; the buffer's own thread writes once enough views wait (or on its timer)."""
    import time

    listing = f.ListingFactory(supplier=supplier, category=category)
    settings.ANALYTICS_VIEW_BUFFER_THREAD = True
    settings.ANALYTICS_VIEW_BUFFER_SECONDS = 30
    settings.ANALYTICS_VIEW_BUFFER_MAX = 3
    try:
        client = _client()
        for _ in range(3):
            assert client.get(f"/listings/{listing.pk}/").status_code == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not ListingDay.objects.filter(listing=listing, views=3).exists():
            time.sleep(0.05)
        assert ListingDay.objects.get(listing=listing).views == 3
    finally:
        settings.ANALYTICS_VIEW_BUFFER_THREAD = False
        counters.buffer.wake.set()  # the thread sees the setting and ends
        if counters.buffer.thread is not None:
            counters.buffer.thread.join(timeout=10)
