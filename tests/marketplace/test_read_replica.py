"""The app on a real streaming replica (tests/replica.py): anonymous pages and the search read the
standby, and so do signed-in users' searches (page and API); writes and signed-in users' other pages
the primary; a browser or API client that wrote reads the primary for a while; a standby that is
down sends reads back to the primary.

Replication lag is made on purpose: the standby's replay is paused (`pg_wal_replay_pause()`), so
a row written meanwhile is on the primary only, and what a page shows says which server it read.
The app here allows a day of lag, so that a paused standby is still read; the bound that sends
reads back to the primary (DATABASE_REPLICA_MAX_LAG_SECONDS) is test_replica_lag.py's.
"""

import json
import time

import pytest

from tests.replica import app_env, manage, signed_in

WORD = "Zirconwave"  # in the title of the draft the supplier publishes; in no other listing

SEED = f"""
import json
from django.test import Client
from catalog.models import Listing
from tests import factories as f
from tests.orders.factories import listing_with

supplier = f.SupplierFactory()
member = f.SupplierMemberFactory(supplier=supplier).user
category = f.CategoryFactory()
on_sale = listing_with(supplier, category)
draft = listing_with(supplier, category, title_en="{WORD} conveyor belt", status=Listing.Status.DRAFT)
buyer = f.BuyerMemberFactory().user
from accounts.services import api_token_create
token = api_token_create(user=buyer, name="replica tests").key
sessions = {{}}
for name, user in (("supplier", member), ("buyer", buyer)):
    client = Client()
    client.force_login(user)
    sessions[name] = client.cookies["sessionid"].value
print(json.dumps({{"on_sale": on_sale.pk, "draft": draft.pk, "sessions": sessions, "token": token}}))
"""


@pytest.fixture(scope="module")
def replica_app_env() -> dict[str, str]:
    """A lag bound no paused replay here reaches: these tests show what a lagging replica serves."""
    return {"DATABASE_REPLICA_MAX_LAG_SECONDS": "86400"}


@pytest.fixture(scope="module")
def world(replica_pair, replica_app, tmp_path_factory):
    """A certified supplier with a listing on sale and a draft, a buyer, both signed in; written on
    the primary and replayed by the standby."""
    env = app_env(replica_pair, tmp_path_factory.mktemp("seed"))
    seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
    replica_pair.caught_up()
    return seeded


def _search(app, headers=None):
    return app.request("GET", f"/search/?q={WORD}", headers=headers)


def test_anonymous_search_reads_the_replica_and_the_supplier_who_published_reads_the_primary(
    replica_pair, replica_app, world
):
    """With replay paused, the supplier publishes its draft (a write: on the primary, the standby
    would refuse it); the anonymous search still shows the standby's catalog without it, while the
    supplier's browser (pinned by the cookie its POST got) and an anonymous browser pinned by its own
    POST see it; once the standby replays, the anonymous search (its cached page keyed by the
    standby's versions) shows it too."""
    supplier = signed_in(world["sessions"]["supplier"])
    supplier_pinned = {**supplier, "Cookie": supplier["Cookie"] + "; primary_reads=1"}
    before = _search(replica_app)
    assert before.status == 200, replica_app.log.read_text()[-3000:]
    assert f"{WORD} conveyor belt" not in before.body

    with replica_pair.replay_paused():
        published = replica_app.request("POST", f"/api/v1/me/listings/{world['draft']}/publish/", headers=supplier)
        assert published.status == 200, published.body[:2000]
        assert "primary_reads" in published.cookies  # the browser that wrote reads the primary a while
        on_primary = replica_pair.primary.query("SELECT status FROM catalog_listing WHERE id = %s", (world["draft"],))
        on_standby = replica_pair.standby.query("SELECT status FROM catalog_listing WHERE id = %s", (world["draft"],))
        assert (on_primary, on_standby) == ([("published",)], [("draft",)])

        anonymous = _search(replica_app)
        anonymous_page = replica_app.request("GET", f"/listings/{world['draft']}/")
        anonymous_api = replica_app.request("GET", f"/api/v1/listings/{world['draft']}/")
        as_supplier = _search(replica_app, headers=supplier_pinned)
        pinned = _search(replica_app, headers={"Cookie": "primary_reads=1"})

    assert anonymous.status == 200
    assert f"{WORD} conveyor belt" not in anonymous.body
    assert (anonymous_page.status, anonymous_api.status) == (404, 404)
    assert f"{WORD} conveyor belt" in as_supplier.body
    assert f"{WORD} conveyor belt" in pinned.body

    replica_pair.caught_up()
    after = _search(replica_app)
    assert f"{WORD} conveyor belt" in after.body
    assert replica_app.request("GET", f"/listings/{world['draft']}/").status == 200


def test_signed_in_searches_read_the_replica_until_the_browser_or_client_writes(replica_pair, replica_app, world):
    """The search shows every visitor the same public rows (`@public_data`), so a signed-in buyer's
    search page and an API client's search read the standby too: with replay paused, a listing
    renamed on the primary keeps its old title there. The buyer's own pages still read the primary
    (its session and token are always read there). Once the API client writes (a cart line), its
    searches read the primary for the pin's time, as a browser's do with the pin cookie."""
    buyer = signed_in(world["sessions"]["buyer"])
    bearer = {"Authorization": f"Bearer {world['token']}"}
    renamed = f"{WORD} renamed belt"
    with replica_pair.replay_paused():
        replica_pair.primary.query(
            "UPDATE catalog_listing SET title_en = %s WHERE id = %s", (renamed, world["on_sale"])
        )
        page = _search(replica_app, headers=buyer)
        api = replica_app.request("GET", f"/api/v1/listings/?q={WORD}", headers=bearer)
        pinned_page = _search(replica_app, headers={**buyer, "Cookie": buyer["Cookie"] + "; primary_reads=1"})
        own_pages = replica_app.request("GET", "/orders/", headers=buyer)

        added = replica_app.request(
            "POST", "/api/v1/cart/items/", data={"listing": world["on_sale"], "quantities": [{"quantity": 10}]},
            headers=bearer,
        )  # fmt: skip
        after_write = replica_app.request("GET", f"/api/v1/listings/?q={WORD}", headers=bearer)
        other_client = replica_app.request("GET", f"/api/v1/listings/?q={WORD}")  # anonymous: not pinned

    assert page.status == 200 and renamed not in page.body, replica_app.log.read_text()[-3000:]
    assert "Sign out" in page.body or "sign out" in page.body.lower()  # signed in all the same
    assert api.status == 200 and renamed not in api.body
    assert renamed in pinned_page.body
    assert own_pages.status == 200  # its session read from the primary
    assert added.status in (200, 201), added.body[:2000]
    assert renamed in after_write.body  # the client that wrote reads the primary
    assert renamed not in other_client.body
    replica_pair.caught_up()
    assert renamed in _search(replica_app, headers=buyer).body


def test_a_buyer_sees_the_order_it_placed_while_the_replica_lags(replica_pair, replica_app, world):
    """An order placed while the standby's replay is paused is written on the primary (the standby
    has no row of it) and its buyer reads it at once, on the page and in the API."""
    buyer = signed_in(world["sessions"]["buyer"])
    order = {
        "kind": "bulk",
        "lines": [{"listing": world["on_sale"], "quantity": 10}],
        "shipping_address": "Keizersgracht 1\n1015 CJ Amsterdam",
        "ship_to_country": "NL",
        "incoterm": "FOB",
        "incoterm_place": "Wuhan",
        "note": "",
    }
    with replica_pair.replay_paused():
        placed = replica_app.request(
            "POST", "/api/v1/orders/", data=order, headers={**buyer, "Idempotency-Key": "replica-lag-1"}
        )
        assert placed.status == 201, placed.body[:2000]
        number = json.loads(placed.body)["orders"][0]["number"]
        on_standby = replica_pair.standby.query("SELECT count(*) FROM orders_order WHERE number = %s", (number,))
        page = replica_app.request("GET", f"/orders/{number}/", headers=buyer)
        listed = replica_app.request("GET", "/orders/", headers=buyer)
        api = replica_app.request("GET", f"/api/v1/orders/{number}/", headers=buyer)

    assert on_standby == [(0,)]
    assert page.status == 200 and number in page.body
    assert number in listed.body
    assert api.status == 200 and json.loads(api.body)["number"] == number


def test_reads_go_to_the_primary_while_the_replica_is_down(replica_pair, replica_app, world):
    """With the standby stopped, anonymous pages and the search answer from the primary, and show
    what only the primary has; once the standby is back, anonymous reads return to it."""
    with replica_pair.replay_paused():
        replica_pair.primary.query(
            "UPDATE catalog_listing SET title_en = %s WHERE id = %s", (f"{WORD} spare belt", world["on_sale"])
        )
    replica_pair.caught_up()
    replica_pair.standby.stop()
    try:
        search = _search(replica_app)
        page = replica_app.request("GET", f"/listings/{world['on_sale']}/")
        api = replica_app.request("GET", f"/api/v1/listings/{world['on_sale']}/")
    finally:
        replica_pair.standby.start()

    assert search.status == 200, replica_app.log.read_text()[-3000:]
    assert f"{WORD} spare belt" in search.body
    assert page.status == 200 and f"{WORD} spare belt" in page.body
    assert api.status == 200
    assert "Read replica unreachable" in replica_app.log.read_text()

    # Back after the breaker's few seconds: a lagging standby shows its own, older catalog again.
    with replica_pair.replay_paused():
        replica_pair.primary.query(
            "UPDATE catalog_listing SET title_en = %s WHERE id = %s", (f"{WORD} spare belt mk2", world["on_sale"])
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            back = replica_app.request("GET", f"/api/v1/listings/{world['on_sale']}/")
            if "mk2" not in back.body:
                break
            time.sleep(0.5)
    assert back.status == 200 and "mk2" not in back.body
