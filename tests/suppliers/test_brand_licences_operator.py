"""A belt operator's licence pages and API: the operator grants, renews and revokes for its own belt's
members only; another belt's operator, a supplier, a buyer and anonymous visitors reach nothing, by
URL and by API; creating a licence over the API is idempotent by the kernel's key
(marketplace.idempotency); the pages and lists keep a fixed query budget."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.idempotency.models import IdempotentRequest
from suppliers.models import BrandLicence, BrandLicenceEvent
from suppliers.services import brand_licence_grant
from tests import factories as f

from ..conftest import client_for
from .factories import pdf_upload

pytestmark = pytest.mark.django_db

UNTIL = timezone.localdate() + datetime.timedelta(days=365)


@pytest.fixture
def licence(supplier, operator, category):
    return brand_licence_grant(
        supplier=supplier, actor=operator, categories=[category], document=pdf_upload("licence.pdf"), valid_until=UNTIL
    )


@pytest.fixture
def other_operator(db):
    return f.BeltOperatorFactory(belt=f.BeltFactory(slug="shishi-textiles")).user


def _grant_post(supplier, category, **extra):
    return {
        "supplier": supplier.pk, "kind": "regional_brand", "categories": [category.pk],
        "valid_from": timezone.localdate().isoformat(), "valid_until": UNTIL.isoformat(),
        "document": pdf_upload("signed-licence.pdf"), **extra,
    }  # fmt: skip


# --- pages ------------------------------------------------------------------------------------------


def test_the_operator_grants_from_its_belts_licence_page(belt, operator, supplier, category):
    client = client_for(operator)
    page = client.get(f"/dashboard/belt/{belt.slug}/licences/")
    assert page.status_code == 200 and 'data-testid="no-licences"' in page.content.decode()
    response = client.post(f"/dashboard/belt/{belt.slug}/licences/", _grant_post(supplier, category))
    licence = BrandLicence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dashboard/belt/licences/{licence.pk}/"
    assert licence.supplier == supplier and licence.granted_by == operator and licence.document_name
    listed = client.get(f"/dashboard/belt/{belt.slug}/licences/").content.decode()
    assert licence.number in listed and 'data-standing="valid"' in listed
    assert "Brand licences" in client.get("/dashboard/belt/").content.decode()  # linked from the dashboard


def test_the_grant_form_offers_only_the_belts_certified_members(belt, operator, supplier, category):
    applicant = f.ApplicantSupplierFactory(belt=belt, name_en="Still Applying Co.")
    elsewhere = f.SupplierFactory(name_en="Other Belt Member Co.")
    page = client_for(operator).get(f"/dashboard/belt/{belt.slug}/licences/").content.decode()
    assert supplier.name_en in page or supplier.name_zh in page
    assert applicant.name_en not in page and elsewhere.name_en not in page
    response = client_for(operator).post(f"/dashboard/belt/{belt.slug}/licences/", _grant_post(elsewhere, category))
    assert response.status_code == 200 and not BrandLicence.objects.exists()


def test_the_operator_renews_and_revokes_with_a_reason(operator, licence):
    client = client_for(operator)
    url = f"/dashboard/belt/licences/{licence.pk}/"
    assert client.get(url).status_code == 200
    category = licence.categories.get()
    later = UNTIL + datetime.timedelta(days=100)
    response = client.post(url, {"action": "renew", "valid_until": later.isoformat(), "categories": [category.pk]})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.valid_until == later
    refused = client.post(url, {"action": "revoke", "reason": ""})
    assert refused.status_code == 200 and BrandLicence.objects.get().status == "active"
    client.post(url, {"action": "revoke", "reason": "Labels misused on imported goods"})
    licence.refresh_from_db()
    assert licence.status == "revoked"
    page = client.get(url).content.decode()
    assert "Labels misused on imported goods" in page and 'data-testid="revoke-form"' not in page
    assert list(BrandLicenceEvent.objects.values_list("kind", flat=True)) == ["granted", "renewed", "revoked"]


def test_nobody_but_the_belts_operator_reaches_its_licence_pages(
    belt, licence, category, supplier, other_operator, supplier_member, buyer
):
    urls = [f"/dashboard/belt/{belt.slug}/licences/", f"/dashboard/belt/licences/{licence.pk}/"]
    for user in (other_operator, supplier_member, buyer):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[0], _grant_post(supplier, category)).status_code == 404
        assert client.post(urls[1], {"action": "revoke", "reason": "not mine"}).status_code == 404
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    licence.refresh_from_db()
    assert licence.status == "active" and BrandLicence.objects.count() == 1


def test_licence_pages_query_budget_does_not_grow_with_licences(
    belt, operator, category, django_assert_max_num_queries
):
    client = client_for(operator)
    for _ in range(3):
        member = f.SupplierFactory(belt=belt)
        brand_licence_grant(supplier=member, actor=operator, categories=[category, f.CategoryFactory()],
                            document=pdf_upload(), valid_until=UNTIL)  # fmt: skip
    # session, user, belt; the scope's categories (the belt's main categories, then with their
    # subcategories); licences and their scope; the form's members and categories
    with django_assert_max_num_queries(9) as three:
        assert client.get(f"/dashboard/belt/{belt.slug}/licences/").status_code == 200
    for _ in range(5):
        brand_licence_grant(supplier=f.SupplierFactory(belt=belt), actor=operator, categories=[category],
                            document=pdf_upload(), valid_until=UNTIL)  # fmt: skip
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(f"/dashboard/belt/{belt.slug}/licences/").status_code == 200
    licence = BrandLicence.objects.first()
    # session, user, licence, its scope, its events; the scope's categories (two); the renewal form's
    with django_assert_max_num_queries(8):
        assert client.get(f"/dashboard/belt/licences/{licence.pk}/").status_code == 200


# --- API ----------------------------------------------------------------------------------------------


def _api_grant(client, belt, supplier, category, key="key-1", **extra):
    body = {
        "supplier": supplier.pk, "categories": [category.slug], "valid_until": UNTIL.isoformat(),
        "document": pdf_upload("licence.pdf"), **extra,
    }  # fmt: skip
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/operator/belts/{belt.slug}/licences/", body, headers=headers)


def test_the_api_grants_once_per_idempotency_key(belt, operator, supplier, category):
    client = client_for(operator)
    assert _api_grant(client, belt, supplier, category, key="").status_code == 400
    first = _api_grant(client, belt, supplier, category)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "valid" and body["holder"]["id"] == supplier.pk and body["document_check"] == "clean"
    again = _api_grant(client, belt, supplier, category)
    assert again.status_code == 201 and again.json()["number"] == body["number"]
    assert BrandLicence.objects.count() == 1 and BrandLicenceEvent.objects.count() == 1
    other_body = _api_grant(
        client, belt, supplier, category, valid_until=(UNTIL + datetime.timedelta(days=1)).isoformat()
    )
    assert other_body.status_code == 422
    conflict = _api_grant(client, belt, supplier, category, key="key-2")
    assert conflict.status_code == 409  # a licence of that kind is in force: renew it
    # The kernel keeps the granted key with its answer; the refused one stays free.
    assert list(IdempotentRequest.objects.values_list("key", "status_code")) == [("key-1", 201)]


def test_the_api_grant_declares_the_idempotency_key_and_422(client):
    schema = client.get("/api/schema/?format=json").json()
    grant = schema["paths"]["/api/v1/operator/belts/{slug}/licences/"]["post"]
    [header] = [p for p in grant["parameters"] if p["in"] == "header" and p["name"] == "Idempotency-Key"]
    assert header["required"] is True and {"201", "409", "422"} <= set(grant["responses"])


def test_the_api_renews_revokes_and_lists(belt, operator, licence, django_assert_max_num_queries):
    client = client_for(operator)
    later = (UNTIL + datetime.timedelta(days=30)).isoformat()
    renewed = client.post(f"/api/v1/operator/licences/{licence.pk}/renew/", {"valid_until": later},
                          content_type="application/json")  # fmt: skip
    assert renewed.status_code == 200 and renewed.json()["valid_until"] == later
    missing_reason = client.post(f"/api/v1/operator/licences/{licence.pk}/revoke/", {}, content_type="application/json")
    assert missing_reason.status_code == 400
    revoked = client.post(f"/api/v1/operator/licences/{licence.pk}/revoke/", {"reason": "Fake origin labels"},
                          content_type="application/json")  # fmt: skip
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert [e["kind"] for e in revoked.json()["events"]] == ["granted", "renewed", "revoked"]
    for _ in range(4):
        member = f.SupplierFactory(belt=belt)
        scope = [licence.categories.get()]
        brand_licence_grant(supplier=member, actor=operator, categories=scope, document=pdf_upload(), valid_until=UNTIL)
    # session, user, belt, licences with holder and belt, scope, events with actors
    with django_assert_max_num_queries(7):
        listed = client.get(f"/api/v1/operator/belts/{belt.slug}/licences/")
    assert listed.status_code == 200 and len(listed.json()) == 5
    with django_assert_max_num_queries(5):  # session, user, licence with holder and belt, scope, events
        assert client.get(f"/api/v1/operator/licences/{licence.pk}/").status_code == 200


def test_the_api_refuses_everyone_but_the_belts_operator(
    belt, licence, supplier, category, other_operator, supplier_member, buyer
):
    for user in (other_operator, supplier_member, buyer):
        client = client_for(user)
        assert client.get(f"/api/v1/operator/belts/{belt.slug}/licences/").status_code == 404
        assert _api_grant(client, belt, supplier, category, key=f"k-{user.pk}").status_code == 404
        assert client.get(f"/api/v1/operator/licences/{licence.pk}/").status_code == 404
        for step, body in (("renew", {"valid_until": "2099-01-01"}), ("revoke", {"reason": "no"})):
            response = client.post(f"/api/v1/operator/licences/{licence.pk}/{step}/", body,
                                   content_type="application/json")  # fmt: skip
            assert response.status_code == 404
    anonymous = Client()
    assert anonymous.get(f"/api/v1/operator/belts/{belt.slug}/licences/").status_code == 403
    assert anonymous.get(f"/api/v1/operator/licences/{licence.pk}/").status_code == 403
    assert anonymous.post(f"/api/v1/operator/licences/{licence.pk}/revoke/", {"reason": "x"}).status_code == 403
    licence.refresh_from_db()
    assert licence.status == "active" and BrandLicence.objects.count() == 1


def test_the_api_grant_names_a_member_of_the_operators_belt_only(belt, operator, category):
    elsewhere = f.SupplierFactory()
    response = _api_grant(client_for(operator), belt, elsewhere, category)
    assert response.status_code == 400 and "supplier" in response.json()
    assert not BrandLicence.objects.exists()


# --- the holder's own page -----------------------------------------------------------------------------


def test_the_holder_reads_its_licences_and_why_one_was_revoked(
    operator, licence, supplier_member, other_member, django_assert_max_num_queries
):
    from suppliers.services import brand_licence_revoke

    brand_licence_revoke(licence=licence, actor=operator, reason="Misuse at the Canton Fair")
    client = client_for(supplier_member)
    assert 'data-testid="brand-licences-link"' in client.get("/dashboard/supplier/").content.decode()
    # session, user, supplier, licences with belt, scope; the header's unread inquiries
    with django_assert_max_num_queries(6):
        page = client.get("/dashboard/supplier/brand-licences/").content.decode()
    assert licence.number in page and "Misuse at the Canton Fair" in page and 'data-standing="revoked"' in page
    other = client_for(other_member).get("/dashboard/supplier/brand-licences/").content.decode()
    assert licence.number not in other and 'data-testid="no-own-licences"' in other
