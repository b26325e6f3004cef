"""Brand licences in the admin go through the services (staff grant, renew and revoke, each on record),
nothing is deleted, and the licence document downloads only for staff, the belt's operators and the
holder's members."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from suppliers.models import BrandLicence, BrandLicenceEvent
from suppliers.services import brand_licence_grant
from tests import factories as f

from ..conftest import client_for
from .factories import pdf_upload

pytestmark = pytest.mark.django_db

ADMIN = "/admin/suppliers/brandlicence/"
UNTIL = timezone.localdate() + datetime.timedelta(days=200)


def test_staff_grant_a_licence_in_the_admin_through_the_service(staff, supplier, category):
    response = client_for(staff).post(
        f"{ADMIN}add/",
        {
            "supplier": supplier.pk, "kind": "regional_brand", "mark_en": "", "mark_zh": "",
            "categories": [category.pk], "valid_from": timezone.localdate().isoformat(),
            "valid_until": UNTIL.isoformat(), "upload": pdf_upload("signed.pdf"),
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    licence = BrandLicence.objects.get()
    assert licence.granted_by == staff and licence.mark_en == supplier.belt.brand_en
    assert licence.file_check == "clean" and list(licence.categories.all()) == [category]
    assert list(BrandLicenceEvent.objects.values_list("kind", "actor")) == [("granted", staff.pk)]


def test_a_refused_grant_in_the_admin_says_why_and_writes_nothing(staff, belt, category):
    applicant = f.ApplicantSupplierFactory(belt=belt)
    response = client_for(staff).post(
        f"{ADMIN}add/",
        {
            "supplier": applicant.pk, "kind": "regional_brand", "categories": [category.pk],
            "valid_until": UNTIL.isoformat(), "upload": pdf_upload(),
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code in (200, 302)
    assert not BrandLicence.objects.exists()


def test_staff_renew_and_revoke_in_the_admin_and_cannot_delete(staff, supplier, operator, category):
    licence = brand_licence_grant(
        supplier=supplier, actor=operator, categories=[category], document=pdf_upload(), valid_until=UNTIL
    )
    client = client_for(staff)
    url = f"{ADMIN}{licence.pk}/change/"
    assert client.get(url).status_code == 200
    management = {"events-TOTAL_FORMS": "1", "events-INITIAL_FORMS": "1"}
    later = UNTIL + datetime.timedelta(days=30)
    assert client.post(url, {"renew_until": later.isoformat(), **management}).status_code == 302
    licence.refresh_from_db()
    assert licence.valid_until == later
    assert client.post(url, {"revoke_reason": "Court ruling on the brand", **management}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.revoke_reason == "Court ruling on the brand"
    assert list(licence.events.values_list("kind", "actor")) == [
        ("granted", operator.pk), ("renewed", staff.pk), ("revoked", staff.pk),
    ]  # fmt: skip
    assert client.post(f"{ADMIN}{licence.pk}/delete/", {"post": "yes"}).status_code == 403
    assert BrandLicence.objects.filter(pk=licence.pk).exists()


def test_the_admin_is_for_staff_only(operator, supplier_member):
    for user in (operator, supplier_member):
        response = client_for(user).get(ADMIN)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_licence_document_downloads_for_staff_the_belts_operator_and_the_holder_only(
    staff, supplier, operator, supplier_member, category, other_member, buyer
):
    licence = brand_licence_grant(
        supplier=supplier, actor=operator, categories=[category], document=pdf_upload(), valid_until=UNTIL
    )
    url = f"/brand-licences/{licence.pk}/document/"
    for user in (staff, operator, supplier_member):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert response["Cache-Control"] == "private, no-store"
    stranger = f.BeltOperatorFactory().user
    for user in (other_member, buyer, stranger):
        assert client_for(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    BrandLicence.objects.filter(pk=licence.pk).update(file_check="pending")
    assert client_for(staff).get(url).status_code == 404  # not before its check passed
