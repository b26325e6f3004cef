"""Adding counted views to the day tables (see analytics.counters for how views are counted)."""

# The SQL below is built from model table names only; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import logging
import uuid
from collections import Counter, defaultdict

from django.db import connection, transaction
from redis.exceptions import RedisError

from catalog.models import Listing
from suppliers.models import Supplier

from ..counters import HASH_PREFIX, LISTING, PROFILE, redis_client, uses_redis
from ..models import ListingDay, SupplierDay, ViewFlush

logger = logging.getLogger(__name__)

TAKING = f"{HASH_PREFIX}taking:"


@transaction.atomic
def views_add(*, counts: Counter[tuple[str, str, str]]) -> int:
    """Add views, keyed (ISO day, kind, key), to ListingDay.views and SupplierDay.listing_views /
    profile_views with one upsert per table (`views = views + EXCLUDED.views`); views of listings
    or suppliers that no longer exist are dropped. Returns how many views were added."""
    listing_ids = {int(key) for (_, kind, key) in counts if kind == LISTING and key.isdigit()}
    slugs = {key for (_, kind, key) in counts if kind == PROFILE}
    supplier_of_listing = dict(Listing.objects.filter(pk__in=listing_ids).values_list("pk", "supplier_id"))
    supplier_of_slug = dict(Supplier.objects.filter(slug__in=slugs).values_list("slug", "pk"))

    listing_views: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    supplier_views: dict[tuple[int, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for (day_text, kind, key), views in counts.items():
        day = datetime.date.fromisoformat(day_text)
        if kind == LISTING and key.isdigit() and int(key) in supplier_of_listing:
            supplier_id = supplier_of_listing[int(key)]
            listing_views[int(key), supplier_id, day] += views
            supplier_views[supplier_id, day][0] += views
        elif kind == PROFILE and key in supplier_of_slug:
            supplier_views[supplier_of_slug[key], day][1] += views

    with connection.cursor() as cursor:
        if listing_views:
            keys = list(listing_views)
            cursor.execute(
                f"""
                INSERT INTO {ListingDay._meta.db_table} AS t
                       (listing_id, supplier_id, day, views, inquiries, orders, revenue)
                SELECT l, s, d, v, 0, 0, 0
                  FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::int[]) AS u(l, s, d, v)
                ON CONFLICT (listing_id, day) DO UPDATE SET views = t.views + EXCLUDED.views
                """,  # nosec B608
                [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], [listing_views[k] for k in keys]],
            )
        if supplier_views:
            keys2 = list(supplier_views)
            cursor.execute(
                f"""
                INSERT INTO {SupplierDay._meta.db_table} AS t
                       (supplier_id, day, listing_views, profile_views, inquiries, inquiries_answered,
                        response_minutes, rfqs_received, rfqs_quoted, rfqs_won, orders, revenue)
                SELECT s, d, lv, pv, 0, 0, 0, 0, 0, 0, 0, 0
                  FROM unnest(%s::bigint[], %s::date[], %s::int[], %s::int[]) AS u(s, d, lv, pv)
                ON CONFLICT (supplier_id, day) DO UPDATE
                   SET listing_views = t.listing_views + EXCLUDED.listing_views,
                       profile_views = t.profile_views + EXCLUDED.profile_views
                """,  # nosec B608
                [
                    [k[0] for k in keys2],
                    [k[1] for k in keys2],
                    [supplier_views[k][0] for k in keys2],
                    [supplier_views[k][1] for k in keys2],
                ],
            )
    return sum(listing_views.values()) + sum(v[1] for v in supplier_views.values())


def _decode(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def views_flush_redis() -> int:
    """Take each day's hash of views from Redis and add it to the day tables; returns the views added.

    Each hash is first renamed (atomic: views counted from then on start a new hash), so no view is
    read twice or lost between the read and the delete. The taken name is recorded with the
    views in one transaction: a flush that dies before deleting the taken hash is finished by the
    next one, which finds the name recorded and only deletes it."""
    client = redis_client()
    for name in client.scan_iter(match=f"{HASH_PREFIX}*", count=100):
        name = _decode(name)
        if name.startswith(TAKING):
            continue
        day = name.removeprefix(HASH_PREFIX)
        client.rename(name, f"{TAKING}{day}:{uuid.uuid4().hex}")
    added = 0
    for taken in client.scan_iter(match=f"{TAKING}*", count=100):
        taken = _decode(taken)
        day = taken.removeprefix(TAKING).split(":", 1)[0]
        if not ViewFlush.objects.filter(name=taken).exists():
            counts: Counter[tuple[str, str, str]] = Counter()
            for field, views in client.hgetall(taken).items():
                kind, _, key = _decode(field).partition(":")
                counts[day, kind, key] += int(views)
            with transaction.atomic():
                added += views_add(counts=counts)
                ViewFlush.objects.create(name=taken)
        client.delete(taken)
    return added


def views_flush() -> int:
    """The beat job: add the views counted in Redis to the day tables. Without Redis each web
    process writes its own buffer (analytics.counters), so there is nothing to take here."""
    if not uses_redis():
        return 0
    try:
        return views_flush_redis()
    except (RedisError, OSError) as exc:  # Redis unreachable: the hashes wait for the next run
        logger.warning("Views not flushed: %s", exc)
        return 0
