"""The replica's lag bound on a real streaming standby (tests/replica.py): while the standby's replay
is paused longer than DATABASE_REPLICA_MAX_LAG_SECONDS, anonymous pages read the primary and show
what it has (a listing its supplier unpublished is gone), the cached pages included; once replay
resumes, anonymous reads go back to the standby. /readyz reports the lag without being unready for
it, and /metrics shows it.

Lag is made on purpose: a commit, replayed at once, starts the clock (the standby's lag is the age
of the last commit it replayed while WAL waits), then replay is paused and the supplier writes.
"""

import json
import re
import time

import psycopg2
import pytest

from marketplace.dbrouter import replica_lag
from tests.replica import app_env, manage, signed_in

BOUND = 4.0  # DATABASE_REPLICA_MAX_LAG_SECONDS of the app here
WORD = "Lagwatch"  # in the title of the listing the supplier unpublishes; in no other listing
METRICS_TOKEN = "metrics-token-of-the-lag-tests"

SEED = f"""
import json
from django.test import Client
from tests import factories as f
from tests.orders.factories import listing_with

supplier = f.SupplierFactory()
member = f.SupplierMemberFactory(supplier=supplier).user
listing = listing_with(supplier, f.CategoryFactory(), title_en="{WORD} conveyor belt")
client = Client()
client.force_login(member)
print(json.dumps({{"listing": listing.pk, "session": client.cookies["sessionid"].value}}))
"""


@pytest.fixture(scope="module")
def replica_app_env() -> dict[str, str]:
    return {"DATABASE_REPLICA_MAX_LAG_SECONDS": str(BOUND), "METRICS_TOKEN": METRICS_TOKEN}


@pytest.fixture(scope="module")
def world(replica_pair, replica_app, tmp_path_factory):
    """A supplier with a listing on sale, signed in; written on the primary, replayed by the standby."""
    env = app_env(replica_pair, tmp_path_factory.mktemp("seed"))
    seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
    replica_pair.caught_up()
    return seeded


def _lag_on(server) -> float | None:
    connection = psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres", dbname="marketplace")
    try:
        with connection.cursor() as cursor:
            return replica_lag(cursor)
    finally:
        connection.close()


def _fresh_commit(pair) -> None:
    """A commit on the primary that writes a row, replayed by the standby: its lag starts from now."""
    pair.primary.query("CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz)")
    pair.primary.query("INSERT INTO lag_probe VALUES (now())")
    pair.caught_up()


def _until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"{what}: not within {seconds} s")


def _workers_beat(pair) -> None:
    """A heartbeat of every queue on the primary, as workers consuming them and running the beat's
    heartbeat job write it (no worker runs here)."""
    pair.primary.query(
        "INSERT INTO health_workerheartbeat (worker, queue, beat_at, job_ran_at) "
        "SELECT 'celery@lag-tests', q, now(), now() FROM unnest(%s::text[]) q "
        "ON CONFLICT (worker, queue) DO UPDATE SET beat_at = excluded.beat_at, job_ran_at = excluded.job_ran_at",
        (["verification", "imports", "mail", "figures", "celery"],),
    )


def _gauge(app) -> float:
    body = app.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).body
    found = re.search(r"^marketplace_replica_lag_seconds (\S+)$", body, re.MULTILINE)
    assert found, body[-2000:]
    return float(found.group(1))


def test_an_idle_primary_is_no_lag_and_waiting_wal_counts_from_the_last_replayed_commit(replica_pair, world):
    """With nothing to replay the lag is 0 however long ago the last commit was; with WAL waiting
    (replay paused) it is the age of the last commit replayed, and grows."""
    replica_pair.caught_up()
    time.sleep(BOUND + 1)  # longer than the bound without a commit: an idle primary
    assert _lag_on(replica_pair.standby) == 0
    assert _lag_on(replica_pair.primary) == 0  # a server not in recovery is nobody's standby

    _fresh_commit(replica_pair)
    with replica_pair.replay_paused():
        replica_pair.primary.query("SELECT txid_current()")  # WAL the standby receives, does not replay
        time.sleep(1.5)
        first = _lag_on(replica_pair.standby)
        time.sleep(1)
        second = _lag_on(replica_pair.standby)
    assert first is not None and 1 <= first < second < 30


def test_anonymous_reads_leave_a_replica_lagging_past_the_bound_and_come_back(replica_pair, replica_app, world):
    """The supplier unpublishes its listing while replay is paused. Within the bound anonymous
    visitors still get the standby's page (and its cached copy); past it they get the primary's
    answer, 404, and a search without the listing, while replay is still paused; /readyz reports the
    replica "lagging" and stays ready. Replay resumed, reads go back to the standby: a second
    change, paused again, is not seen there until it is replayed."""
    page = f"/listings/{world['listing']}/"
    search = f"/search/?q={WORD}"
    supplier = signed_in(world["session"])
    before = replica_app.request("GET", page)
    assert before.status == 200, replica_app.log.read_text()[-3000:]
    assert f"{WORD} conveyor belt" in replica_app.request("GET", search).body

    _fresh_commit(replica_pair)
    started = time.monotonic()
    with replica_pair.replay_paused():
        done = replica_app.request("POST", f"/api/v1/me/listings/{world['listing']}/unpublish/", headers=supplier)
        assert done.status == 200, done.body[:2000]
        within_bound = replica_app.request("GET", page)
        assert time.monotonic() - started < BOUND, "the machine was too slow to ask within the bound"

        fresh = _until(
            lambda: (answer := replica_app.request("GET", page)).status == 404 and answer,
            BOUND + 15,
            "the anonymous page read from the primary",
        )
        waited = time.monotonic() - started
        lagging_search = replica_app.request("GET", search)
        _workers_beat(replica_pair)
        ready = replica_app.request("GET", "/readyz")
        gauge = _gauge(replica_app)
        on_standby = replica_pair.standby.query("SELECT status FROM catalog_listing WHERE id = %s", (world["listing"],))

    assert within_bound.status == 200 and f"{WORD} conveyor belt" in within_bound.body  # the standby's page
    assert fresh.status == 404 and waited > BOUND - 1, replica_app.log.read_text()[-3000:]
    assert on_standby == [("published",)]  # still: the 404 came from the primary
    assert lagging_search.status == 200 and f"{WORD} conveyor belt" not in lagging_search.body
    assert ready.status == 200, ready.body
    assert json.loads(ready.body)["checks"]["replica"] == {
        "status": "lagging", "milliseconds": json.loads(ready.body)["checks"]["replica"]["milliseconds"],
        "required": False,
    }  # fmt: skip
    assert gauge > BOUND
    log = replica_app.log.read_text()
    assert re.search(rf"Read replica lag [\d.]+ s is over {BOUND} s: reads go to the primary", log), log[-3000:]

    # Replayed: reads go back to the standby once a request measures the lag again (a second on).
    replica_pair.caught_up()

    def back() -> bool:
        replica_app.request("GET", "/")
        return f"is within {BOUND} s again: anonymous reads go to it" in replica_app.log.read_text()

    _until(back, 15, "the log line of the replica back")
    assert _gauge(replica_app) <= BOUND
    after = replica_app.request("GET", search)  # the primary's page, cached under the versions both now have
    assert after.status == 200 and f"{WORD} conveyor belt" not in after.body
    assert replica_app.request("GET", page).status == 404

    _fresh_commit(replica_pair)
    with replica_pair.replay_paused():
        published = replica_app.request("POST", f"/api/v1/me/listings/{world['listing']}/publish/", headers=supplier)
        assert published.status == 200, published.body[:2000]
        on_replica = replica_app.request("GET", page)
        as_supplier = replica_app.request("GET", page, headers=supplier)
    assert on_replica.status == 404  # the standby has not replayed the publication: it is read again
    assert as_supplier.status == 200  # the supplier, signed in, reads the primary
    replica_pair.caught_up()
    assert _until(lambda: replica_app.request("GET", page).status == 200, 10, "the page once replayed")


def test_readyz_stays_ready_with_the_replica_down_and_reports_it(replica_pair, replica_app, world):
    """A standby that is down is reported "down" in /readyz, which answers 200 (reads fall back to
    the primary); back up, it is "ok" again."""
    _workers_beat(replica_pair)
    replica_pair.standby.stop()
    try:
        ready = replica_app.request("GET", "/readyz")
        page = replica_app.request("GET", f"/listings/{world['listing']}/")
    finally:
        replica_pair.standby.start()
    assert ready.status == 200, ready.body
    assert json.loads(ready.body)["checks"]["replica"]["status"] == "down"
    assert page.status == 200
    replica_pair.caught_up()

    def replica_ok():
        return json.loads(replica_app.request("GET", "/readyz").body)["checks"]["replica"]["status"] == "ok"

    _until(replica_ok, 30, "the replica reported ok again")
