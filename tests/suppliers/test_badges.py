"""One function decides each badge from the current facts (`suppliers.badges.supplier_badge`), the
certification rules hold at decision time, and the nightly audit finds and repairs any stored badge
that is not what the facts say."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Listing
from marketplace.exceptions import ApplicationError
from suppliers.badges import BadgeFacts, CertificationFacts, DocumentFacts, SiteFacts, supplier_badge
from suppliers.models import BadgeAudit, BeltOperator, ProductionSite, Supplier, SupplierEvent, VerificationCheck
from suppliers.services import badges_audit, supplier_certify, supplier_recommend
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def facts(**changes) -> BadgeFacts:
    """A certified origin manufacturer with a licence, an ISO 9001 it rests on and a verified site."""
    base = {
        "supplier_id": 1, "status": "certified", "business_type": "manufacturer", "belt_province": "CN-HB",
        "certification": CertificationFacts(
            level="certified_origin", status="active", valid_from=TODAY - datetime.timedelta(days=30),
            valid_until=TODAY + datetime.timedelta(days=300), manufacturing_evidenced=True,
            certificate_ids=frozenset({2}),
        ),
        "documents": (
            DocumentFacts(1, "licence", "", None, TODAY + datetime.timedelta(days=900)),
            DocumentFacts(2, "certificate", "iso_9001", None, TODAY + datetime.timedelta(days=100)),
        ),
        "sites": (SiteFacts(10, "CN-HB", True), SiteFacts(11, "CN-GD", True), SiteFacts(12, "CN-HB", False)),
    }  # fmt: skip
    base.update(changes)
    return BadgeFacts(**base)


def cert(**changes) -> CertificationFacts:
    return CertificationFacts(**{**facts().certification.__dict__, **changes})


# --- the badge function -------------------------------------------------------------------------


def test_a_certified_origin_manufacturer_marks_only_its_verified_sites_inside_the_region():
    badge = supplier_badge(facts(), TODAY)
    assert badge.level == "certified_origin"
    assert badge.origin_site_ids == {10}  # not the Guangdong site, not the unverified one


@pytest.mark.parametrize(
    ("changes", "limit"),
    [
        ({"business_type": "trading"}, "trading_company"),
        ({"certification": cert(manufacturing_evidenced=False)}, "manufacturing_not_evidenced"),
        ({"sites": (SiteFacts(11, "CN-GD", True),)}, "no_site_in_region"),
        (
            {
                "documents": (
                    DocumentFacts(1, "licence", "", None, None),
                    DocumentFacts(2, "certificate", "iso_9001", None, TODAY - datetime.timedelta(days=1)),
                )
            },
            "certificate_lapsed",
        ),
    ],
    ids=["trading company", "manufacturing not evidenced", "no site in the region", "certificate lapsed"],
)
def test_a_missing_origin_fact_lowers_the_badge_to_verified_and_takes_every_mark(changes, limit):
    badge = supplier_badge(facts(**changes), TODAY)
    assert (badge.level, badge.origin_site_ids, badge.limits) == ("verified", frozenset(), (limit,))


def test_a_lapsed_certificate_replaced_by_a_current_one_of_the_same_standard_keeps_the_level():
    documents = (
        DocumentFacts(2, "certificate", "iso_9001", None, TODAY - datetime.timedelta(days=1)),
        DocumentFacts(3, "certificate", "iso_9001", None, TODAY + datetime.timedelta(days=365)),
    )
    assert supplier_badge(facts(documents=documents), TODAY).level == "certified_origin"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "suspended"},
        {"status": "expired"},
        {"certification": None},
        {"certification": cert(status="revoked")},
        {"certification": cert(valid_until=TODAY - datetime.timedelta(days=1))},
        {"certification": cert(valid_from=TODAY + datetime.timedelta(days=1))},
        {"documents": (DocumentFacts(1, "licence", "", None, TODAY - datetime.timedelta(days=1)),)},
    ],
    ids=["suspended", "expired", "no certification", "withdrawn", "past its end", "not yet valid", "licence lapsed"],
)
def test_no_badge_without_a_certification_in_force_and_a_current_licence(changes):
    badge = supplier_badge(facts(**changes), TODAY)
    assert (badge.level, badge.origin_site_ids) == ("none", frozenset())


def test_a_verified_level_certification_confers_no_mark_even_with_verified_sites():
    badge = supplier_badge(facts(certification=cert(level="verified")), TODAY)
    assert (badge.level, badge.origin_site_ids) == ("verified", frozenset())


# --- the rules at decision time -----------------------------------------------------------------


def test_a_trading_company_can_be_verified_but_never_certified_as_origin_manufacturer(belt, staff):
    supplier, _member = world.application(belt, business_type="trading")
    with pytest.raises(ApplicationError, match="trading company"):
        supplier_certify(supplier=supplier, level="certified_origin", actor=staff, **f.ORIGIN)
    supplier_certify(supplier=supplier, level="verified", actor=staff)
    supplier.refresh_from_db()
    assert supplier.certification_level == "verified"


def test_an_origin_level_needs_manufacturing_confirmed_and_a_site_in_the_region(belt, staff):
    supplier, _member = world.application(belt, sites=0, outside_sites=1)
    with pytest.raises(ApplicationError) as refused:
        supplier_certify(supplier=supplier, level="certified_origin", actor=staff)
    assert "business scope" in refused.value.message and "inside the belt's region" in refused.value.message
    assert Supplier.objects.get(pk=supplier.pk).status == Supplier.Status.UNDER_VERIFICATION


@pytest.fixture
def failed(belt):
    """An application whose region check failed in its latest run (a second site moved out of the
    region after the run would not count: the run is what staff saw)."""
    supplier, _member = world.application(belt)
    run = supplier.verification_runs.get()
    run.checks.filter(name=VerificationCheck.Name.REGION).update(outcome="fail", detail_code="region_outside")
    return supplier


def test_a_failed_check_stops_an_origin_level_without_a_reason_and_a_second_person(failed, staff):
    with pytest.raises(ApplicationError, match="give the reason"):
        supplier_certify(supplier=failed, level="certified_origin", actor=staff, **f.ORIGIN)
    with pytest.raises(ApplicationError, match="second person"):
        supplier_certify(
            supplier=failed, level="certified_origin", actor=staff, override_reason="Seen on site", **f.ORIGIN
        )
    with pytest.raises(ApplicationError, match="second person"):  # the same person twice is one pair of eyes
        supplier_certify(
            supplier=failed, level="certified_origin", actor=staff, override_reason="Seen", second_person=staff,
            **f.ORIGIN,
        )  # fmt: skip
    assert not failed.certifications.exists()


def test_another_staff_member_approves_an_override_and_both_are_on_record(failed, staff):
    second = f.UserFactory(is_staff=True, email="second@example.test")
    supplier_certify(
        supplier=failed, level="certified_origin", actor=staff, override_reason="Address typo; plant visited",
        second_person=second, **f.ORIGIN,
    )  # fmt: skip
    certification = Supplier.objects.get(pk=failed.pk).current_certification
    assert (certification.decided_by, certification.second_person) == (staff, second)
    assert (certification.override_reason, certification.overridden_checks) == (
        "Address typo; plant visited",
        ["region"],
    )
    event = SupplierEvent.objects.get(supplier=failed, kind=SupplierEvent.Kind.CERTIFIED)
    assert event.data["second_person"] == second.pk and event.data["overridden_checks"] == ["region"]


def test_the_belt_operators_recommendation_counts_as_the_second_person_for_its_own_belt(failed, staff, belt):
    operator = f.UserFactory(email="op@example.test")
    BeltOperator.objects.create(belt=belt, user=operator)
    with pytest.raises(ApplicationError, match="second person"):  # no recommendation yet
        supplier_certify(
            supplier=failed, level="certified_origin", actor=staff, override_reason="Seen", second_person=operator,
            **f.ORIGIN,
        )  # fmt: skip
    supplier_recommend(supplier=failed, actor=operator, decision="certify", level="certified_origin", reason="Visited")
    supplier_certify(
        supplier=failed, level="certified_origin", actor=staff, override_reason="Seen", second_person=operator,
        **f.ORIGIN,
    )  # fmt: skip
    assert Supplier.objects.get(pk=failed.pk).current_certification.second_person == operator


# --- the nightly audit --------------------------------------------------------------------------


def test_the_audit_repairs_and_records_drift_made_on_purpose(belt, staff, category, admin_client):
    supplier = world.certified_supplier(belt, staff)
    site = supplier.sites.get()
    listing = f.ListingFactory(supplier=supplier, category=category, production_site=site)
    clean = badges_audit()
    assert clean.drift_count == 0 and clean.suppliers_checked == Supplier.objects.count()

    # Stored copies made untrue behind the services' back: the supplier's level and its site's
    # mark, then (the trigger told to let the write through, as the bulk rebuild does) the listing's.
    Supplier.objects.filter(pk=supplier.pk).update(certification_level="audited_factory")
    ProductionSite.objects.filter(pk=site.pk).update(confers_origin=False)
    audit = badges_audit()
    found = {(d.subject, d.field, d.stored, d.expected) for d in audit.drifts.all()}
    assert found == {
        (f"supplier {supplier.pk}", "certification_level", "audited_factory", "certified_origin"),
        (f"site {site.pk}", "confers_origin", "False", "True"),
    }
    assert audit.drift_count == 2

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL catalog.rebuilding = 'on'")
        cursor.execute("UPDATE catalog_listing SET origin_mark = false, level_rank = 0 WHERE id = %s", [listing.pk])
        cursor.execute("SET LOCAL catalog.rebuilding = 'off'")
    audit = badges_audit()
    found = {(d.subject, d.field, d.stored, d.expected) for d in audit.drifts.all()}
    assert found == {
        (f"listing {listing.pk}", "origin_mark", "False", "True"),
        (f"listing {listing.pk}", "level_rank", "0", "2"),
    }

    supplier.refresh_from_db()
    assert supplier.certification_level == "certified_origin"
    assert Listing.objects.get(pk=listing.pk).origin_mark is True
    assert SupplierEvent.objects.filter(supplier=supplier, kind=SupplierEvent.Kind.BADGE_REPAIRED).count() == 1
    assert badges_audit().drift_count == 0  # repaired for good

    page = admin_client.get("/admin/suppliers/badgeaudit/").content.decode()
    assert page.count('data-testid="drift-count"') == 4 and ">2</strong>" in page


def test_the_audit_records_what_the_date_alone_changed_since_the_last_write(belt, staff):
    supplier = world.certified_supplier(belt, staff)
    later = supplier.certified_until + datetime.timedelta(days=1)
    audit = badges_audit(today=later)
    assert {(d.field, d.expected) for d in audit.drifts.all()} >= {("certification_level", "none")}
    assert BadgeAudit.objects.count() == 1
    assert timezone.now() >= audit.finished_at
