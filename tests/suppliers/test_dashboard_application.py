"""The supplier dashboard's application panel: the draft to continue, the admin's request, the
checks as they arrive (htmx polling until the run is done), and the certification once granted.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers.models import CertificationLevel, Supplier, SupplierEvent, VerificationCheck, VerificationRun
from suppliers.services import supplier_certify, supplier_request_info
from tests import factories as f
from tests.conftest import client_for

from .factories import CompleteDraftFactory, DraftSupplierFactory, applicant

DASHBOARD = "/dashboard/supplier/"
CHECKS = "/dashboard/supplier/checks/"


def _check(run: VerificationRun, name: str, outcome: str, code: str, params: dict | None = None) -> VerificationCheck:
    now = timezone.now()
    return VerificationCheck.objects.create(
        run=run, name=name, outcome=outcome, detail_code=code, detail_params=params or {},
        started_at=now, finished_at=now + datetime.timedelta(milliseconds=40),
    )  # fmt: skip


@pytest.fixture
def verifying(db):
    supplier = CompleteDraftFactory(name_en="Shishi Looms Co., Ltd.")
    Supplier.objects.filter(pk=supplier.pk).update(
        status=Supplier.Status.UNDER_VERIFICATION, submitted_at=timezone.now()
    )
    supplier.refresh_from_db()
    return supplier


@pytest.fixture
def run(verifying):
    return VerificationRun.objects.create(
        supplier=verifying, trigger=VerificationRun.Trigger.SUBMITTED, status=VerificationRun.Status.RUNNING
    )


def test_url_of_the_checks_partial():
    assert reverse("suppliers:application_checks") == CHECKS


def test_draft_shows_the_continue_panel_with_step_progress(db):
    draft = DraftSupplierFactory(name_en="Quanzhou Knit Ltd.")
    response = client_for(applicant(draft)).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="continue-application"' in html
    assert reverse("suppliers:apply") in html
    assert [s["slug"] for s in response.context["steps"]] == [
        "company", "location", "belt", "documents", "contact", "review",
    ]  # fmt: skip
    assert "run" not in response.context  # no checks before submission


def test_under_verification_shows_each_check_as_it_arrives_and_polls(verifying, run):
    client = client_for(applicant(verifying))
    _check(run, "uscc", "pass", "uscc_valid", {"uscc": verifying.uscc})
    _check(run, "licence", "fail", "licence_low_resolution", {"width": 320, "height": 200})
    response = client.get(DASHBOARD)
    html = response.content.decode()
    assert "Your application is under verification" in html
    assert f'hx-get="{CHECKS}"' in html
    assert 'hx-trigger="every 3s"' in html
    assert "well formed and its check character is right" in html
    assert "upload a sharper scan" in html
    assert "What to fix:" in html
    rows = {row["name"]: row for row in response.context["check_rows"]}
    assert rows["uscc"]["check"].outcome == "pass"
    assert rows["photos"]["check"] is None  # not yet arrived: shown as waiting
    assert 'data-check="photos" data-outcome="pending"' in html


def test_the_registry_check_is_listed_only_when_a_registry_is_configured(verifying, run, settings):
    client = client_for(applicant(verifying))
    assert "registry" not in [row["name"] for row in client.get(CHECKS).context["check_rows"]]

    settings.SUPPLIER_REGISTRY = {"ADAPTER": "suppliers.registry.http.HttpRegistryAdapter", "OPTIONS": {}}
    response = client.get(CHECKS)
    assert "registry" in [row["name"] for row in response.context["check_rows"]]
    assert 'data-check="registry" data-outcome="pending"' in response.content.decode()


def test_a_registry_result_recorded_earlier_still_shows_after_the_registry_is_switched_off(verifying, run):
    _check(run, "registry", "pass", "registry_match", {"source": "Test registry", "legal_name": "Shishi Looms"})
    response = client_for(applicant(verifying)).get(CHECKS)
    assert "Test registry" in response.content.decode()


def test_checks_partial_is_what_htmx_swaps_in(verifying, run):
    client = client_for(applicant(verifying))
    _check(run, "certificates", "warn", "certificates_expiring", {"days": 30, "names": "OEKO-TEX OT-1"})
    response = client.get(CHECKS, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["suppliers/partials/application_checks.html"]
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="application-checks"')
    assert "Expiring within 30 days: OEKO-TEX OT-1." in html
    assert 'hx-trigger="every 3s"' in html


def test_polling_stops_once_the_run_is_done(verifying, run):
    for name, _label in VerificationCheck.Name.choices:
        _check(run, name, "pass", "licence_ok")
    VerificationRun.objects.filter(pk=run.pk).update(status=VerificationRun.Status.DONE, finished_at=timezone.now())
    html = client_for(applicant(verifying)).get(CHECKS).content.decode()
    assert "hx-trigger" not in html
    assert "Finished" in html


def test_duplicate_check_never_names_other_companies_to_the_applicant(verifying, run):
    _check(run, "duplicates", "fail", "duplicates_similar", {"names": "Secret Rival Draft Ltd."})
    html = client_for(applicant(verifying)).get(CHECKS).content.decode()
    assert "Secret Rival Draft Ltd." not in html
    assert "looks like one already on the platform" in html


def test_info_requested_shows_the_admins_request_and_the_way_back(verifying, run, staff):
    supplier_request_info(supplier=verifying, actor=staff, message="The licence scan is cut off: upload all of it.")
    response = client_for(applicant(verifying)).get(DASHBOARD)
    html = response.content.decode()
    assert 'data-testid="info-request"' in html
    assert "The licence scan is cut off: upload all of it." in html
    assert 'data-testid="continue-application"' in html
    assert response.context["decision_event"].kind == SupplierEvent.Kind.INFO_REQUESTED


def test_certified_shows_level_expiry_and_the_verification_page(verifying, staff):
    until = timezone.localdate() + datetime.timedelta(days=300)
    f.origin_ready(verifying)
    supplier_certify(
        supplier=verifying, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, valid_until=until, **f.ORIGIN
    )
    verifying.refresh_from_db()
    html = client_for(applicant(verifying)).get(DASHBOARD).content.decode()
    assert 'data-testid="certification"' in html
    assert "Certified origin manufacturer" in html
    assert until.strftime("%Y-%m-%d") in html
    assert verifying.current_certification.get_absolute_url() in html


def test_dashboard_without_a_supplier_is_still_404(outsider):
    assert client_for(outsider).get(DASHBOARD).status_code == 404
    assert client_for(outsider).get(CHECKS).status_code == 404


# --- query budget: flat however many checks and listings ------------------------------------------


def _grow(supplier, run, category, n: int) -> None:
    names = [name for name, _label in VerificationCheck.Name.choices]
    for name in names[run.checks.count() : n]:
        _check(run, name, "warn", "photos_none")
    while supplier.listings.count() < n:
        f.ListingFactory(supplier=supplier, category=category, status="draft").images.create(image="listings/1/a.jpg")


@pytest.mark.parametrize("n", [3, 10])
def test_under_verification_dashboard_query_budget(verifying, run, category, django_assert_max_num_queries, n):
    client = client_for(applicant(verifying))
    _grow(verifying, run, category, n)
    # session, user, supplier (+ belt, certification), run, its checks, listings (+ counts)
    with django_assert_max_num_queries(7):
        response = client.get(DASHBOARD)
    assert len(response.context["listings"]) == n
    with django_assert_max_num_queries(6):
        client.get(CHECKS)


@pytest.mark.parametrize("n", [3, 10])
def test_info_requested_dashboard_query_budget(verifying, run, category, staff, django_assert_max_num_queries, n):
    supplier_request_info(supplier=verifying, actor=staff, message="More photos, please.")
    client = client_for(applicant(verifying))
    _grow(verifying, run, category, n)
    # + the step progress (one query) and the admin's request (one query)
    with django_assert_max_num_queries(9):
        client.get(DASHBOARD)


@pytest.mark.parametrize("n", [3, 10])
def test_certified_dashboard_query_budget(supplier, supplier_member, category, django_assert_max_num_queries, n):
    client = client_for(supplier_member)
    while supplier.listings.count() < n:
        f.ListingFactory(supplier=supplier, category=category)
    # session, user, supplier, listings, navigation's unread count, trade summary (waiting orders, new RFQs)
    with django_assert_max_num_queries(7):
        assert len(client.get(DASHBOARD).context["listings"]) == n
