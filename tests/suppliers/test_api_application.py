"""GET /api/v1/me/application/: the signed-in member's own application, found through the user only.

Status, what is still missing, and the latest verification run with each check's outcome, message
and timings. A buyer, a user who acts for no supplier and anonymous callers get nothing; a second
supplier's member sees only its own application.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suppliers.services import production_site_add, verification_rerun, verification_run_execute
from tests import factories as f
from tests.conftest import client_for
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/application/"


def test_a_member_reads_its_applications_status_and_each_checks_outcome(belt):
    supplier, member = world.application(belt)

    response = client_for(member).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == supplier.slug
    assert body["status"] == "under_verification" and body["status_label"] == "Under verification"
    assert body["editable"] is False
    assert body["missing"] == []
    run = body["latest_run"]
    assert run["status"] == "done" and run["trigger"] == "submitted"
    assert run["worst_outcome"] == "warn"  # no factory photos yet
    checks = {check["name"]: check for check in body["checks"]}
    assert list(checks) == ["uscc", "licence", "certificates", "region", "duplicates", "photos"]
    assert checks["uscc"]["outcome"] == "pass" and supplier.uscc in checks["uscc"]["message"]
    assert checks["photos"]["outcome"] == "warn"
    assert checks["photos"]["message"].startswith("No factory photos yet")
    assert checks["region"]["label"] == "Factory inside the belt's region"
    for check in checks.values():
        assert check["started_at"] <= check["finished_at"] and check["duration_ms"] >= 0


def test_a_draft_says_what_is_missing_and_has_no_run_yet(db):
    draft = f.DraftApplicationFactory(belt=f.BeltFactory())
    member = f.SupplierMemberFactory(supplier=draft).user
    production_site_add(
        supplier=draft, name="Plant", address="1 Road", province="CN-HB", city="Wuhan", products="Lasers"
    )

    body = client_for(member).get(URL).json()

    assert body["status"] == "draft" and body["editable"] is True
    assert body["missing"] == ["business licence"]
    assert body["latest_run"] is None and body["checks"] == []


def test_the_latest_run_is_the_one_shown(belt, staff):
    supplier, member = world.application(belt)
    rerun = verification_rerun(supplier=supplier, actor=staff)
    verification_run_execute(run_id=rerun.pk)

    body = client_for(member).get(URL).json()

    assert body["latest_run"]["id"] == rerun.pk and body["latest_run"]["trigger"] == "rerun"


def test_a_second_suppliers_member_sees_only_its_own_application(belt):
    first, first_member = world.application(belt)
    second, second_member = world.application(belt)

    assert client_for(first_member).get(URL).json()["slug"] == first.slug
    body = client_for(second_member).get(URL).json()
    assert body["slug"] == second.slug
    assert first.uscc not in str(body)
    # Nothing in the URL names the supplier, so there is nothing to swap for another's.
    assert client_for(second_member).get(URL, {"supplier": first.pk, "slug": first.slug}).json()["slug"] == second.slug


def test_a_buyer_and_a_user_of_no_supplier_get_404(buyer, outsider):
    for user in (buyer, outsider):
        response = client_for(user).get(URL)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_anonymous_is_refused(client, db):
    assert client.get(URL).status_code in (401, 403)


def test_only_get_is_allowed(belt):
    _supplier, member = world.application(belt)
    assert client_for(member).post(URL, {"status": "certified"}).status_code == 405


def test_query_count_is_fixed_whatever_the_number_of_checks(belt, staff):
    _supplier, member = world.application(belt)
    client = client_for(member)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    print([q["sql"][:90] for q in queries.captured_queries])
    assert len(queries) <= 8  # session, user, supplier+belt, run, checks, missing (2)
