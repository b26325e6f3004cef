"""The outbox (marketplace.mail): written with the change, sent once after commit, never an error."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail import mailers
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from marketplace.mail import services, tasks
from marketplace.mail.models import OutboundMail
from marketplace.mail.services import mail_enqueue, mail_resend, mail_send, mail_sweep, retry_delay

pytestmark = pytest.mark.django_db


def _enqueue(**kwargs):
    options = {
        "to": "ada@example.com",
        "template": "emails/activate.txt",
        "context": {"link": "https://belt.example/activate/x/"},
        "subject": "Confirm your email address",
        "kind": "test",
    }
    return mail_enqueue(**{**options, **kwargs})


class Down:
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def smtp_down(monkeypatch):
    monkeypatch.setattr(type(mailers), "default", property(lambda self: Down()))


def test_the_mail_is_written_in_the_callers_transaction_and_sent_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = _enqueue()
        assert OutboundMail.objects.filter(pk=row.pk).exists()
        assert mail.outbox == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["ada@example.com"], "Confirm your email address")]
    assert "https://belt.example/activate/x/" in mail.outbox[0].body


def test_a_rolled_back_change_leaves_no_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the change fails")
    assert not OutboundMail.objects.exists()
    assert mail.outbox == []


def test_the_mail_is_rendered_in_the_readers_language_with_the_subject_on_line_one():
    row = mail_enqueue(
        to=["li@example.com"], template="emails/supplier_rejected.txt", language="zh-hans",
        context={"supplier": None, "reason": "缺少营业执照"},
    )  # fmt: skip
    assert row.language == "zh-hans"
    assert "\n" not in row.subject
    assert "缺少营业执照" in row.body
    assert "— 产业带批发平台" in row.body or any("\u4e00" <= ch <= "\u9fff" for ch in row.subject)


def test_the_same_dedupe_key_is_enqueued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _enqueue(dedupe_key="order-event:1:ada@example.com") is not None
        assert _enqueue(dedupe_key="order-event:1:ada@example.com") is None
    assert OutboundMail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_mail_is_sent_once_when_the_task_runs_twice():
    row = _enqueue()  # not committed in this test, so not sent yet
    assert mail_send(mail_id=row.pk) is True
    assert mail_send(mail_id=row.pk) is False
    tasks.mail_send_task.run(row.pk)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_deliver_once(monkeypatch, settings):
    """The row lock (SKIP LOCKED) makes a second sender go away while the first talks to the server."""
    settings.MAIL_SEND_EAGER = False
    monkeypatch.setattr(tasks.mail_send_task, "delay", lambda *a, **k: None)
    row = _enqueue()
    started, release = threading.Event(), threading.Event()
    delivered = []

    class Slow:
        def send_messages(self, messages):
            started.set()
            release.wait(5)
            delivered.extend(message.to for message in messages)
            return len(messages)

    monkeypatch.setattr(type(mailers), "default", property(lambda self: Slow()))
    results = []

    def first():
        try:
            results.append(mail_send(mail_id=row.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(5)
    assert mail_send(mail_id=row.pk) is False  # locked by the first: skipped, not waited for
    release.set()
    thread.join(10)
    assert results == [True]
    assert mail_send(mail_id=row.pk) is False  # sent: never again
    assert delivered == [["ada@example.com"]]


def test_a_failure_is_recorded_and_not_raised(smtp_down):
    row = _enqueue()
    before = timezone.now()
    assert mail_send(mail_id=row.pk) is False
    row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at >= before  # the next sweep tries again
    assert mail_send(mail_id=row.pk) is False
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=50)  # then it backs off


def test_a_mail_server_down_at_commit_does_not_fail_the_change(smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = _enqueue()
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1


def test_the_delay_grows_with_attempts_and_is_capped():
    assert retry_delay(1) == datetime.timedelta(0)
    assert retry_delay(2) < retry_delay(3) < retry_delay(5)
    assert retry_delay(services.MAX_ATTEMPTS) == datetime.timedelta(hours=1)


def test_the_sweep_sends_unsent_mails_that_are_due(monkeypatch, settings):
    settings.MAIL_SEND_EAGER = False
    monkeypatch.setattr(tasks.mail_send_task, "delay", lambda *a, **k: None)
    _enqueue(to="due@example.com")
    later = _enqueue(to="later@example.com")
    OutboundMail.objects.filter(pk=later.pk).update(attempts=3, next_attempt_at=timezone.now() + retry_delay(3))
    given_up = _enqueue(to="given-up@example.com")
    OutboundMail.objects.filter(pk=given_up.pk).update(attempts=services.MAX_ATTEMPTS)
    sent = _enqueue(to="sent@example.com")
    mail_send(mail_id=sent.pk)
    mail.outbox.clear()

    assert mail_sweep() == 1
    assert [m.to for m in mail.outbox] == [["due@example.com"]]
    tasks.mail_sweep_task.run()  # as the beat runs it: nothing is due any more
    assert len(mail.outbox) == 1
    assert mail_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    assert OutboundMail.objects.unsent().get().pk == given_up.pk


def test_a_broker_down_at_commit_does_not_fail_the_change_and_the_sweep_sends(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_SEND_EAGER = False

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.mail_send_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        row = _enqueue()
    assert OutboundMail.objects.unsent().get().pk == row.pk
    assert mail_sweep() == 1
    assert len(mail.outbox) == 1


def test_the_send_task_is_queued_after_commit(monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.MAIL_SEND_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.mail_send_task, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = _enqueue()
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [row.pk]


def test_resend_gives_an_unsent_mail_its_attempts_back_and_copies_a_sent_one(
    smtp_down, monkeypatch, django_capture_on_commit_callbacks
):
    row = _enqueue()
    OutboundMail.objects.filter(pk=row.pk).update(attempts=services.MAX_ATTEMPTS)
    monkeypatch.undo()  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_resend(mail=row).pk == row.pk
    row.refresh_from_db()
    assert row.sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        copy = mail_resend(mail=row)
    assert copy.pk != row.pk and copy.sent_at is None
    copy.refresh_from_db()
    assert copy.sent_at is not None
    assert len(mail.outbox) == 2


def test_the_admin_lists_filters_and_resends(staff, django_capture_on_commit_callbacks):
    from tests.conftest import client_for

    unsent = _enqueue(to="unsent@example.com", kind="order_placed")
    client = client_for(staff)
    page = client.get("/admin/mail/outboundmail/", {"sent": "no", "kind": "order_placed"})
    assert page.status_code == 200
    assert "unsent@example.com" in page.content.decode()
    assert client.get("/admin/mail/outboundmail/", {"q": "unsent@"}).status_code == 200
    assert client.get(f"/admin/mail/outboundmail/{unsent.pk}/change/").status_code == 200
    assert client.get("/admin/mail/outboundmail/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/mail/outboundmail/", {"action": "resend", "_selected_action": [unsent.pk]}, follow=True
        )
    assert response.status_code == 200
    unsent.refresh_from_db()
    assert unsent.sent_at is not None
