#!/usr/bin/env python
"""Measure the analytics pages and their API on a generated catalog with a year of trade.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale1m .venv/bin/python scripts/measure_analytics.py [--repeat 10]

The data set: `generate_catalog --listings N --trade`, then `analytics_backfill <first day> <last
day>` (docs/performance.md). Every request goes through the whole Django stack in this process with
Django's test client (no web server), so the time is the server's own; the database is only read.

Who is measured: the supplier with the most orders and the median supplier (by orders), each over
30, 90 and 365 days (page, API and one CSV); a belt operator of the belt with the most orders (page,
API, CSV); the public statistics page of that belt, uncached (the cache cleared before each request)
and cached. Printed per URL: SQL queries per request (the largest seen), p50 and max of the server
time, the SQL time inside it and the response size. Asserted: each within the budget that
docs/performance.md lists (the exit code is 1 when one is over).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The budgets of docs/performance.md's table (tests/analytics/test_pages.py asserts them at small scale).
BUDGETS = {"supplier page": 9, "supplier api": 8, "supplier csv": 9, "belt page": 6, "belt api": 6, "belt csv": 6}
PUBLIC_BUDGET, PUBLIC_CACHED_BUDGET = 5, 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")
    os.environ.setdefault("REDIS_URL", "")

    import django

    django.setup()

    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from belts.models import Belt
    from orders.models import Order
    from suppliers.models import BeltOperator, SupplierMember

    by_supplier = list(Order.objects.values("supplier").annotate(n=Count("id")).order_by("-n", "supplier"))
    busiest, median = by_supplier[0], by_supplier[len(by_supplier) // 2]
    by_belt = Order.objects.values("supplier__belt").annotate(n=Count("id")).order_by("-n")[0]
    belt = Belt.objects.get(pk=by_belt["supplier__belt"])
    operator = BeltOperator.objects.filter(belt=belt).select_related("user").first()
    print(
        f"orders {sum(row['n'] for row in by_supplier):,} of {len(by_supplier):,} suppliers; busiest "
        f"{busiest['n']:,} orders, median {median['n']:,}; belt {belt.slug} {by_belt['n']:,} orders"
    )

    def client(user) -> Client:  # type: ignore[no-untyped-def]
        c = Client()
        c.force_login(user)
        return c

    rows: list[tuple[str, str, int, int, list[float], list[float], int]] = []
    over = []

    def measure(label: str, c: Client, url: str, budget: int, *, clear_cache: bool = False) -> None:
        c.get(url)  # warm-up: the connection, the templates, the process's own caches
        times, sql, queries, size = [], [], 0, 0
        for _ in range(args.repeat):
            if clear_cache:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = c.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            queries = max(queries, len(captured.captured_queries))
            size = len(response.content) if not response.streaming else 0
        rows.append((label, url, queries, budget, times, sql, size))
        if queries > budget:
            over.append((label, url, queries, budget))

    for who, row in (("busiest supplier", busiest), ("median supplier", median)):
        member = SupplierMember.objects.filter(supplier_id=row["supplier"]).select_related("user").first()
        c = client(member.user)
        for period in (30, 90, 365):
            measure(f"{who} page", c, f"/dashboard/supplier/analytics/?period={period}", BUDGETS["supplier page"])
            measure(f"{who} api", c, f"/api/v1/me/analytics/?period={period}", BUDGETS["supplier api"])
        measure(f"{who} csv", c, "/dashboard/supplier/analytics/activity.csv?period=365", BUDGETS["supplier csv"])
    if operator is not None:
        c = client(operator.user)
        measure("belt operator page", c, f"/dashboard/belt/{belt.slug}/analytics/", BUDGETS["belt page"])
        measure("belt operator api", c, f"/api/v1/belts/{belt.slug}/analytics/", BUDGETS["belt api"])
        csv = f"/dashboard/belt/{belt.slug}/analytics/category_months.csv"
        measure("belt operator csv", c, csv, BUDGETS["belt csv"])
    else:
        print(f"(no operator of {belt.slug}: the operator's pages are not measured)")
    anonymous = Client()
    measure("public statistics", anonymous, f"/belts/{belt.slug}/statistics/", PUBLIC_BUDGET, clear_cache=True)
    measure("public statistics, cached", anonymous, f"/belts/{belt.slug}/statistics/", PUBLIC_CACHED_BUDGET)

    print(f"\n{'page':28} {'url':58} {'SQL':>7} {'p50 ms':>8} {'max ms':>8} {'SQL ms':>7} {'KB':>6}")
    for label, url, queries, budget, times, sql, size in rows:
        print(
            f"{label:28} {url:58} {queries:>3}/{budget:<3} {statistics.median(times):8.1f} {max(times):8.1f} "
            f"{statistics.median(sql):7.1f} {size / 1024:6.0f}"
        )
    for label, url, queries, budget in over:
        print(f"OVER BUDGET: {label} {url}: {queries} queries, budget {budget}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
