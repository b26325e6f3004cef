#!/usr/bin/env python
"""What one PostgreSQL server serves of the search: the SQL of the search mix replayed alone,
without Django, at several concurrencies.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale1m .venv/bin/python scripts/measure_database.py \
        [--searches 300] [--seconds 20] [--concurrency 1,2,4,8]

1. Record: `--searches` URLs of the load bench's search mix (bench.mix.search_urls: common and
   rare words, misspelt English, Chinese, several filters, sort by price, a belt's listings) are
   requested once through the whole Django stack with the page cache off, and every SQL statement
   each one runs is kept with its parameters (the session and role statements aside).
2. Replay: for each concurrency N, N processes with a connection each (the app's connection
   parameters and options) replay whole searches (each
   search's statements in one transaction, as the request ran them) drawn at random for
   `--seconds`, and the searches completed are counted. The database is only read.

Printed per concurrency: searches a second, statements a second, and the p50/p95 of one search's
database time. The web and Python side of a search (templates, facets' arithmetic) is not in
these figures: `make bench` measures the whole request. docs/scaling.md reads these figures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def record(count: int) -> tuple[list[list[str]], dict]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from belts.models import Belt
    from bench.mix import search_urls

    belts = list(Belt.objects.filter(is_active=True).values_list("slug", flat=True))
    urls = search_urls(belts, per_kind=max(1, count // 7 + 1))
    random.Random(7).shuffle(urls)
    client = Client()
    searches = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        for url in urls[:count]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            statements = [
                q["sql"]
                for q in captured.captured_queries
                if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            ]
            searches.append(statements)
    # The app's own connection parameters (its options: JIT off, as marketplace/settings/base.py sets).
    return searches, connection.get_connection_params()


def _replay(args: tuple[dict, list[list[str]], float, int]) -> tuple[int, int, list[float]]:
    import psycopg2

    params, searches, seconds, seed = args
    rng = random.Random(seed)
    connection = psycopg2.connect(**params)
    connection.autocommit = False
    done = statements = 0
    times: list[float] = []
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            search = rng.choice(searches)
            started = time.perf_counter()
            for sql in search:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            connection.commit()
            times.append((time.perf_counter() - started) * 1000)
            done += 1
            statements += len(search)
    connection.close()
    return done, statements, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", default="1,2,4,8")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url or DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")
    os.environ.setdefault("REDIS_URL", "")

    started = time.monotonic()
    searches, params = record(args.searches)
    per_search = statistics.mean(len(s) for s in searches)
    print(f"recorded {len(searches)} searches, {per_search:.1f} statements each, in {time.monotonic() - started:.0f} s")
    print(f"\n{'concurrency':>11} {'searches/s':>11} {'statements/s':>13} {'p50 ms':>8} {'p95 ms':>8}")
    for concurrency in (int(n) for n in args.concurrency.split(",")):
        jobs = [(params, searches, args.seconds, seed) for seed in range(concurrency)]
        with multiprocessing.get_context("spawn").Pool(concurrency) as pool:
            results = pool.map(_replay, jobs)
        done = sum(r[0] for r in results)
        statements = sum(r[1] for r in results)
        times = sorted(t for r in results for t in r[2])
        p95 = times[int(len(times) * 0.95)] if times else 0.0
        print(
            f"{concurrency:>11} {done / args.seconds:>11.1f} {statements / args.seconds:>13.0f} "
            f"{statistics.median(times):>8.1f} {p95:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
