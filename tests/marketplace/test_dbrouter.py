"""The read-replica router's rules (marketplace.dbrouter), without a replica: where each read and
write would go, which requests may read the replica, when a browser is pinned to the primary, and
what settings install. tests/marketplace/test_read_replica.py runs them on a real standby."""

import json
import logging
import math
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from prometheus_client import REGISTRY

from catalog.models import Listing
from marketplace.dbrouter import (
    PIN_COOKIE,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    _is_public_data,
    bookkeeping,
    replica_available,
    replica_lag_record,
    replica_reads,
    request_may_read_replica,
    reset,
)
from marketplace.pagecache.models import PageVersion
from tests import factories as f

ROUTER = PrimaryReplicaRouter()


def test_reads_outside_a_request_go_to_the_primary():
    """Tasks, commands and the shell read the primary."""
    assert ROUTER.db_for_read(Listing) == "default"


def test_a_request_allowed_the_replica_reads_it_until_it_writes():
    """Reads go to the replica; a write goes to the primary and sends every later read there too."""
    with replica_reads() as state:
        assert ROUTER.db_for_read(Listing) == REPLICA
        assert ROUTER.db_for_write(Listing) == "default"
        assert ROUTER.db_for_read(Listing) == "default"
    assert state.wrote


def test_what_signs_a_request_in_is_read_from_the_primary_even_in_a_request_on_the_replica():
    """A session, user or API token made a moment ago must work at once."""
    from django.contrib.sessions.models import Session

    from accounts.models import ApiToken, User

    with replica_reads():
        assert [ROUTER.db_for_read(model) for model in (Session, User, ApiToken)] == ["default"] * 3
        assert ROUTER.db_for_read(Listing) == REPLICA


def test_bookkeeping_writes_do_not_move_the_request_s_reads_or_pin_it():
    with replica_reads() as state:
        with bookkeeping():
            assert ROUTER.db_for_write(Listing) == "default"
        assert not state.wrote and ROUTER.db_for_read(Listing) == REPLICA
        ROUTER.db_for_write(Listing)  # the visitor's own write
        with bookkeeping():
            ROUTER.db_for_write(Listing)
        assert state.wrote  # kept


def test_the_search_page_and_the_search_api_are_marked_public_data_and_an_order_page_is_not():
    from django.urls import resolve

    assert _is_public_data(resolve("/search/").func)
    assert _is_public_data(resolve("/api/v1/listings/").func)
    assert not _is_public_data(resolve("/orders/").func)
    assert not _is_public_data(resolve("/api/v1/cart/").func)


def test_a_request_not_allowed_the_replica_reads_the_primary():
    with replica_reads(replica=False):
        assert ROUTER.db_for_read(Listing) == "default"


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the block below is the only one
def test_reads_inside_a_transaction_go_to_the_primary():
    """A read in an atomic block (a service's lock → guard → write) sees the primary's rows."""
    with replica_reads():
        with transaction.atomic():
            assert ROUTER.db_for_read(Listing) == "default"
        assert ROUTER.db_for_read(Listing) == REPLICA


def test_nothing_is_migrated_on_the_replica():
    assert ROUTER.allow_migrate(REPLICA, "catalog", "listing") is False
    assert ROUTER.allow_migrate("default", "catalog", "listing") is None


def test_rows_of_either_alias_may_be_related():
    a, b = Listing(), Listing()
    a._state.db, b._state.db = REPLICA, "default"
    assert ROUTER.allow_relation(a, b) is True


@pytest.mark.parametrize(
    ("method", "headers", "cookies", "allowed"),
    [
        ("GET", {}, {}, True),
        ("HEAD", {}, {}, True),
        ("POST", {}, {}, False),
        ("DELETE", {}, {}, False),
        ("GET", {}, {"sessionid": "x"}, False),  # signed in (or anything of theirs in a session)
        ("GET", {"HTTP_AUTHORIZATION": "Bearer x"}, {}, False),  # an API client with a token
        ("GET", {}, {PIN_COOKIE: "1"}, False),  # wrote a moment ago
    ],
)
def test_which_requests_may_read_the_replica(method, headers, cookies, allowed):
    request = RequestFactory().generic(method, "/search/?q=belt", **headers)
    request.COOKIES.update(cookies)
    assert request_may_read_replica(request) is allowed


def test_no_replica_configured_is_never_available():
    assert REPLICA not in settings.DATABASES
    assert replica_available() is False


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["marketplace.dbrouter.PrimaryReplicaRouter"]


def _middleware(view):
    return ReplicaReadsMiddleware(lambda request: view())


@pytest.mark.django_db(transaction=True)
def test_a_get_that_writes_pins_the_browser_to_the_primary(routed):
    """A safe request whose view wrote answers with the pin cookie for DATABASE_REPLICA_PIN_SECONDS,
    marked private (a shared cache must not hand the cookie to others)."""

    def view():
        f.CategoryFactory()
        return HttpResponse("ok")

    response = _middleware(view)(RequestFactory().get("/"))
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_post_pins_the_browser_even_if_it_wrote_nothing(routed):
    response = _middleware(lambda: HttpResponse("refused", status=400))(RequestFactory().post("/"))
    assert PIN_COOKIE in response.cookies


@pytest.mark.django_db(transaction=True)
def test_a_get_that_only_reads_pins_nothing(routed):
    def view():
        return HttpResponse(str(Listing.objects.count()))

    response = _middleware(view)(RequestFactory().get("/"))
    assert PIN_COOKIE not in response.cookies


def _settings_with(env: dict[str, str]) -> dict:
    """DATABASES, routers and middleware as the test settings build them from `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE},"
        " default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", **env},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_settings_add_the_replica_only_when_its_url_is_given():
    """DATABASE_REPLICA_URL adds the alias (a test mirror of the primary, so the test database is
    made once), the router and the middleware before sessions; without it none of them."""
    url = "postgres://reader@replica.example:5433/marketplace"
    with_replica = _settings_with({"DATABASE_REPLICA_URL": url})
    without = _settings_with({"DATABASE_REPLICA_URL": ""})

    replica = with_replica["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("replica.example", 5433, "reader")
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert with_replica["routers"] == ["marketplace.dbrouter.PrimaryReplicaRouter"]
    middleware = with_replica["middleware"]
    position = middleware.index("marketplace.dbrouter.ReplicaReadsMiddleware")
    assert position < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")

    assert "replica" not in without["databases"]
    assert without["routers"] == []
    assert "marketplace.dbrouter.ReplicaReadsMiddleware" not in without["middleware"]


@pytest.fixture
def lag_forgotten():
    """The process's lag state as at start, whatever the test recorded."""
    reset()
    yield
    reset()


def test_the_lag_over_the_bound_is_logged_once_and_once_when_back(lag_forgotten, caplog, settings):
    """Reads leaving the replica and coming back are one log line each, however many measurements."""
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5.0
    with caplog.at_level(logging.WARNING, logger="marketplace.dbrouter"):
        assert replica_lag_record(0.0) is False
        assert replica_lag_record(12.0) is True
        assert replica_lag_record(13.0) is True
        assert replica_lag_record(None) is True  # unknown (no WAL receiver) counts as over
        assert REGISTRY.get_sample_value("marketplace_replica_lag_seconds") == math.inf
        assert replica_lag_record(0.4) is False
        assert replica_lag_record(0.0) is False
    assert [record.getMessage() for record in caplog.records] == [
        "Read replica lag 12.0 s is over 5.0 s: reads go to the primary",
        "Read replica lag 0.4 s is within 5.0 s again: anonymous reads go to it",
    ]
    assert REGISTRY.get_sample_value("marketplace_replica_lag_seconds") == 0.0


def test_a_request_keeps_its_server_when_the_lag_changes_during_it(lag_forgotten):
    """The lag decides where a request reads when it starts (the middleware), never query by query:
    the page cache's versions and the page's rows come from one server, so a page read from a
    lagging replica is never stored under the primary's newer versions."""
    with replica_reads():
        versions_from = ROUTER.db_for_read(PageVersion)
        replica_lag_record(3600.0)  # another thread measured the replica far behind meanwhile
        assert ROUTER.db_for_read(Listing) == versions_from == REPLICA


def test_settings_refuse_a_lag_bound_that_is_not_positive():
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=settings.BASE_DIR, capture_output=True, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
             "DATABASE_REPLICA_MAX_LAG_SECONDS": "0"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "DATABASE_REPLICA_MAX_LAG_SECONDS" in done.stderr
