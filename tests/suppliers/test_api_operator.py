"""A belt operator's work over the API (suppliers/api_operator.py), through the operator pages'
services: the funnel of the belts it operates, pending invitations, a CSV of invitations queued and
its row report read back after the job ran, the belt's applications by stage, and a recommendation
on a submitted application (refused on a draft, level required to certify). Another belt's
invitations, imports and applications answer 404, as does everything to a supplier or a buyer;
anonymous 403; the lists have a fixed query budget."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from suppliers import tasks
from suppliers.models import Invitation, InvitationImport, SupplierEvent
from suppliers.services import invitation_import_run
from tests import factories as f
from tests.suppliers import factories as world

pytestmark = pytest.mark.django_db

CSV = """company,contact,email
Wuhan Raycus Fiber Laser,Zhang Wei,zhang@raycus.test
Hubei Optics,Wang Fang,not-an-email
"""


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def base(belt) -> str:
    return f"/api/v1/operator/belts/{belt.slug}/"


@pytest.fixture
def queued(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(tasks.invitation_import_run_task, "delay", lambda import_id: calls.append(import_id))
    return calls


def upload(text: str = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")


def test_belts_list_the_funnel_of_the_operators_belts_only(operator, belt):
    world.application(belt)
    f.BeltFactory()  # not operated
    [row] = api(operator).get("/api/v1/operator/belts/").json()
    assert row["slug"] == belt.slug and row["funnel"]["verifying"] == 1 and next(iter(row["funnel"])) == "invited"


def test_an_invitation_file_is_queued_and_its_report_read_back(operator, belt, queued,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    client = api(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base(belt)}invitation-imports/", {"file": upload()}, format="multipart")
    assert response.status_code == 201, response.json()
    job = response.json()
    assert job["status"] == "queued" and queued == [job["id"]]
    invitation_import_run(import_id=job["id"])  # what the worker runs
    done = client.get(f"{base(belt)}invitation-imports/{job['id']}/").json()
    assert (done["status"], done["created_count"], done["problem_count"]) == ("done", 1, 1)
    assert done["problems"][0]["line"] == 3 and done["problems"][0]["reason"]
    assert [i["email"] for i in client.get(f"{base(belt)}invitations/").json()["results"]] == ["zhang@raycus.test"]
    assert [j["id"] for j in client.get(f"{base(belt)}invitation-imports/").json()] == [job["id"]]


def test_a_binary_file_is_refused_at_once(operator, belt, queued):
    binary = SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="text/csv")
    response = api(operator).post(f"{base(belt)}invitation-imports/", {"file": binary}, format="multipart")
    assert response.status_code == 400 and not InvitationImport.objects.exists() and queued == []


def test_applications_by_stage_and_a_recommendation(operator, belt):
    submitted, _member = world.application(belt)
    draft = f.DraftApplicationFactory(belt=belt)
    client = api(operator)
    everyone = client.get(f"{base(belt)}applications/").json()["results"]
    assert {a["id"] for a in everyone} == {submitted.pk, draft.pk}
    verifying = client.get(f"{base(belt)}applications/", {"stage": "verifying"}).json()["results"]
    assert [a["id"] for a in verifying] == [submitted.pk]
    assert client.get(f"{base(belt)}applications/", {"stage": "nonsense"}).status_code == 400
    url = f"/api/v1/operator/applications/{submitted.pk}/recommend/"
    assert client.post(url, {"recommends": "certify", "reason": "Known to us"}, format="json").status_code == 400
    response = client.post(url, {"recommends": "certify", "level": "verified", "reason": "Known"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["recommends"], response.json()["to_level"]) == ("certify", "verified")
    detail = client.get(f"/api/v1/operator/applications/{submitted.pk}/").json()
    assert detail["trail"][0]["kind"] == "recommended"
    refused = client.post(
        f"/api/v1/operator/applications/{draft.pk}/recommend/", {"recommends": "reject", "reason": "No"}, format="json"
    )
    assert refused.status_code == 400 and "not been submitted" in refused.json()["detail"]
    assert SupplierEvent.objects.filter(kind="recommended").count() == 1


def test_another_belt_answers_404(operator, belt, queued):
    other = f.BeltFactory()
    application, _member = world.application(other)
    client = api(operator)
    assert client.get(f"{base(other)}invitations/").status_code == 404
    assert client.get(f"{base(other)}applications/").status_code == 404
    assert client.post(f"{base(other)}invitation-imports/", {"file": upload()}, format="multipart").status_code == 404
    assert client.get(f"/api/v1/operator/applications/{application.pk}/").status_code == 404
    url = f"/api/v1/operator/applications/{application.pk}/recommend/"
    assert client.post(url, {"recommends": "reject", "reason": "x"}, format="json").status_code == 404
    assert not SupplierEvent.objects.filter(kind="recommended").exists() and queued == []


def test_a_supplier_and_a_buyer_get_404_and_anonymous_403(supplier_member, buyer, belt):
    application, _member = world.application(belt)
    for client, code in ((api(supplier_member), 404), (api(buyer), 404), (api(), 403)):
        assert client.get(f"{base(belt)}applications/").status_code == code
        assert (
            client.post(f"{base(belt)}invitation-imports/", {"file": upload()}, format="multipart").status_code == code
        )
        url = f"/api/v1/operator/applications/{application.pk}/recommend/"
        assert client.post(url, {"recommends": "reject", "reason": "x"}, format="json").status_code == code
    assert api(supplier_member).get("/api/v1/operator/belts/").status_code == 404


def test_the_lists_have_a_fixed_query_budget(operator, belt):
    client = api(operator)
    world.application(belt)
    Invitation.objects.create(belt=belt, company_name="A", contact_name="A", email="a@x.test", invited_by=operator)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{base(belt)}applications/")
        client.get(f"{base(belt)}invitations/")
    for n in range(4):
        world.application(belt)
        Invitation.objects.create(
            belt=belt, company_name="B", contact_name="B", email=f"b{n}@x.test", invited_by=operator
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{base(belt)}applications/").json()["results"]) == 5
        assert len(client.get(f"{base(belt)}invitations/").json()["results"]) == 5
    assert len(few) == len(many) <= 6
