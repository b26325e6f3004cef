"""A belt's public figures, counted by a job into one row per belt.

The home page shows every belt's certified suppliers and listings, the belt page those plus its
categories, its top categories and its featured suppliers. Counted per view, at a million listings
that reads ~120k index entries per belt (hundreds of milliseconds); counted here, a page reads one
row per belt. The figures are recounted:

- after every change that moves them, once the change commits (`belt_figures_refresh_later`):
  a listing published, unpublished, archived or moved to another category, an import that
  published rows, a supplier certified, downgraded or suspended;
- every five minutes by beat (`catalog-belt-figures`), for what changes without a service call,
  such as a certification that lapses by date at midnight;
- at the end of `seed_demo` and `generate_catalog`.

Counting is set-based: one grouped index-only scan of the public listings (partial index
`listing_public_belt_figures_idx`) and one query of the certified suppliers, for any number of belts.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from belts.models import Belt
from marketplace.jobs import enqueue
from suppliers.levels import LEVEL_RANK
from suppliers.models import Supplier

from .models import BeltFigures, Listing

TOP_CATEGORIES = 8
FEATURED_SUPPLIERS = 12


def belt_figures_count(*, belt_ids: Iterable[int] | None = None, unless_counted_since: float | None = None) -> int:
    """Count the figures of the given belts (default: every active belt) and store them; returns
    how many belts were counted. With `unless_counted_since` (a Unix time), belts whose figures
    were counted after it are skipped: a burst of changes queues many jobs, the first counts."""
    belts = Belt.objects.active()
    if belt_ids is not None:
        belts = belts.filter(pk__in=list(belt_ids))
    if unless_counted_since is not None:
        since = datetime.fromtimestamp(unless_counted_since, tz=UTC)
        belts = belts.exclude(figures__counted_at__gt=since)
    ids = list(belts.values_list("pk", flat=True))
    if not ids:
        return 0
    counted_at = timezone.now()

    # Certified now (status, level and expiry date), strongest level first: the featured order.
    certified: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, belt_id, level, name in (
        Supplier.objects.certified()
        .filter(belt_id__in=ids)
        .values_list("pk", "belt_id", "certification_level", "name_en")
    ):
        certified[belt_id].append((pk, level, name))
    certified_ids = {pk for suppliers in certified.values() for pk, _level, _name in suppliers}

    # Public listings per belt, supplier and category: index-only over the partial index.
    listings: Counter[int] = Counter()
    by_category: dict[int, Counter[int]] = defaultdict(Counter)
    by_supplier: Counter[int] = Counter()
    rows = (
        Listing.objects.filter(is_public=True, belt_id__in=ids)
        .order_by()
        .values_list("belt_id", "supplier_id", "category_id")
        .annotate(n=Count("*"))
    )
    for belt_id, supplier_id, category_id, n in rows:
        if supplier_id not in certified_ids:  # certification lapsed by date, not yet swept
            continue
        listings[belt_id] += n
        by_category[belt_id][category_id] += n
        by_supplier[supplier_id] += n

    figures = []
    for belt_id in ids:
        categories = by_category[belt_id]
        top = sorted(categories.items(), key=lambda item: (-item[1], item[0]))[:TOP_CATEGORIES]
        featured = sorted(
            certified[belt_id], key=lambda s: (-LEVEL_RANK.get(s[1], -1), -by_supplier[s[0]], s[2], s[0])
        )[:FEATURED_SUPPLIERS]
        figures.append(
            BeltFigures(
                belt_id=belt_id,
                certified_suppliers=len(certified[belt_id]),
                listings=listings[belt_id],
                categories=len(categories),
                top_categories=[[category_id, n] for category_id, n in top],
                featured_suppliers=[[pk, by_supplier[pk]] for pk, _level, _name in featured],
                counted_at=counted_at,
            )
        )
    BeltFigures.objects.bulk_create(
        figures,
        update_conflicts=True,
        unique_fields=["belt"],
        update_fields=[
            "certified_suppliers", "listings", "categories", "top_categories", "featured_suppliers", "counted_at",
        ],
    )  # fmt: skip
    return len(figures)


def belt_figures_refresh_later(*, belt_ids: Iterable[Any]) -> None:
    """Queue a recount of these belts once the current transaction commits (nothing if it rolls
    back). Called by every service that changes what the figures count."""
    ids = sorted({belt_id for belt_id in belt_ids if belt_id})
    if not ids:
        return
    from .tasks import belt_figures_count_task

    # The time is taken after the commit: a count that started later saw the change. A broker that
    # is down must not fail the change itself (enqueue logs it); the five-minute job counts it then.
    transaction.on_commit(lambda: enqueue(belt_figures_count_task, belt_ids=ids, requested_at=time.time()))


def belt_figures_refresh_after_certification(*, supplier_ids: Iterable[Any], belt_ids: Iterable[Any]) -> None:
    """Connected to suppliers.hooks.certification_changed: a certification decided, downgraded,
    suspended or lapsed changes its belt's count of certified suppliers."""
    belt_figures_refresh_later(belt_ids=belt_ids)
