"""An application of the operator's own belt: read it, recommend a decision on record.
Another belt's operator, buyers, suppliers and strangers see nothing and can recommend nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from suppliers.models import Supplier, SupplierEvent
from suppliers.services import (
    production_site_add,
    supplier_application_submit,
    supplier_certify,
    supplier_document_add,
    supplier_recommend,
    verification_run_execute,
)
from tests import factories as f
from tests.conftest import client_for


def url(supplier: Supplier) -> str:
    return f"/dashboard/belt/applications/{supplier.pk}/"


@pytest.fixture
def submitted(belt, django_capture_on_commit_callbacks):
    """An application with a licence, an ISO certificate and a site, submitted and verified."""
    application = f.DraftApplicationFactory(belt=belt, name_en="Wuhan Raycus Fiber Laser", name_zh="武汉锐科")
    member = f.SupplierMemberFactory(supplier=application).user
    supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    supplier_document_add(
        supplier=application, kind="certificate", upload=f.image_upload(size=(800, 600)), standard="iso_9001",
        number="CQC-9001", issuer="CQC", valid_from=datetime.date(2025, 1, 1),
        valid_until=timezone.localdate() + datetime.timedelta(days=400),
    )  # fmt: skip
    production_site_add(
        supplier=application, name="Plant 1", address="1 Road", province="CN-HB", city="Wuhan", products="Lasers"
    )
    with django_capture_on_commit_callbacks(execute=False):
        supplier_application_submit(supplier=application, actor=member)
    verification_run_execute(run_id=application.verification_runs.get().pk)
    return Supplier.objects.get(pk=application.pk)


@pytest.fixture
def yiwu_operator(db):
    return f.BeltOperatorFactory(belt=f.BeltFactory(slug="yiwu-goods")).user


def recommend_post(client, supplier, **data):
    return client.post(url(supplier), {"decision": "certify", "level": "verified", "reason": "Known member", **data})


def test_url_name(submitted):
    assert reverse("suppliers:operator_application", args=[submitted.pk]) == url(submitted)


def test_operator_reads_the_application_documents_checks_and_trail(operator, submitted):
    response = client_for(operator).get(url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wuhan Raycus Fiber Laser" in html
    assert submitted.uscc in html
    assert "Zhang Wei" in html  # legal representative
    assert "Plant 1" in html
    assert "None" not in html  # empty numbers read "—"
    assert "Business licence" in html
    assert "ISO 9001" in html and "CQC-9001" in html
    assert "/media/" not in html and "/documents/" not in html  # names only, never the files
    assert response.context["run"] is not None
    checks = list(response.context["run"].checks.all())
    assert checks
    for check in checks:
        assert escape(check.message) in html
    assert "Application submitted" in html  # the audit trail
    assert 'data-testid="recommend-form"' in html


def test_recommending_certification_is_recorded_with_the_operator_as_actor(operator, submitted):
    client = client_for(operator)
    response = recommend_post(client, submitted, level="certified_origin", reason="We visited the plant.")
    assert response.status_code == 302
    assert response["Location"] == url(submitted)

    event = SupplierEvent.objects.get(supplier=submitted, kind=SupplierEvent.Kind.RECOMMENDED)
    assert (event.actor, event.to_level, event.reason, event.data) == (
        operator,
        "certified_origin",
        "We visited the plant.",
        {"decision": "certify"},
    )
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.UNDER_VERIFICATION  # the admin decides, not the operator

    html = client.get(url(submitted)).content.decode()
    assert "Belt operator&#x27;s recommendation" in html
    assert "Recommends certifying as “Certified origin manufacturer”." in html
    assert "We visited the plant." in html


def test_recommending_rejection_is_recorded_without_a_level(operator, submitted):
    recommend_post(client_for(operator), submitted, decision="reject", level="audited_factory", reason="Trader only")
    event = SupplierEvent.objects.get(kind=SupplierEvent.Kind.RECOMMENDED)
    assert (event.to_level, event.data, event.reason) == ("", {"decision": "reject"}, "Trader only")
    assert "Recommends rejecting." in client_for(operator).get(url(submitted)).content.decode()


def test_the_admins_decision_and_the_recommendation_both_stay_on_record(operator, staff, submitted):
    recommend_post(client_for(operator), submitted)
    supplier_certify(supplier=submitted, level="verified", actor=staff, reason="Documents in order")
    kinds = [e["event"].kind for e in client_for(operator).get(url(submitted)).context["trail"]]
    assert kinds[:2] == [SupplierEvent.Kind.CERTIFIED, SupplierEvent.Kind.RECOMMENDED]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": ""}, "level"),
        ({"reason": ""}, "reason"),
        ({"decision": "certify_now"}, "decision"),
        ({"level": "none"}, "level"),
    ],
)
def test_an_incomplete_recommendation_is_a_form_error(operator, submitted, data, field):
    response = recommend_post(client_for(operator), submitted, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_a_draft_can_be_read_but_not_recommended(operator, belt):
    draft = f.DraftApplicationFactory(belt=belt)
    client = client_for(operator)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert 'data-testid="recommend-form"' not in response.content.decode()
    response = recommend_post(client, draft)
    assert response.context["form"].non_field_errors() == ["The application has not been submitted yet."]
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_another_belts_operator_gets_404_and_cannot_recommend(yiwu_operator, submitted):
    client = client_for(yiwu_operator)
    assert client.get(url(submitted)).status_code == 404
    assert recommend_post(client, submitted).status_code == 404
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_the_service_refuses_another_belts_operator_too(yiwu_operator, submitted):
    with pytest.raises(PermissionDenied):
        supplier_recommend(supplier=submitted, actor=yiwu_operator, decision="certify", level="verified")
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_an_operator_of_two_belts_reads_both(operator, yiwu_operator, submitted):
    theirs = f.ApplicantSupplierFactory(belt=f.BeltOperatorFactory._meta.model.objects.get(user=yiwu_operator).belt)
    assert client_for(operator).get(url(theirs)).status_code == 404
    f.BeltOperatorFactory(belt=theirs.belt, user=operator)
    assert client_for(operator).get(url(theirs)).status_code == 200


def test_an_unknown_application_is_404(operator, db):
    assert client_for(operator).get("/dashboard/belt/applications/999999/").status_code == 404


@pytest.mark.parametrize("who", ["buyer", "outsider", "supplier_member", "staff"])
def test_people_who_do_not_operate_the_belt_get_404(request, who, submitted):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(submitted)).status_code == 404
    assert recommend_post(client, submitted).status_code == 404
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_the_applicant_itself_gets_404_on_the_operator_page(submitted):
    member = submitted.members.get().user
    assert client_for(member).get(url(submitted)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, submitted):
    response = recommend_post(client, submitted)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not SupplierEvent.objects.filter(kind=SupplierEvent.Kind.RECOMMENDED).exists()


def test_query_budget_does_not_grow_with_documents_and_trail(operator, submitted, django_assert_max_num_queries):
    client = client_for(operator)
    client.get(url(submitted))
    # session, user, application (+belt, invitation), categories, sites, documents, trail (+actors),
    # latest run, its checks
    with django_assert_max_num_queries(9):
        assert client.get(url(submitted)).status_code == 200
    for i in range(20):
        supplier_recommend(supplier=submitted, actor=operator, decision="reject", reason=f"Note {i}")
        f.ProductionSiteFactory(supplier=submitted, name=f"Plant {i + 2}")
        submitted.documents.create(
            kind="factory_photo", file=f"x{i}.jpg", content_type="image/jpeg", size=1, sha256="0", file_check="clean"
        )
    with django_assert_max_num_queries(9):
        response = client.get(url(submitted))
    assert len(response.context["trail"]) > 20
