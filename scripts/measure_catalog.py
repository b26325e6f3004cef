#!/usr/bin/env python
"""Measure the server time of the catalog's search, browse and API pages over a realistic query mix.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale1m .venv/bin/python scripts/measure_catalog.py
    .venv/bin/python scripts/measure_catalog.py --database-url postgres://…/scale1m --repeat 30 --explain

Every request goes through the whole Django stack in this process (URL routing, middleware, views,
templates, serializers, the ORM and PostgreSQL) with Django's test client: no network and no web
server, so the time is the server's own. The database is only read.

The mix (see KINDS below): a common word, a rare word, misspelt English, Chinese phrases, several
filters at once (belt + level + MOQ + price at a quantity + sample), sorting by price, a deep page
(the 51st, reached by following the "next" cursor 50 times), plain browsing of a belt, and the same
through the API list. Each URL is requested `--warmup` times unmeasured, then `--repeat` times;
the kinds are interleaved, so no kind only ever meets a warm cache.

Printed per kind: requests, SQL queries per request, p50, p95 and max of the server time, the SQL
time inside it and the response size; then the p95 over all pages (search + browse), over the
API, and over everything. With --explain [N], the EXPLAIN (ANALYZE, BUFFERS) of the N slowest SQL
statements (default 2) of the slowest request of each kind, run again with the same parameters
(--explain-all: of every statement of that request).

Settings: marketplace.settings.test (production settings with DEBUG off, without the API's rate
limit and with static files served without a manifest), against the database in DATABASE_URL or
--database-url. The data set: `python manage.py generate_catalog --listings 1000000` (see
docs/performance.md).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mix import fixed_kinds  # noqa: E402 (the repository is put on the path first)


@dataclass
class Kind:
    name: str
    group: str  # "page" (search and browse pages) or "api"
    urls: list[str]
    deep: int = 0  # follow "next" this many times first, and measure the page reached

    samples: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    statements: list[tuple[float, str, Any, bool]] = field(default_factory=list)  # of the slowest request
    slowest_url: str = ""


def kinds() -> list[Kind]:
    """The mix of bench/mix.py (shared with the load bench), a few fixed URLs per kind."""
    return [Kind(k.name, k.group, list(k.urls), k.deep) for k in fixed_kinds()]


class Recorder:
    """Counts and times the SQL of one request (connection.execute_wrapper), noting whether each
    statement ran inside a transaction (where a `SET LOCAL` before it applies)."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str, Any, bool]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        in_transaction = context["connection"].in_atomic_block
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - started, sql, params, in_transaction))


NEXT_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
HREF = re.compile(r'href="([^"]*)"')


def next_url(url: str, response: Any) -> str | None:
    """The "next page" URL of a page (a link with rel="next", or the last link with a cursor)
    or of an API list (its `next`)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content).get("next")
    text = response.content.decode()
    candidates = []
    for tag in NEXT_LINK.findall(text):
        href = HREF.search(tag)
        if not href or "cursor=" not in href.group(1):
            continue
        link = urljoin(url, html.unescape(href.group(1)))
        if re.search(r'rel="[^"]*\bnext\b', tag) or 'data-testid="next' in tag:
            return link
        candidates.append(link)
    return candidates[-1] if candidates else None


def resolve_deep(client: Any, kind: Kind) -> None:
    """Replace each URL of a deep kind by the page reached after following "next" `deep` times."""
    resolved = []
    for url in kind.urls:
        current, pages = url, 1
        while pages <= kind.deep:
            response = client.get(current)
            following = next_url(current, response) if response.status_code == 200 else None
            if not following:
                break
            current, pages = following.replace("http://testserver", ""), pages + 1
        resolved.append(current)
        print(f"  {kind.name}: {url} → page {pages}", file=sys.stderr)
    kind.urls = resolved


def measure(client: Any, connection: Any, kind: Kind, url: str, *, keep: bool) -> None:
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if not keep:
        return
    kind.samples.append(elapsed * 1000)
    kind.sql_ms.append(sum(s[0] for s in recorder.statements) * 1000)
    kind.queries.append(len(recorder.statements))
    kind.sizes.append(len(response.content))
    kind.statuses.add(response.status_code)
    if elapsed * 1000 >= max(kind.samples):
        kind.statements, kind.slowest_url = recorder.statements, url


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def explain(connection: Any, kind: Kind, *, top: int | None) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the `top` slowest read statements (all when None) of the kind's
    slowest request, run again with its parameters, in the order the request ran them, each after
    the `SET LOCAL`s that preceded it in its transaction (the search turns plan types off for
    some statements: without them the plan shown would not be the one that ran)."""
    from django.db import transaction

    def is_read(sql: str) -> bool:
        return sql.lstrip().upper().startswith(("SELECT", "WITH"))

    reads = [s for s in kind.statements if is_read(s[1])]
    if not reads:
        return f"-- {kind.name}: no SQL read"
    chosen = set(map(id, sorted(reads, key=lambda s: s[0], reverse=True)[:top] if top else reads))
    out, settings = [], []
    for statement in kind.statements:
        seconds, sql, params, in_transaction = statement
        if not in_transaction:
            settings = []
        if sql.lstrip().upper().startswith("SET "):
            settings.append(sql)
            continue
        if id(statement) not in chosen:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(setting)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            rendered = cursor.mogrify(sql, params)
            transaction.set_rollback(True)
        rendered = rendered.decode() if isinstance(rendered, bytes) else rendered
        applied = "".join(f"{setting.strip()}\n" for setting in settings)
        out.append(
            f"-- {kind.name}: {seconds * 1000:.1f} ms of the slowest request, {kind.slowest_url}\n"
            f"{applied}{rendered.strip()}\n\n{plan}"
        )
    return "\n\n".join(out)


def _machine() -> str:
    """CPUs and load: other work on the machine shows up in the figures."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}."


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Kinds: " + "; ".join(k.name for k in kinds()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", help="PostgreSQL URL (default: $DATABASE_URL).")
    parser.add_argument("--repeat", type=int, default=20, help="Measured requests per URL (default 20).")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured requests per URL first (default 2).")
    parser.add_argument("--only", help="Measure only the kinds whose name contains this text, e.g. 'api'.")
    parser.add_argument("--language", default="en", help="Accept-Language of the requests (default en).")
    parser.add_argument(
        "--explain",
        type=int,
        nargs="?",
        const=2,
        metavar="N",
        help="Print EXPLAIN (ANALYZE, BUFFERS) of the N slowest SQL statements of each kind (default 2).",
    )
    parser.add_argument("--explain-all", action="store_true", help="EXPLAIN every SQL statement of each kind.")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="A PostgreSQL setting for the measuring connection, e.g. --set jit=off (repeatable).",
    )
    parser.add_argument("--json", help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if not os.environ.get("DATABASE_URL"):
        parser.error("give --database-url or set DATABASE_URL (the embedded development server is not started here)")
    os.environ["DJANGO_DEBUG"] = "false"  # query logging and debug templates would distort the figures
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client

    from catalog.models import Listing

    settings = [item.split("=", 1) for item in args.set]
    if any(len(pair) != 2 or not re.fullmatch(r"[a-z_.]+", pair[0]) for pair in settings):
        parser.error("--set takes NAME=VALUE, e.g. --set jit=off")

    def apply_settings(sender: Any, connection: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            for name, value in settings:
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

    connection_created.connect(apply_settings)
    client = Client(HTTP_ACCEPT_LANGUAGE=args.language)
    selected = [k for k in kinds() if not args.only or args.only.lower() in k.name.lower()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), version()")
        database, version = cursor.fetchone()
    total = Listing.objects.count()
    public = Listing.objects.filter(is_public=True).count()
    print(f"Database {database}: {total:,} listings, {public:,} public. {version.split(' on ')[0]}.")
    print(f"{args.warmup} warm-up and {args.repeat} measured requests per URL. {_machine()}")
    with connection.cursor() as cursor:
        shown = []
        for name in ("jit", "work_mem", "shared_buffers", *(n for n, _v in settings if n not in ("jit", "work_mem"))):
            cursor.execute("SELECT current_setting(%s)", [name])
            shown.append(f"{name}={cursor.fetchone()[0]}")
    print(f"PostgreSQL settings: {', '.join(shown)}{' (set with --set)' if settings else ''}.\n")

    for kind in selected:
        if kind.deep:
            resolve_deep(client, kind)
    for _ in range(args.warmup):
        for kind in selected:
            for url in kind.urls:
                measure(client, connection, kind, url, keep=False)
    for _ in range(args.repeat):
        for kind in selected:
            for url in kind.urls:
                measure(client, connection, kind, url, keep=True)

    columns = ("requests", "queries", "p50 ms", "p95 ms", "max ms", "SQL p50")
    header = f"{'kind':<28} " + " ".join(f"{c:>8}" for c in columns) + f" {'KB':>6}"
    print(header)
    print("-" * len(header))
    for kind in selected:
        queries = (
            f"{min(kind.queries)}"
            if min(kind.queries) == max(kind.queries)
            else f"{min(kind.queries)}–{max(kind.queries)}"
        )
        status = "" if kind.statuses == {200} else f"  HTTP {sorted(kind.statuses)}"
        print(
            f"{kind.name:<28} {len(kind.samples):>8} {queries:>8} {percentile(kind.samples, 50):>8.1f} "
            f"{percentile(kind.samples, 95):>8.1f} {max(kind.samples):>8.1f} {percentile(kind.sql_ms, 50):>8.1f} "
            f"{statistics.median(kind.sizes) / 1024:>6.0f}{status}"
        )
    print("-" * len(header))
    groups = {
        "pages (search + browse)": [s for k in selected if k.group == "page" for s in k.samples],
        "API": [s for k in selected if k.group == "api" for s in k.samples],
        "everything": [s for k in selected for s in k.samples],
    }
    for name, samples in groups.items():
        if samples:
            print(
                f"{'p95 over ' + name:<37} {percentile(samples, 50):>8.1f} {percentile(samples, 95):>8.1f} "
                f"{max(samples):>8.1f}   ({len(samples)} requests)"
            )

    if args.explain or args.explain_all:
        for kind in selected:
            print("\n" + explain(connection, kind, top=None if args.explain_all else args.explain))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": database,
                    "listings": total,
                    "public": public,
                    "kinds": {
                        k.name: {
                            "urls": k.urls,
                            "requests": len(k.samples),
                            "queries": [min(k.queries), max(k.queries)],
                            "p50_ms": percentile(k.samples, 50),
                            "p95_ms": percentile(k.samples, 95),
                            "max_ms": max(k.samples),
                            "sql_p50_ms": percentile(k.sql_ms, 50),
                        }
                        for k in selected
                    },
                    "p95_ms": {name: percentile(samples, 95) for name, samples in groups.items() if samples},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    print(f"\nAt the end: {_machine()}")
    failed = [k.name for k in selected if k.statuses != {200}]
    if failed:
        print(f"\nNot every response was 200 OK: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
