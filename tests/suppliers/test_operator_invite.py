"""The invitation page: upload a CSV for one's own belt, read the row report; nobody else may."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suppliers.models import Invitation
from suppliers.services import onboarding as onboarding_module
from tests import factories as f
from tests.conftest import client_for

INVITE = "/dashboard/belt/wuhan-laser/invite/"
CSV = """company,contact,email
Wuhan Raycus Fiber Laser,Zhang Wei,zhang@raycus.test
,Li Na,li@nocompany.test
Hubei Optics,Wang Fang,not-an-email
Wuhan HGTECH,Chen Jie,zhang@raycus.test
"""


def upload(text: str = CSV, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", text.encode(encoding), content_type="text/csv")


@pytest.fixture
def yiwu(db):
    return f.BeltFactory(slug="yiwu-goods", name_en="Yiwu small goods belt")


def test_url_is_per_belt(belt):
    assert reverse("suppliers:operator_invite", args=[belt.slug]) == INVITE


def test_operator_sees_the_upload_form(operator, belt):
    response = client_for(operator).get(INVITE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Wuhan laser belt" in html
    assert response.context["report"] is None


def test_upload_creates_good_rows_and_shows_the_row_report(operator, belt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(INVITE, {"file": upload()})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.created_count == 1
    assert [(p.line, p.codes) for p in report.problems] == [
        (3, ("missing_company",)),
        (4, ("invalid_email",)),
        (5, ("duplicate_in_file",)),
    ]
    html = response.content.decode()
    assert 'data-testid="created-count">1<' in html
    assert 'data-testid="problem-count">3<' in html
    assert "The same email address is on row 2." in html
    assert "“not-an-email” is not a valid email address." in html
    invitation = Invitation.objects.get()
    assert (invitation.belt, invitation.invited_by, invitation.email) == (belt, operator, "zhang@raycus.test")
    [message] = mail.outbox
    assert f"http://testserver/apply/invite/{invitation.token}/" in message.body  # absolute, from the request


def test_gbk_upload_through_the_page(operator, belt, django_capture_on_commit_callbacks):
    text = "公司名称,联系人,邮箱\r\n武汉锐科光纤激光技术股份有限公司,张伟,zhangwei@raycus.test\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator).post(INVITE, {"file": upload(text, "gbk")})
    assert response.context["report"].created_count == 1
    assert Invitation.objects.get().company_name == "武汉锐科光纤激光技术股份有限公司"


def test_an_oversized_file_gets_a_clear_message_beside_the_field(operator, belt, monkeypatch):
    monkeypatch.setattr(onboarding_module, "MAX_FILE_BYTES", 100)
    response = client_for(operator).post(INVITE, {"file": upload(CSV * 3)})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "larger than" in response.context["form"].errors["file"][0]
    assert "larger than" in response.content.decode()
    assert not Invitation.objects.exists()


def test_posting_without_a_file_is_a_form_error(operator, belt):
    response = client_for(operator).post(INVITE, {})
    assert response.context["form"].errors["file"]
    assert not Invitation.objects.exists()


def test_another_belts_operator_cannot_see_or_use_the_page(belt, yiwu):
    stranger = f.BeltOperatorFactory(belt=yiwu).user
    client = client_for(stranger)
    assert client.get(INVITE).status_code == 404
    assert client.post(INVITE, {"file": upload()}).status_code == 404
    assert not Invitation.objects.exists()
    assert client.get(f"/dashboard/belt/{yiwu.slug}/invite/").status_code == 200  # their own belt works


def test_an_unknown_belt_is_404(operator):
    assert client_for(operator).get("/dashboard/belt/no-such-belt/invite/").status_code == 404


@pytest.mark.parametrize("who", ["buyer", "outsider", "supplier_member", "staff"])
def test_people_who_do_not_operate_the_belt_get_404(request, who, belt):
    client = client_for(request.getfixturevalue(who))
    assert client.get(INVITE).status_code == 404
    assert client.post(INVITE, {"file": upload()}).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, belt):
    response = client.post(INVITE, {"file": upload()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Invitation.objects.exists()
