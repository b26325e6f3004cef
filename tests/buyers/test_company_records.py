"""A buying company's trade set-up on record: every address change and every net terms decision
writes an immutable CompanyEvent in the same transaction, and staff decide net terms in the admin
with a reason, through the one service."""

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse

from buyers.models import CompanyAddress, CompanyEvent
from buyers.services.addresses import address_delete, address_save, company_net_terms_set
from tests import factories as f
from tests.conftest import client_for

ADDRESS = {"label": "Rotterdam warehouse", "address": "Waalhaven 51\n3087 BM Rotterdam", "country": "NL"}


@pytest.fixture
def company(buyer):
    return buyer.buyer_membership.company


def _kinds(company) -> list[str]:
    return list(CompanyEvent.objects.filter(company=company).order_by("pk").values_list("kind", flat=True))


def test_each_address_change_is_recorded_with_who_and_the_address_as_left(buyer, company):
    address = address_save(company=company, actor=buyer, data=ADDRESS)
    address_id = address.pk
    address_save(company=company, actor=buyer, data={**ADDRESS, "phone": "+31 10 123"}, address=address)
    address_save(company=company, actor=buyer, data={**ADDRESS, "phone": "+31 10 123"}, address=address)  # no change
    address_delete(company=company, actor=buyer, address=address)

    events = list(CompanyEvent.objects.filter(company=company).order_by("pk"))
    assert [e.kind for e in events] == ["address_added", "address_changed", "address_removed"]
    assert all(e.actor == buyer for e in events)
    assert events[0].data["label"] == "Rotterdam warehouse" and events[0].data["is_default"] is True
    assert events[1].data["phone"] == "+31 10 123"
    assert events[2].data["id"] == address_id and not CompanyAddress.objects.filter(company=company).exists()


def test_a_refused_address_change_records_nothing(buyer, company):
    stranger = f.BuyerMemberFactory().user
    with pytest.raises(PermissionDenied):
        address_save(company=company, actor=stranger, data=ADDRESS)
    with pytest.raises(ValidationError):
        address_save(company=company, actor=buyer, data={**ADDRESS, "country": "XX"})
    assert _kinds(company) == []


def test_net_terms_decisions_are_recorded_and_a_repeated_decision_records_nothing(company, staff):
    company_net_terms_set(company=company, approved=True, actor=staff, reason="Credit check passed, limit EUR 50k")
    company_net_terms_set(company=company, approved=True, actor=staff, reason="again")
    company_net_terms_set(company=company, approved=False, actor=staff, reason="Two late payments")
    company.refresh_from_db()
    assert company.net_terms_approved is False and company.net_terms_decided_by == staff
    events = list(CompanyEvent.objects.filter(company=company).order_by("pk"))
    assert [(e.kind, e.data["reason"]) for e in events] == [
        ("net_terms_approved", "Credit check passed, limit EUR 50k"),
        ("net_terms_withdrawn", "Two late payments"),
    ]


def test_only_staff_decide_net_terms(company, buyer):
    with pytest.raises(PermissionDenied):
        company_net_terms_set(company=company, approved=True, actor=buyer)
    company.refresh_from_db()
    assert not company.net_terms_approved and _kinds(company) == []


def test_the_record_cannot_be_rewritten_or_deleted(company, staff):
    company_net_terms_set(company=company, approved=True, actor=staff, reason="ok")
    event = CompanyEvent.objects.get(company=company)
    for write in (
        lambda: CompanyEvent.objects.filter(pk=event.pk).update(data={}),
        lambda: CompanyEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
            write()
    assert CompanyEvent.objects.get(pk=event.pk).data == {"reason": "ok"}


def _action(client, action: str, companies, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in companies], **extra}
    return client.post(reverse("admin:buyers_buyercompany_changelist"), data)


def test_staff_approve_net_terms_in_the_admin_with_a_reason(company, staff):
    other = f.BuyerCompanyFactory()
    admin = client_for(staff)

    page = _action(admin, "approve_net_terms", [company, other])
    assert page.status_code == 200 and company.name in page.content.decode() and other.name in page.content.decode()
    refused = _action(admin, "approve_net_terms", [company, other], apply="1", reason="  ")
    assert "Give the reason for the decision." in refused.content.decode()
    assert _kinds(company) == []

    done = _action(admin, "approve_net_terms", [company, other], apply="1", reason="Credit check passed")
    assert done.status_code == 302
    company.refresh_from_db()
    other.refresh_from_db()
    assert company.net_terms_approved and other.net_terms_approved
    assert _kinds(company) == _kinds(other) == ["net_terms_approved"]

    change = admin.get(reverse("admin:buyers_buyercompany_change", args=[company.pk]))
    assert change.status_code == 200 and "Credit check passed" in change.content.decode()

    _action(admin, "withdraw_net_terms", [company], apply="1", reason="Late payments")
    company.refresh_from_db()
    assert not company.net_terms_approved and _kinds(company) == ["net_terms_approved", "net_terms_withdrawn"]


def test_the_net_terms_actions_are_staff_only(company, buyer):
    response = _action(client_for(buyer), "approve_net_terms", [company], apply="1", reason="me")
    assert response.status_code == 302 and "/login/" in response["Location"]
    company.refresh_from_db()
    assert not company.net_terms_approved


def test_the_admin_shows_the_addresses_read_only(company, buyer, staff):
    address_save(company=company, actor=buyer, data=ADDRESS)
    page = client_for(staff).get(reverse("admin:buyers_buyercompany_change", args=[company.pk]))
    body = page.content.decode()
    assert "Rotterdam warehouse" in body and 'name="addresses-0-label"' not in body
