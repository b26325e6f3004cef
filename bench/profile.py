"""Where a kind's requests spend their time: server time in this process, split into SQL and Python.

    .venv/bin/python -m bench.profile --database-url postgres://…/mkt_bench_1m [--kind search]
        [--sample 400] [--cprofile 40]

Reads the URLs the last `python -m bench` run wrote (var/bench/urls-<kind>.txt), draws `--sample`
of them (the same ones each time), and requests each through the whole Django stack in this
process (django.test.Client), with the production settings of the bench (bench.run.app_environment)
and the page cache off, so every request is a miss. Printed: the mean server time and its SQL share,
p50 and p90, the slowest requests, and the SQL statements that cost the most per request, grouped by
their first words. `--cprofile N` adds cProfile's N functions of most internal time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""), required=False)
    parser.add_argument("--kind", default="search")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url (or BENCH_DATABASE_URL): the bench's catalog")
    paths_file = ROOT / "var" / "bench" / f"urls-{args.kind}.txt"
    if not paths_file.exists():
        parser.error(f"{paths_file} is missing: run `python -m bench` once first")

    sys.path.insert(0, str(ROOT))
    from bench.run import app_environment

    env = app_environment(args.database_url, redis="", var_dir=ROOT / "var" / "bench")
    env["PAGE_CACHE_SECONDS"] = "0"
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    urls = [line.strip() for line in paths_file.read_text().splitlines() if line.strip()]
    urls = random.Random(1).sample(urls, min(args.sample, len(urls)))  # nosec B311: a fixed draw, not a secret
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    spent: dict[str, float] = {}
    statements: dict[str, int] = {}
    sql = [0.0]

    def timed(execute: Any, statement: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            took = time.perf_counter() - started
            sql[0] += took
            head = " ".join(statement.split())[:90]
            spent[head] = spent.get(head, 0.0) + took
            statements[head] = statements.get(head, 0) + 1

    for url in urls[:5]:  # warm the process (imports, translations, connection)
        client.get(url)
    spent.clear()
    statements.clear()
    profile = cProfile.Profile() if args.cprofile else None
    rows = []
    with connection.execute_wrapper(timed):
        for url in urls:
            sql[0] = 0.0
            started = time.perf_counter()
            if profile:
                profile.enable()
            response = client.get(url)
            if profile:
                profile.disable()
            rows.append((time.perf_counter() - started, sql[0], response.status_code, url))
    total = sum(r[0] for r in rows)
    in_sql = sum(r[1] for r in rows)
    n = len(rows)
    ordered = sorted(r[0] for r in rows)
    print(
        f"{args.kind}: {n} requests, mean {1000 * total / n:.1f} ms (SQL {1000 * in_sql / n:.1f}, "
        f"Python {1000 * (total - in_sql) / n:.1f}), p50 {1000 * ordered[n // 2]:.1f}, "
        f"p90 {1000 * ordered[int(n * 0.9)]:.1f}, max {1000 * ordered[-1]:.1f} ms; "
        f"statuses {sorted({r[2] for r in rows})}"
    )
    print("Slowest:")
    for took, in_db, _status, url in sorted(rows, reverse=True)[:10]:
        print(f"  {1000 * took:7.1f} ms (SQL {1000 * in_db:7.1f})  {url}")
    print("SQL per request, by statement:")
    for head, seconds in sorted(spent.items(), key=lambda item: -item[1])[:12]:
        print(f"  {1000 * seconds / n:6.1f} ms  ×{statements[head] / n:4.2f}  {head}")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.cprofile)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
