"""`supplier_certify`: the one way a supplier becomes (or changes how it is) certified.

Every change leaves one audit event with its actor and levels; repeating a decision records nothing.
"""

import datetime

import pytest
from django.utils import timezone

from marketplace.exceptions import ApplicationError
from suppliers.models import CertificationLevel, Supplier, SupplierEvent
from suppliers.services import supplier_certify
from tests import factories as f


@pytest.fixture
def applicant(belt):
    return f.origin_ready(f.ApplicantSupplierFactory(belt=belt))


def test_certify_an_applicant_sets_status_level_and_date_and_records_who(applicant, staff):
    before = timezone.now()

    result = supplier_certify(
        supplier=applicant,
        level=CertificationLevel.CERTIFIED_ORIGIN,
        actor=staff,
        reason="Site visit 2026-03",
        **f.ORIGIN,
    )

    applicant.refresh_from_db()
    assert result.pk == applicant.pk
    assert applicant.status == Supplier.Status.CERTIFIED
    assert applicant.certification_level == CertificationLevel.CERTIFIED_ORIGIN
    assert applicant.certified_at is not None and applicant.certified_at >= before
    assert applicant.is_publicly_certified()
    [event] = SupplierEvent.objects.filter(supplier=applicant)
    assert event.kind == SupplierEvent.Kind.CERTIFIED
    assert event.actor == staff
    assert (event.from_level, event.to_level) == ("none", "certified_origin")
    assert event.reason == "Site visit 2026-03"


def test_certify_stores_the_expiry_date(applicant, staff):
    until = timezone.localdate() + datetime.timedelta(days=365)
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff, valid_until=until)
    applicant.refresh_from_db()
    assert applicant.certified_until == until


def test_changing_the_level_records_level_changed_and_keeps_the_first_certification_date(applicant, staff):
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff)
    applicant.refresh_from_db()
    first_certified_at = applicant.certified_at

    supplier_certify(supplier=applicant, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, **f.ORIGIN)

    applicant.refresh_from_db()
    assert applicant.certification_level == CertificationLevel.CERTIFIED_ORIGIN
    assert applicant.certified_at == first_certified_at
    kinds = list(SupplierEvent.objects.filter(supplier=applicant).order_by("id").values_list("kind", flat=True))
    assert kinds == [SupplierEvent.Kind.CERTIFIED, SupplierEvent.Kind.LEVEL_CHANGED]
    change = SupplierEvent.objects.filter(supplier=applicant).order_by("id").last()
    assert (change.from_level, change.to_level) == ("verified", "certified_origin")
    assert change.actor == staff


def test_changing_the_level_of_an_already_certified_supplier(supplier, staff):
    f.origin_ready(supplier)
    supplier_certify(supplier=supplier, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, **f.ORIGIN)
    [event] = SupplierEvent.objects.filter(supplier=supplier)
    assert event.kind == SupplierEvent.Kind.LEVEL_CHANGED
    assert (event.from_level, event.to_level) == ("verified", "certified_origin")


def test_the_same_decision_twice_records_one_event(applicant, staff):
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff)
    applicant.refresh_from_db()
    certified_at = applicant.certified_at

    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff)

    assert SupplierEvent.objects.filter(supplier=applicant).count() == 1
    applicant.refresh_from_db()
    assert applicant.certified_at == certified_at


def test_a_stale_supplier_object_is_read_again_under_the_lock(applicant, staff):
    stale = Supplier.objects.get(pk=applicant.pk)
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff)

    supplier_certify(supplier=stale, level=CertificationLevel.VERIFIED, actor=staff)  # still says "applicant"

    assert SupplierEvent.objects.filter(supplier=applicant).count() == 1


@pytest.mark.parametrize("level", ["gold", "", "VERIFIED", CertificationLevel.NONE])
def test_unknown_level_or_none_is_refused_and_changes_nothing(applicant, staff, level):
    with pytest.raises(ApplicationError) as caught:
        supplier_certify(supplier=applicant, level=level, actor=staff)
    assert "level" in caught.value.message.lower()
    applicant.refresh_from_db()
    assert applicant.status == Supplier.Status.UNDER_VERIFICATION
    assert applicant.certification_level == CertificationLevel.NONE
    assert not SupplierEvent.objects.exists()


def test_without_an_expiry_date_a_certification_runs_for_a_year(applicant, staff):
    supplier_certify(supplier=applicant, level=CertificationLevel.VERIFIED, actor=staff)
    applicant.refresh_from_db()
    assert applicant.certified_until == timezone.localdate() + datetime.timedelta(days=365)


def test_same_level_with_a_new_expiry_records_a_renewal_not_a_level_change(supplier, staff):
    later = timezone.localdate() + datetime.timedelta(days=700)
    supplier_certify(supplier=supplier, level=supplier.certification_level, actor=staff, valid_until=later)
    event = SupplierEvent.objects.get(supplier=supplier)
    assert event.kind == SupplierEvent.Kind.RENEWED
    supplier.refresh_from_db()
    assert supplier.certified_until == later


def test_a_supplier_past_its_expiry_date_is_no_longer_public(supplier, category):
    listing = f.ListingFactory(supplier=supplier, category=category)
    supplier.certified_until = timezone.localdate() - datetime.timedelta(days=1)
    supplier.save(update_fields=["certified_until"])
    assert not Supplier.objects.certified().filter(pk=supplier.pk).exists()
    from catalog.models import Listing

    assert not Listing.objects.public().filter(pk=listing.pk).exists()
