"""`seed_demo`: the demo world carries real certifications with their evidence, and seeding twice
writes nothing the second time.

The world is seeded once for the module, inside a transaction rolled back at the end (each test
runs in its own savepoint within it), because seeding takes seconds.
"""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders import demo_data
from suppliers.models import (
    LEVEL_RANK,
    AuditChecklist,
    CertificationLevel,
    EvidenceItem,
    Supplier,
    SupplierDocument,
    VerificationRun,
)
from suppliers.services import certifications_expiry_sweep

pytestmark = pytest.mark.django_db
SEED_SECONDS_LIMIT = 30  # 7–10 s when written; the limit only catches a step gone slow per item
QUERY_BUDGET = 500  # 446 when written; raise it with the world, not to hide per-item work

DEMO_SUPPLIERS = {supplier["slug"]: supplier for belt in demo_data.BELTS for supplier in belt["suppliers"]}
BELT_OF = {supplier["slug"]: belt for belt in demo_data.BELTS for supplier in belt["suppliers"]}


def _seed() -> None:
    call_command("seed_demo", "--quiet", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Seed once; roll everything back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        _seed()
        yield time.monotonic() - started
        transaction.set_rollback(True)


def _suppliers_table_counts() -> dict[str, tuple[int, int]]:
    """(rows, highest id) of every suppliers_* table, many-to-many tables included."""
    tables = [name for name in connection.introspection.table_names() if name.startswith("suppliers_")]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*), coalesce(max(id), 0) FROM "{table}"')  # noqa: S608 (names from the catalog)
            counts[table] = cursor.fetchone()
    return counts


def test_the_first_run_is_reasonably_fast(demo_world):
    assert demo_world < SEED_SECONDS_LIMIT


def test_a_second_run_writes_nothing_and_stays_within_its_query_budget(demo_world):
    before = _suppliers_table_counts()
    assert before["suppliers_certification"][0] > 0

    with CaptureQueriesContext(connection) as queries:
        _seed()

    assert _suppliers_table_counts() == before
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    # Reading the world back is a few queries per row; this catches a step that starts doing work
    # (generating a picture, running the checks) on every run.
    assert len(queries) < QUERY_BUDGET, len(queries)


def test_every_certified_demo_supplier_has_a_current_certification_with_its_evidence(demo_world):

    for slug, data in DEMO_SUPPLIERS.items():
        if not data["certification"]:
            continue
        supplier = Supplier.objects.select_related("belt", "current_certification").get(slug=slug)
        certification = supplier.current_certification
        assert supplier.status == Supplier.Status.CERTIFIED, slug
        assert certification is not None and certification.is_current(), slug
        assert certification.level == data["certification"] == supplier.certification_level
        kinds = set(certification.evidence.values_list("kind", flat=True))
        assert {EvidenceItem.Kind.REGISTRY_CHECK, EvidenceItem.Kind.DOCUMENT} <= kinds, slug
        assert certification.evidence.filter(title_en="Business licence").exists(), slug
        for number in (c["number"] for c in demo_data.SUPPLIER_EVIDENCE[slug]["certificates"]):
            assert certification.evidence.filter(title_en__endswith=number).exists(), (slug, number)
        assert supplier.documents.filter(kind=SupplierDocument.Kind.LICENCE).exists()
        assert supplier.verification_runs.filter(status=VerificationRun.Status.DONE).exists()


def test_audited_factories_have_their_report_and_an_outcome_for_every_checklist_point(demo_world):

    audited = Supplier.objects.filter(certification_level=CertificationLevel.AUDITED_FACTORY)
    assert audited.count() == sum(d["certification"] == "audited_factory" for d in DEMO_SUPPLIERS.values())
    for supplier in audited.select_related("current_certification__checklist"):
        certification = supplier.current_certification
        checklist = certification.checklist
        assert checklist.slug == demo_data.BELT_CHECKLISTS[BELT_OF[supplier.slug]["slug"]]
        assert certification.checklist_version == checklist.version
        assert certification.audit_report
        points = set(checklist.points.values_list("code", flat=True))
        assert set(certification.audit_results.values_list("code", flat=True)) == points, supplier.slug
        assert certification.evidence.filter(kind=EvidenceItem.Kind.SITE_VISIT).exists()
    for data in demo_data.AUDIT_CHECKLISTS:
        assert 5 <= AuditChecklist.objects.get(slug=data["slug"]).points.count() <= 8


def test_sites_are_in_the_belts_province_and_verified_from_certified_origin_up(demo_world):

    for supplier in Supplier.objects.select_related("belt").prefetch_related("sites"):
        sites = list(supplier.sites.all())
        if supplier.business_type == Supplier.BusinessType.TRADING:
            # The trading company's only place is a rented warehouse outside the region.
            assert sites and all(s.province != supplier.belt.province and not s.is_verified for s in sites)
            continue
        assert any(s.province == supplier.belt.province for s in sites), supplier.slug
        origin = LEVEL_RANK[supplier.certification_level] >= LEVEL_RANK[CertificationLevel.CERTIFIED_ORIGIN]
        assert any(s.is_verified for s in sites) == origin, supplier.slug


def test_applications_under_verification_have_finished_runs_one_with_a_warning(demo_world):

    applicants = Supplier.objects.filter(status=Supplier.Status.UNDER_VERIFICATION).prefetch_related(
        "verification_runs__checks"
    )
    assert applicants.count() >= 3
    outcomes = []
    for supplier in applicants:
        [run] = supplier.verification_runs.all()
        assert run.status == VerificationRun.Status.DONE and run.checks.count() == 6
        outcomes.append(run.worst_outcome())
    assert outcomes.count("warn") == 1 and outcomes.count("fail") == 0
    assert not Supplier.objects.filter(status=Supplier.Status.DRAFT, verification_runs__isnull=False).exists()


def test_the_daily_job_has_a_certificate_to_remind_about(demo_world):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    expiring = SupplierDocument.objects.filter(
        kind=SupplierDocument.Kind.CERTIFICATE, supplier__status=Supplier.Status.CERTIFIED, valid_until__lte=soon
    )
    assert expiring.count() == 1

    assert certifications_expiry_sweep() == {"reminded": 1, "suspended": 0, "downgraded": 0}


def test_demo_profiles_and_verify_pages_show_the_evidence_and_no_documents(client, demo_world):
    supplier = Supplier.objects.get(slug="wuhan-guanggu-photonics")

    html = client.get(supplier.get_absolute_url()).content.decode()
    assert "Laser equipment checklist, version 1" in html
    assert "/media/suppliers/" not in html and "/documents/" not in html
    verify = client.get(supplier.current_certification.get_absolute_url())
    assert 'data-verdict="current"' in verify.content.decode()
