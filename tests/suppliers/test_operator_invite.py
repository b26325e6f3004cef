"""The invitation page: upload a CSV for one's own belt, which is stored and imported by a
background job; the import's page shows its status and row report; nobody else may see or start one."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from marketplace.mail.models import OutboundMail
from suppliers import tasks
from suppliers.models import BeltOperator, Invitation, InvitationImport
from suppliers.services import (
    invitation_import_create,
    invitation_import_ids_stalled,
    invitation_import_run,
    invitation_imports,
)
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
ZH = {"Accept-Language": "zh-hans"}


def upload(text: str = CSV, encoding: str = "utf-8", name: str = "members.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def page_of(job: InvitationImport) -> str:
    return reverse("suppliers:operator_invite_import", args=[job.belt.slug, job.pk])


@pytest.fixture
def yiwu(db):
    return f.BeltFactory(slug="yiwu-goods", name_en="Yiwu small goods belt")


@pytest.fixture
def queued(monkeypatch):
    """Import ids handed to the job's `.delay` (the broker is the outside world here)."""
    calls: list[int] = []
    monkeypatch.setattr(tasks.invitation_import_run_task, "delay", lambda import_id: calls.append(import_id))
    return calls


def post_file(user, file, django_capture_on_commit_callbacks, **headers):
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(user).post(INVITE, {"file": file}, headers=headers or None)


def import_and_run(user, file, capture, queued) -> InvitationImport:
    """Post the file, then run the job it queued (as the worker would) with its emails sent."""
    response = post_file(user, file, capture)
    assert response.status_code == 302
    job = InvitationImport.objects.get()
    assert queued == [job.pk]
    with capture(execute=True):
        invitation_import_run(import_id=job.pk)
    job.refresh_from_db()
    return job


# --- the page and the upload ------------------------------------------------------------------


def test_urls_are_per_belt(belt):
    assert reverse("suppliers:operator_invite", args=[belt.slug]) == INVITE
    assert reverse("suppliers:operator_invite_import", args=[belt.slug, 7]) == f"{INVITE}7/"


def test_operator_sees_the_upload_form(operator, belt):
    response = client_for(operator).get(INVITE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Wuhan laser belt" in html
    assert response.context["job"] is None
    assert 'data-testid="recent-imports"' not in html


def test_the_upload_is_stored_and_queued_not_imported(
    operator, belt, queued, django_capture_on_commit_callbacks, settings
):
    response = post_file(operator, upload(), django_capture_on_commit_callbacks)
    job = InvitationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_of(job)
    assert (job.belt, job.created_by, job.original_name, job.status) == (belt, operator, "members.csv", "queued")
    assert queued == [job.pk]
    assert (settings.PRIVATE_MEDIA_ROOT / job.file.name).read_bytes() == CSV.encode()
    assert "members" not in job.file.name  # a server-made name
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - private: no public address
    assert not Invitation.objects.exists()
    assert mail.outbox == []

    page = client_for(operator).get(response["Location"])
    html = page.content.decode()
    assert 'data-status="queued"' in html
    assert 'data-testid="import-pending"' in html
    assert 'data-testid="recent-imports"' in html
    assert "members.csv" in html


def test_the_request_does_not_parse_the_file(operator, belt, queued, monkeypatch, django_capture_on_commit_callbacks):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the request parsed the CSV")

    monkeypatch.setattr(onboarding_module.csv, "reader", no_parsing)
    monkeypatch.setattr(onboarding_module, "decode_csv_text", no_parsing)
    response = post_file(operator, upload(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = InvitationImport.objects.get()
    assert job.status == "queued"

    monkeypatch.undo()  # the worker parses it
    invitation_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 1)


def test_the_job_creates_good_rows_and_the_page_shows_the_row_report(
    operator, belt, queued, django_capture_on_commit_callbacks
):
    job = import_and_run(operator, upload(), django_capture_on_commit_callbacks, queued)
    assert (job.status, job.row_count, job.created_count, job.problem_count) == ("done", 4, 1, 3)
    assert [(p["line"], p["codes"]) for p in job.problems] == [
        (3, ["missing_company"]),
        (4, ["invalid_email"]),
        (5, ["duplicate_in_file"]),
    ]
    assert job.started_at and job.finished_at
    invitation = Invitation.objects.get()
    assert (invitation.belt, invitation.invited_by, invitation.email) == (belt, operator, "zhang@raycus.test")
    [message] = mail.outbox
    assert f"{settings.SITE_URL}/apply/invite/{invitation.token}/" in message.body  # absolute, from SITE_URL

    response = client_for(operator).get(page_of(job))
    assert response.status_code == 200
    assert [(p.line, p.codes) for p in response.context["problems"]] == [
        (3, ("missing_company",)),
        (4, ("invalid_email",)),
        (5, ("duplicate_in_file",)),
    ]
    html = response.content.decode()
    assert 'data-status="done"' in html
    assert 'data-testid="created-count">1<' in html
    assert 'data-testid="problem-count">3<' in html
    assert "The same email address is on row 2." in html
    assert "“not-an-email” is not a valid email address." in html
    assert "hx-trigger" not in html  # finished: the page stops asking


def test_the_row_report_is_shown_in_the_readers_language(operator, belt, queued, django_capture_on_commit_callbacks):
    job = import_and_run(operator, upload(), django_capture_on_commit_callbacks, queued)
    html = client_for(operator).get(page_of(job), headers=ZH).content.decode()
    assert "第 2 行的电子邮箱与此相同。" in html
    assert "“not-an-email”不是有效的电子邮箱。" in html
    assert "The same email address is on row 2." not in html


def test_every_row_rule_holds_in_the_job(
    operator, belt, queued, supplier_member, staff, django_capture_on_commit_callbacks
):
    Invitation.objects.create(
        belt=belt, company_name="Jiangsu Already", contact_name="Zhao", email="already@invited.test",
        invited_by=operator,
    )  # fmt: skip
    f.UserFactory(email="op@assoc.test", role=User.Role.OPERATOR)
    text = (
        "company,contact,email\n"
        "New Factory,Sun Li,sun@new.test\n"
        ",No Company,x@y.test\n"
        f"{'X' * 201},Long,long@x.test\n"
        "No Contact,,nc@x.test\n"
        "Bad Mail,Ma,bad@\n"
        "Twice,Sun Li,SUN@new.test\n"
        "Jiangsu Already,Zhao,already@invited.test\n"
        f"Rival Works,Wu,{supplier_member.email.upper()}\n"
        "Assoc,Assoc Person,op@assoc.test\n"
        f"Admins,Admin,{staff.email}\n"
    )
    job = import_and_run(operator, upload(text), django_capture_on_commit_callbacks, queued)
    assert [(p["line"], p["codes"]) for p in job.problems] == [
        (3, ["missing_company"]),
        (4, ["company_too_long"]),
        (5, ["missing_contact"]),
        (6, ["invalid_email"]),
        (7, ["duplicate_in_file"]),
        (8, ["already_invited"]),
        (9, ["existing_member"]),
        (10, ["platform_account"]),
        (11, ["platform_account"]),
    ]
    assert job.created_count == 1
    assert list(Invitation.objects.exclude(email="already@invited.test").values_list("email", flat=True)) == [
        "sun@new.test"
    ]
    assert [m.to for m in mail.outbox] == [["sun@new.test"]]  # once, through the outbox


def test_gbk_upload_through_the_page(operator, belt, queued, django_capture_on_commit_callbacks):
    text = "公司名称,联系人,邮箱\r\n武汉锐科光纤激光技术股份有限公司,张伟,zhangwei@raycus.test\r\n"
    job = import_and_run(operator, upload(text, "gbk"), django_capture_on_commit_callbacks, queued)
    assert job.created_count == 1
    assert Invitation.objects.get().company_name == "武汉锐科光纤激光技术股份有限公司"


# --- files refused whole ------------------------------------------------------------------------


def test_an_oversized_file_gets_a_clear_message_beside_the_field(operator, belt, queued, monkeypatch):
    monkeypatch.setattr(onboarding_module, "MAX_FILE_BYTES", 100)
    response = client_for(operator).post(INVITE, {"file": upload(CSV * 3)})
    assert response.status_code == 200
    assert response.context["job"] is None
    assert "larger than" in response.context["form"].errors["file"][0]
    assert "larger than" in response.content.decode()
    assert not InvitationImport.objects.exists()
    assert queued == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "Excel workbook"),
        (b"company,contact,email\n\x00\x01\x02binary", "UTF-8 or GBK"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "UTF-8 or GBK"),
    ],
)
def test_a_file_that_does_not_start_as_text_is_refused_at_once(operator, belt, queued, content, message):
    response = client_for(operator).post(INVITE, {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not InvitationImport.objects.exists()
    assert queued == []


def test_posting_without_a_file_is_a_form_error(operator, belt, queued):
    response = client_for(operator).post(INVITE, {})
    assert response.context["form"].errors["file"]
    assert not InvitationImport.objects.exists()


def test_too_many_rows_fail_the_job_with_a_message_in_english_and_chinese(
    operator, belt, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(onboarding_module, "MAX_ROWS", 2)
    job = import_and_run(operator, upload(), django_capture_on_commit_callbacks, queued)
    assert (job.status, job.failure, job.failure_params) == ("failed", "too_many_rows", {"rows": 2})
    assert job.finished_at is not None
    assert not Invitation.objects.exists()
    assert mail.outbox == []

    client = client_for(operator)
    html = client.get(page_of(job)).content.decode()
    assert 'data-testid="import-failure"' in html
    assert "The file has more than 2 rows. Split it into smaller files." in html
    html = client.get(page_of(job), headers=ZH).content.decode()
    assert "文件超过 2 行，请拆分为多个较小的文件。" in html
    assert "Split it into smaller files" not in html
    assert "失败" in html  # the status


@pytest.mark.parametrize(
    ("content", "key"),
    [
        # text for the request's look at the first bytes, neither UTF-8 nor GBK further on
        (b"company,contact,email\n" + b"A,B,a@b.test\n" * 400 + b"\x80\x80\xff\xfe\x00\x00", "not_text"),
        (b"Wuhan Raycus,Zhang Wei,zhang@raycus.test\n", "missing_column"),
        ("名称,电话\n武汉,027\n".encode("gbk"), "missing_column"),
    ],
)
def test_a_file_refused_whole_fails_the_job(operator, belt, queued, content, key, django_capture_on_commit_callbacks):
    file = SimpleUploadedFile("x.csv", content)
    job = import_and_run(operator, file, django_capture_on_commit_callbacks, queued)
    assert (job.status, job.failure) == ("failed", key)
    assert not Invitation.objects.exists()
    html = client_for(operator).get(page_of(job)).content.decode()
    assert str(onboarding_module.file_refusal_message(key, job.failure_params)) in html


# --- the job: idempotent, swept -----------------------------------------------------------------


def test_running_the_job_twice_invites_once(operator, belt, queued, django_capture_on_commit_callbacks):
    job = import_and_run(operator, upload(), django_capture_on_commit_callbacks, queued)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert invitation_import_run(import_id=job.pk) is None  # finished: left alone
    again = InvitationImport.objects.get(pk=job.pk)
    assert (again.status, again.finished_at, again.created_count) == ("done", job.finished_at, 1)
    assert callbacks == []
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_invite_once(operator, belt, queued, monkeypatch):
    """The broker delivers the job twice at the same moment: the second finds the import held by
    the first and leaves at once; the first invites everyone once."""
    job = invitation_import_create(belt=belt, actor=operator, file=upload(), original_name="members.csv")
    real = invitation_imports._import
    inside, release = threading.Event(), threading.Event()

    def slow(claimed):
        inside.set()
        release.wait(timeout=10)
        real(claimed)

    monkeypatch.setattr(invitation_imports, "_import", slow)
    results: dict[str, object] = {}

    def deliver(name):
        try:
            results[name] = invitation_import_run(import_id=job.pk)
        except Exception as exc:  # reported below
            results[name] = exc
        finally:
            connection.close()

    first = threading.Thread(target=deliver, args=("first",))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=deliver, args=("second",))
    second.start()
    second.join(timeout=10)
    assert not second.is_alive()  # it did not wait for the first
    release.set()
    first.join(timeout=20)
    assert results["second"] is None
    assert isinstance(results["first"], InvitationImport) and results["first"].status == "done"
    assert Invitation.objects.count() == 1
    assert OutboundMail.objects.count() == 1


def test_a_job_for_a_missing_import_does_nothing(db):
    assert invitation_import_run(import_id=123456) is None


def test_the_sweep_requeues_stalled_imports_only(operator, belt, queued, django_capture_on_commit_callbacks):
    for _ in range(4):
        post_file(operator, upload(), django_capture_on_commit_callbacks)
    lost, crashed, _fresh, done = InvitationImport.objects.order_by("id")
    old = timezone.now() - datetime.timedelta(minutes=11)
    InvitationImport.objects.filter(pk__in=[lost.pk, crashed.pk, done.pk]).update(created_at=old)
    InvitationImport.objects.filter(pk=crashed.pk).update(status="running", started_at=old)
    InvitationImport.objects.filter(pk=done.pk).update(status="done", finished_at=old)
    queued.clear()

    assert invitation_import_ids_stalled() == [lost.pk, crashed.pk]
    assert tasks.invitation_import_sweep_task() == 2
    assert queued == [lost.pk, crashed.pk]

    invitation_import_run(import_id=crashed.pk)  # the re-queued job runs from the start
    crashed.refresh_from_db()
    assert (crashed.status, crashed.created_count) == ("done", 1)


def test_the_sweep_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["suppliers-invitation-imports-sweep"]
    assert entry["task"] == "suppliers.tasks.invitation_import_sweep_task"


def test_the_task_runs_the_service(monkeypatch):
    calls = []
    monkeypatch.setattr("suppliers.services.invitation_import_run", lambda **kwargs: calls.append(kwargs))
    tasks.invitation_import_run_task(7)
    assert calls == [{"import_id": 7}]
    assert tasks.invitation_import_run_task.acks_late


def test_an_operator_removed_before_the_job_runs_invites_nobody(
    operator, belt, queued, django_capture_on_commit_callbacks
):
    post_file(operator, upload(), django_capture_on_commit_callbacks)
    job = InvitationImport.objects.get()
    BeltOperator.objects.filter(user=operator).delete()
    invitation_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "not_operator")
    assert not Invitation.objects.exists()


# --- who may see and start imports ----------------------------------------------------------------


@pytest.fixture
def belt_import(operator, belt, queued, django_capture_on_commit_callbacks):
    post_file(operator, upload(), django_capture_on_commit_callbacks)
    return InvitationImport.objects.get()


def test_another_belts_operator_cannot_see_or_use_the_pages(belt, yiwu, belt_import):
    stranger = f.BeltOperatorFactory(belt=yiwu).user
    client = client_for(stranger)
    assert client.get(INVITE).status_code == 404
    assert client.post(INVITE, {"file": upload()}).status_code == 404
    assert client.get(page_of(belt_import)).status_code == 404
    # their own belt's address with another belt's import: as if it did not exist
    assert client.get(f"/dashboard/belt/{yiwu.slug}/invite/{belt_import.pk}/").status_code == 404
    assert InvitationImport.objects.count() == 1
    assert client.get(f"/dashboard/belt/{yiwu.slug}/invite/").status_code == 200  # their own belt works


def test_another_operator_of_the_same_belt_sees_the_import_but_not_in_their_list(belt, belt_import):
    colleague = f.BeltOperatorFactory(belt=belt).user
    client = client_for(colleague)
    assert client.get(page_of(belt_import)).status_code == 200
    assert client.get(INVITE).context["imports"] == []


def test_an_unknown_belt_or_import_is_404(operator, belt):
    client = client_for(operator)
    assert client.get("/dashboard/belt/no-such-belt/invite/").status_code == 404
    assert client.get(f"{INVITE}999999/").status_code == 404


@pytest.mark.parametrize("who", ["buyer", "outsider", "supplier_member", "staff"])
def test_people_who_do_not_operate_the_belt_get_404(request, who, belt, belt_import):
    client = client_for(request.getfixturevalue(who))
    assert client.get(INVITE).status_code == 404
    assert client.post(INVITE, {"file": upload()}).status_code == 404
    assert client.get(page_of(belt_import)).status_code == 404
    assert InvitationImport.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client, belt, belt_import):
    for response in (client.post(INVITE, {"file": upload()}), client.get(page_of(belt_import))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert InvitationImport.objects.count() == 1
