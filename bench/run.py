"""The load bench: the app under gunicorn as in production, measured with wrk, beside a bare view.

    make bench                                         # 1,000,000 listings, 15 s per kind
    make bench BENCH_ARGS="--listings 100000 --only search,api-list --json var/bench/out.json"
    .venv/bin/python -m bench --database-url postgres://postgres@127.0.0.1:5432/mkt_bench --listings 100000

1. The catalog: the database (--database-url, else $BENCH_DATABASE_URL, else $DATABASE_URL's
   server with the database `marketplace_bench`) is created if missing and migrated; when it holds
   fewer than --listings listings, the demo world is seeded (belts and categories) if it has no
   belt and `generate_catalog` adds the rest. A catalog of at least that size is reused as it is.
2. The app: `collectstatic` into var/bench/, then gunicorn with `marketplace.wsgi:application`, as
   the Dockerfile runs it (sync workers, --workers 2 by default, the access log written to a file),
   on a free port, with the production settings from the environment: DEBUG off, a fresh secret
   and signing key, HTTPS behind a proxy (wrk sends X-Forwarded-Proto), WhiteNoise's manifest,
   the rate limits raised out of the way (the throttles still run), the page cache on unless
   --no-page-cache (which measures every request as a miss). The settings module is
   bench.settings: the app's URLs and a bare view (a constant 20 KB page through the same
   middleware).
3. The URLs of each kind, written to files: the home page; every active belt's page; listing
   pages and API details of public listings and profiles of certified suppliers, sampled at random;
   the search mix of bench.mix (the kinds of scripts/measure_catalog.py over the generator's
   vocabularies, well over a thousand distinct queries); the API list over the same kinds.
4. The load: unless --no-page-cache, every URL of the kinds in FILLED is requested once (the page
   cache then holds them, as it holds a site's pages once visited; the search mix and the API list
   stay cold; search-cached and api-list-cached are 100 queries of each, filled), then a warm-up
   over every URL, then wrk (-t2 -c16 -d15s by default, bench/wrk.lua drawing each request's path
   at random from the kind's file) on each kind in turn, the bare view before the first kind and
   after each, so both meet the same machine. A kind's share of the bare view
   is its req/s over the mean of the bare runs just before and after it.

Printed: per kind, URLs, requests, req/s, share of the bare view, p50, p99, errors (wrk's socket
errors and timeouts, and responses other than 200 counted in gunicorn's access log); then the
resident memory of each gunicorn worker (from /proc) after the run; the goals of the performance
work beside them. --json writes the same figures to a file. The exit status is 1 when any request
failed, 0 otherwise (goals missed are reported, not failed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.mix import BARE_PATH, api_list_urls, search_urls

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
KINDS = (
    "home", "belt", "listing", "supplier", "search", "search-cached", "api-list", "api-list-cached", "api-detail"
)  # fmt: skip
# Kinds whose every URL is requested once before the load, so that they are measured as a visitor
# meets them once the page cache holds them (unless --no-page-cache). The search mix and the API
# list are left cold: they measure requests that miss.
FILLED = ("home", "belt", "listing", "supplier", "search-cached", "api-list-cached", "api-detail")
SEARCH_CACHED = 100  # queries of the search mix (and of the API list) measured warm
DEFAULT_DATABASE = "marketplace_bench"
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
# The goals of the performance work (the issue that asked for this bench), shown beside the figures.
GOALS = {
    "home": "≥ 35 % of bare",
    "belt": "≥ 35 % of bare",
    "listing": "≥ 35 % of bare",
    "supplier": "≥ 35 % of bare",
    "search": "≥ 100 req/s, p99 < 250 ms",
    "search-cached": "≥ 35 % of bare",
    "api-list": "≥ 300 req/s",
    "api-list-cached": "≥ 300 req/s",
    "api-detail": "≥ 300 req/s",
}
RSS_GOAL_MIB = 150
# gunicorn's default access log line, with the request's time in milliseconds (%(M)s) at the end.
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
ACCESS_LINE = re.compile(r'"[A-Z]+ (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* (?P<ms>\d+)$')


@dataclass
class Run:
    kind: str
    urls: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    timeouts: int
    not_ok: int  # responses other than 200 in the access log
    statuses: dict[str, int] = field(default_factory=dict)
    slowest: list[tuple[int, str]] = field(default_factory=list)  # (server ms, path) from the access log

    @property
    def errors(self) -> int:
        return self.socket_errors + self.timeouts + self.not_ok


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the database and its catalog ---------------------------------------------------------------


def database_url(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "Give --database-url (or BENCH_DATABASE_URL), or run under `make bench`, which starts PostgreSQL."
        )
    # The same server as the app's database, never that database itself.
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{DEFAULT_DATABASE}"))


def app_environment(database: str, *, redis: str, var_dir: Path) -> dict[str, str]:
    """The production environment of the app under test (see .env.example)."""
    from suppliers.signing import private_key_from_seed, private_key_pem

    key = private_key_pem(private_key_from_seed(secrets.token_bytes(32)))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "CERTIFICATE_", "API_", "SEARCH_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_USE_HTTPS": "true",
            "CERTIFICATE_SIGNING_KEYS": json.dumps([{"kid": "bench", "active": True, "private_key": key}]),
            "DATABASE_URL": database,
            "VAR_DIR": str(var_dir),
            "DJANGO_STATIC_ROOT": str(var_dir / "staticfiles"),
            # One client address sends every request: the limits would answer 429 within a second.
            # Per second, so each throttle's history stays as short as in production (DRF's user
            # throttle counts anonymous clients too).
            "API_THROTTLE_ANON": "1000000/second",
            "API_THROTTLE_USER": "1000000/second",
            "SEARCH_THROTTLE_RATE": "1000000/second",
        }
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


def prepare_catalog(listings: int) -> None:
    """Migrate; seed the belts and generate listings up to `listings` unless there are enough."""
    from django.core.management import call_command

    from belts.models import Belt
    from catalog.models import Listing

    call_command("migrate", interactive=False, verbosity=0)
    count = Listing.objects.count()
    if count >= listings:
        say(f"Reusing the catalog: {count:,} listings (at least {listings:,}).")
        return
    if not Belt.objects.exists():
        say("Seeding the demo world (belts and categories)…")
        call_command("seed_demo", quiet=True)
        count = Listing.objects.count()
    if count < listings:
        say(f"Generating {listings - count:,} listings ({count:,} there)…")
        call_command("generate_catalog", listings=listings - count, append=True)


@dataclass
class Catalog:
    database: str
    postgres: str
    listings: int
    public: int
    urls: dict[str, list[str]]


def sample_urls(per_kind: int, seed: int) -> Catalog:
    """The URLs of each kind, sampled from the database."""
    from django.db import connection

    from belts.models import Belt
    from catalog.models import Listing
    from suppliers.models import Supplier

    rng = random.Random(seed)  # nosec B311
    belts = list(Belt.objects.active().order_by("position", "pk").values_list("slug", flat=True))
    public = Listing.objects.filter(is_public=True)
    low, high = (
        Listing.objects.order_by("pk").values_list("pk", flat=True).first() or 0,
        (Listing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0),
    )
    ids: set[int] = set()
    for _ in range(20):  # random ids in the range, kept when public: index lookups, no sort of the table
        if len(ids) >= per_kind or not high:
            break
        candidates = [rng.randint(low, high) for _ in range(per_kind * 2)]
        ids.update(public.filter(pk__in=candidates).values_list("pk", flat=True))
    listing_ids = sorted(ids)[:per_kind] if len(ids) <= per_kind else rng.sample(sorted(ids), per_kind)
    slugs = list(Supplier.objects.certified().values_list("slug", flat=True))
    supplier_slugs = rng.sample(slugs, min(per_kind, len(slugs)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), version()")
        database, version = cursor.fetchone()
    urls = {
        "home": ["/"],
        "belt": [f"/belts/{slug}/" for slug in belts],
        "listing": [f"/listings/{pk}/" for pk in listing_ids],
        "supplier": [f"/suppliers/{slug}/" for slug in supplier_slugs],
        "search": search_urls(belts),
        "api-list": api_list_urls(belts),
        "api-detail": [f"/api/v1/listings/{pk}/" for pk in listing_ids],
    }
    urls["search-cached"] = rng.sample(urls["search"], min(SEARCH_CACHED, len(urls["search"])))
    urls["api-list-cached"] = rng.sample(urls["api-list"], min(SEARCH_CACHED, len(urls["api-list"])))
    unsent = [
        url for found in urls.values() for url in found if not url.isascii() or not url.isprintable() or " " in url
    ]
    if unsent:
        raise SystemExit(f"URLs must be percent-encoded to go on the wire as they are: {unsent[:5]}")
    empty = [kind for kind, found in urls.items() if not found]
    if empty:
        raise SystemExit(f"The catalog has nothing to request for: {', '.join(empty)}.")
    return Catalog(database, version.split(" on ")[0], Listing.objects.count(), public.count(), urls)


# --- the app under gunicorn ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get(base: str, path: str, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, headers=HEADERS)  # noqa: S310 (our own http://127.0.0.1)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, var_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = var_dir / "access.log"
        self.access_log.write_text("")
        self.error_log = var_dir / "gunicorn.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "marketplace.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_FORMAT,
            "--error-logfile",
            str(self.error_log),
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603  # nosec B603
        self.workers = workers

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {self.process.returncode}); see {self.error_log}")
            try:
                status, _body = get(self.base, "/healthz", timeout=5)
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.error_log}")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def rss_mib(self) -> dict[str, float]:
        """Resident memory of the master and of each worker, in MiB."""
        out = {}
        for name, pid in [("master", self.process.pid), *((f"worker {p}", p) for p in self.worker_pids())]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                out[name] = int(match.group(1)) / 1024
        return out

    def wait_idle(self, limit: float = 180) -> float:
        """Wait until the workers have answered what the last run left queued (sync workers still
        serve requests whose client has gone), so that no run inherits another's backlog: until
        /healthz answers within half a second. Returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            asked = time.monotonic()
            try:
                status, _body = get(self.base, "/healthz", timeout=limit)
            except OSError:
                status = 0
            if status == 200 and time.monotonic() - asked < 0.5:
                break
        return time.monotonic() - started

    def access_offset(self) -> int:
        return self.access_log.stat().st_size

    def requests_since(self, offset: int) -> list[tuple[str, str, int]]:
        """(path, status, milliseconds) of each request logged after `offset`."""
        out = []
        with self.access_log.open("rb") as f:
            f.seek(offset)
            for line in f.read().decode(errors="replace").splitlines():
                match = ACCESS_LINE.search(line)
                if match:
                    out.append((match["path"], match["status"], int(match["ms"])))
                else:
                    out.append(("?", "?", 0))
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- wrk ----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("wrk is missing: installing Debian's package (apt-get install wrk)…")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    try:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)  # noqa: S603  # nosec B603
        subprocess.run(  # noqa: S603
            [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],  # nosec B603
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"wrk is needed and could not be installed ({error}): apt-get install wrk") from error
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return found


def wrk(
    binary: str, base: str, paths_file: Path, *, kind: str, urls: int, threads: int, connections: int, seconds: int
) -> Run:
    headers = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    command = [
        binary,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        *headers,
        "-s",
        str(WRK_SCRIPT),
        base,
        "--",
        str(paths_file),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {kind} (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    errors, latency = figures["errors"], figures["latency_us"]
    seconds_run = figures["duration_us"] / 1e6
    return Run(
        kind=kind,
        urls=urls,
        requests=figures["requests"],
        seconds=seconds_run,
        rps=figures["requests"] / seconds_run if seconds_run else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        socket_errors=errors["connect"] + errors["read"] + errors["write"],
        timeouts=errors["timeout"],
        not_ok=errors["status"],  # replaced by the access log's count (which sees 3xx too)
    )


def measure(gunicorn: Gunicorn, binary: str, paths_file: Path, kind: str, urls: int, args: argparse.Namespace) -> Run:
    waited = gunicorn.wait_idle()
    if waited > 2:
        say(f"  (waited {waited:.0f} s for the requests the last run left queued)")
    offset = gunicorn.access_offset()
    run = wrk(
        binary,
        gunicorn.base,
        paths_file,
        kind=kind,
        urls=urls,
        threads=args.threads,
        connections=args.connections,
        seconds=args.duration,
    )
    time.sleep(0.2)  # the last responses' log lines
    logged = gunicorn.requests_since(offset)
    for _path, status, _ms in logged:
        run.statuses[status] = run.statuses.get(status, 0) + 1
    run.slowest = sorted(((ms, path) for path, _status, ms in logged), reverse=True)[:5]
    run.not_ok = max(run.not_ok, sum(n for status, n in run.statuses.items() if status != "200"))
    return run


def fill_page_cache(base: str, urls: dict[str, list[str]]) -> None:
    """Request every URL of the FILLED kinds once (8 at a time), so the page cache holds them."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [path for kind in FILLED for path in urls.get(kind, [])]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda path: get(base, path, timeout=120)[0], paths))
    say(
        f"Filled the page cache with {len(paths):,} URLs of {', '.join(k for k in FILLED if k in urls)} "
        f"in {time.monotonic() - started:.0f} s ({sum(s != 200 for s in statuses)} not 200)."
    )


def preflight(base: str, urls: dict[str, list[str]], per_kind: int, seed: int) -> None:
    """A few URLs of each kind, and the bare view, must answer 200 (no redirect, no error page).
    The first requests on a cold database can be slow: each is timed, and slow ones are named;
    one that gets no answer (a worker killed by gunicorn's timeout) is named and the load goes on,
    where such requests count as errors."""
    rng = random.Random(seed)  # nosec B311
    failures = []
    for kind, found in {**urls, "bare": [BARE_PATH]}.items():
        for path in rng.sample(found, min(per_kind, len(found))):
            started = time.monotonic()
            try:
                status, _body = get(base, path, timeout=120)
            except OSError as error:  # too slow for gunicorn's worker timeout: measured, not refused
                say(f"  no answer after {time.monotonic() - started:.1f} s ({error}): {path}")
                continue
            seconds = time.monotonic() - started
            if seconds > 5:
                say(f"  slow first request ({seconds:.1f} s): {path}")
            if status != 200:
                failures.append(f"{kind}: {path} answered {status}")
    if failures:
        raise SystemExit("Some URLs do not answer 200:\n  " + "\n  ".join(failures[:20]))


# --- the report ---------------------------------------------------------------------------------


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603  # nosec B603
            ["git", *args],  # noqa: S607  # nosec B607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        out = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out + (" (with uncommitted changes)" if dirty else "")


def goal_met(kind: str, run: Run, share: float | None) -> bool | None:
    if kind in ("home", "belt", "listing", "supplier", "search-cached"):
        return share is not None and share >= 0.35
    if kind == "search":
        return run.rps >= 100 and run.p99_ms < 250
    if kind in ("api-list", "api-list-cached", "api-detail"):
        return run.rps >= 300
    return None


def table(runs: list[Run], bare: list[Run], shares: dict[str, float | None]) -> list[str]:
    header = (
        f"{'kind':<15} {'URLs':>5} {'requests':>9} {'req/s':>8} {'of bare':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  goal"
    )
    lines = [header, "-" * (len(header) + 28)]
    if bare:
        rps = [r.rps for r in bare]
        lines.append(
            f"{'bare':<15} {1:>5} {sum(r.requests for r in bare):>9} {sum(rps) / len(rps):>8.1f} {'100 %':>8} "
            f"{sorted(r.p50_ms for r in bare)[len(bare) // 2]:>8.1f} {max(r.p99_ms for r in bare):>8.1f} "
            f"{sum(r.errors for r in bare):>7}  ({len(bare)} runs, {min(rps):.0f}–{max(rps):.0f} req/s)"
        )
    for run in runs:
        share = shares.get(run.kind)
        met = goal_met(run.kind, run, share)
        mark = "" if met is None else (" met" if met else " NOT met")
        lines.append(
            f"{run.kind:<15} {run.urls:>5} {run.requests:>9} {run.rps:>8.1f} "
            f"{(f'{share * 100:.1f} %' if share is not None else '–'):>8} {run.p50_ms:>8.1f} {run.p99_ms:>8.1f} "
            f"{run.errors:>7}  {GOALS.get(run.kind, '')}{mark}"
        )
    return lines


# --- the command --------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=1_000_000, help="Catalog size (default 1,000,000).")
    parser.add_argument(
        "--database-url",
        help=f"PostgreSQL URL (default: $BENCH_DATABASE_URL, else {DEFAULT_DATABASE} on $DATABASE_URL's server).",
    )
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per kind (default 15).")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections (default 16).")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads (default 2).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers (default 2).")
    parser.add_argument(
        "--warmup", type=int, default=5, help="Seconds of unmeasured load over every URL first (default 5)."
    )
    parser.add_argument(
        "--only", help=f"Comma-separated kinds to measure (of {', '.join(KINDS)}); the bare view always."
    )
    parser.add_argument("--sample", type=int, default=2000, help="Listings and suppliers sampled (default 2000).")
    parser.add_argument("--redis-url", default="", help="Redis for the app's cache (default none: per-process cache).")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="Turn the page cache off (PAGE_CACHE_SECONDS=0): every request renders, as on a miss.",
    )
    parser.add_argument("--seed", type=int, default=1, help="Seed of the sampling (default 1).")
    parser.add_argument("--json", help="Also write the figures to this JSON file.")
    args = parser.parse_args(argv)
    if args.only:
        args.kinds = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in args.kinds if k not in KINDS]
        if unknown:
            parser.error(f"unknown kinds {', '.join(unknown)}: choose among {', '.join(KINDS)}")
    else:
        args.kinds = list(KINDS)
    if min(args.duration, args.connections, args.threads, args.workers, args.listings) < 1:
        parser.error("--duration, --connections, --threads, --workers and --listings must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    binary = ensure_wrk()
    started = datetime.now(UTC)
    sys.path.insert(0, str(ROOT))
    database = database_url(args.database_url)
    var_dir = ROOT / "var" / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = app_environment(database, redis=args.redis_url, var_dir=var_dir)
    if args.no_page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"

    from marketplace.devstack import create_database_if_missing

    create_database_if_missing(database)
    os.environ.clear()  # this process reads the catalog with the app's own settings
    os.environ.update(env)
    import django

    django.setup()
    prepare_catalog(args.listings)
    catalog = sample_urls(args.sample, args.seed)
    from django.db import connections

    connections.close_all()
    say("Collecting static files…")
    subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )

    files = {}
    for kind in [*args.kinds, "bare"]:
        found = catalog.urls.get(kind, [BARE_PATH])
        files[kind] = var_dir / f"urls-{kind}.txt"
        files[kind].write_text("\n".join(found) + "\n")
    warmup_file = var_dir / "urls-warmup.txt"
    warmup_file.write_text("\n".join(u for kind in args.kinds for u in catalog.urls[kind]) + f"\n{BARE_PATH}\n")

    say(
        f"Database {catalog.database}: {catalog.listings:,} listings, {catalog.public:,} public. {catalog.postgres}.\n"
        f"Commit {commit()}. gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s per kind; cache {'Redis' if args.redis_url else 'per process'}; "
        f"page cache {'off' if args.no_page_cache else 'on'}.\n"
        f"Search mix: {len(catalog.urls['search']):,} distinct queries. {machine()} at the start."
    )
    gunicorn = Gunicorn(env, args.workers, var_dir)
    try:
        gunicorn.wait_ready()
        preflight(gunicorn.base, {k: catalog.urls[k] for k in args.kinds}, per_kind=5, seed=args.seed)
        if not args.no_page_cache:
            fill_page_cache(gunicorn.base, {k: catalog.urls[k] for k in args.kinds})
        if args.warmup:
            say(f"Warming up for {args.warmup} s over every URL…")
            wrk(
                binary,
                gunicorn.base,
                warmup_file,
                kind="warm-up",
                urls=0,
                threads=args.threads,
                connections=args.connections,
                seconds=args.warmup,
            )
        rss_before = gunicorn.rss_mib()
        bare: list[Run] = []
        runs: list[Run] = []
        shares: dict[str, float | None] = {}
        bare.append(measure(gunicorn, binary, files["bare"], "bare", 1, args))
        say(f"  bare        {bare[-1].rps:8.1f} req/s")
        for kind in args.kinds:
            run = measure(gunicorn, binary, files[kind], kind, len(catalog.urls[kind]), args)
            runs.append(run)
            say(f"  {kind:<11} {run.rps:8.1f} req/s")
            bare.append(measure(gunicorn, binary, files["bare"], "bare", 1, args))
            say(f"  bare        {bare[-1].rps:8.1f} req/s")
            around = (bare[-2].rps + bare[-1].rps) / 2
            shares[kind] = run.rps / around if around else None
        rss_after = gunicorn.rss_mib()
    finally:
        gunicorn.stop()

    say(f"\n{machine()} at the end.\n")
    for line in table(runs, bare, shares):
        say(line)
    workers_after = {k: v for k, v in rss_after.items() if k != "master"}
    worst = max(workers_after.values(), default=0.0)
    say(
        "\nResident memory of the gunicorn workers after the run: "
        + ", ".join(f"{v:.1f}" for v in workers_after.values())
        + f" MiB (after the warm-up: {', '.join(f'{v:.1f}' for k, v in rss_before.items() if k != 'master')};"
        + f" master {rss_after.get('master', 0.0):.1f}). Goal ≤ {RSS_GOAL_MIB} MiB: "
        + ("met." if worst <= RSS_GOAL_MIB else "NOT met.")
    )
    slow = [r for r in runs if r.p99_ms >= 250]
    if slow:
        say("\nSlowest requests (server time in the access log) of the kinds with p99 ≥ 250 ms:")
        for run in slow:
            for ms, path in run.slowest[:3]:
                say(f"  {run.kind:<11} {ms:>7,} ms  {path}")
    failed = [r for r in [*runs, *bare] if r.errors or not r.requests]
    for run in failed:
        say(
            f"{run.kind}: {run.errors} errors (statuses {run.statuses}, "
            f"socket {run.socket_errors}, timeouts {run.timeouts})"
        )

    if args.json:
        result = {
            "started": started.isoformat(timespec="seconds"),
            "commit": commit(),
            "machine_end": machine(),
            "database": catalog.database,
            "postgres": catalog.postgres,
            "listings": catalog.listings,
            "public": catalog.public,
            "settings": {
                "workers": args.workers,
                "threads": args.threads,
                "connections": args.connections,
                "duration_s": args.duration,
                "cache": "redis" if args.redis_url else "per-process",
                "page_cache": "off" if args.no_page_cache else "on",
            },
            "bare": {
                "rps": sum(r.rps for r in bare) / len(bare),
                "runs": [{**asdict(r), "errors": r.errors} for r in bare],
            },
            "kinds": {
                r.kind: {
                    **asdict(r),
                    "errors": r.errors,
                    "share_of_bare": shares.get(r.kind),
                    "goal": GOALS.get(r.kind),
                    "goal_met": goal_met(r.kind, r, shares.get(r.kind)),
                }
                for r in runs
            },
            "rss_mib": {"after_warmup": rss_before, "after_run": rss_after, "goal": RSS_GOAL_MIB},
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        say(f"\nFigures written to {args.json}.")
    return 1 if failed else 0
