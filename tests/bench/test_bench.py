"""The load bench (`make bench`, bench/run.py) runs end to end on a small catalog: gunicorn starts,
every kind and the bare view are measured under wrk, no request fails, the figures are written.

The bench's catalog lives in a database of its own beside the test database (`<test db>_bench`),
kept between runs: the first run migrates, seeds and generates it, later ones reuse it."""

import json
import os
import shutil
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings

from bench.run import KINDS

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is missing: `make test-deps` installs it")


def bench_database_url() -> str:
    db = settings.DATABASES["default"]
    name = db["NAME"] if db["NAME"].startswith("test_") else f"test_{db['NAME']}"
    user = quote(db.get("USER") or "postgres", safe="")
    auth = f"{user}:{quote(db['PASSWORD'], safe='')}@" if db.get("PASSWORD") else f"{user}@"
    host = db.get("HOST") or ""
    if not host or host.startswith("/"):  # a socket folder (the embedded server)
        return f"postgres://{auth}/{name}_bench?host={quote(host, safe='/')}"
    return f"postgres://{auth}{host}:{db.get('PORT') or 5432}/{name}_bench"


def test_the_bench_measures_every_kind_and_the_bare_view_without_errors(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "bench", "--database-url", bench_database_url(), "--listings", "2000"]
    # 50 listings and suppliers: a kind is loaded for one second (tens to hundreds of requests), so
    # more URLs would only lengthen the filling of the page cache, which requests each warm URL first.
    command += ["--duration", "1", "--warmup", "1", "--connections", "4", "--sample", "50", "--json", str(out)]
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    figures = json.loads(out.read_text())
    assert figures["listings"] >= 2000
    assert set(figures["kinds"]) == set(KINDS)
    for kind, run in figures["kinds"].items():
        assert run["requests"] > 0 and run["rps"] > 0, kind
        assert run["errors"] == 0, (kind, run["statuses"])
        assert set(run["statuses"]) == {"200"}, kind
        assert run["share_of_bare"] > 0, kind
    assert figures["kinds"]["search"]["urls"] >= 1000  # distinct queries: caches stay honest
    bare = figures["bare"]["runs"]
    assert len(bare) == len(KINDS) + 1 and all(r["requests"] > 0 and r["errors"] == 0 for r in bare)
    workers = {name: mib for name, mib in figures["rss_mib"]["after_run"].items() if name != "master"}
    assert len(workers) == 2 and all(mib > 0 for mib in workers.values())

    assert figures["settings"]["page_cache"] == "on"
    assert "Filled the page cache with" in result.stdout  # the warm kinds are measured as cache hits
    assert figures["kinds"]["search-cached"]["urls"] == 100
    assert figures["kinds"]["api-list-cached"]["urls"] == 100

    lines = result.stdout.splitlines()
    for kind in ("bare", *KINDS):
        assert any(line.split()[:1] == [kind] for line in lines), kind

    # The profile of a kind's misses reads the URLs the run wrote, every request answered.
    command = [sys.executable, "-m", "bench.profile", "--database-url", bench_database_url(), "--sample", "20"]
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.startswith("search: 20 requests, mean ")
    assert "statuses [200]" in result.stdout and "SQL per request, by statement:" in result.stdout
