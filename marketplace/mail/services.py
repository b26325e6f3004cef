"""The one mail path of the marketplace (a transactional outbox).

`mail_enqueue` renders an email in its reader's language and writes it as an `OutboundMail` row in
the caller's transaction, so a rolled-back change sends nothing and a committed one always has its
mail. After commit the send is queued; if the broker is down the row waits for `mail_sweep`, which
the beat runs every minute. `mail_send` delivers one row at most once and never raises for a mail
server failure: a committed change never turns into an error page because mail is down.
"""

import datetime
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from marketplace.jobs import enqueue

from .models import OutboundMail
from .tasks import mail_send_task

logger = logging.getLogger(__name__)

# Attempts before a mail is given up (the admin can resend it). With the delays below the last
# attempt comes about a day after the first.
MAX_ATTEMPTS = 30
# The sweep stops taking new mails after this long, so a hung mail server cannot pile sweeps up.
SWEEP_TIME_BUDGET = 45.0
SWEEP_BATCH = 200


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait before the next try after `attempts` failed ones: the next sweep after the first
    failure (within a minute), then 1, 2, 4 … minutes, at most an hour."""
    if attempts <= 1:
        return datetime.timedelta(0)
    return datetime.timedelta(minutes=min(2 ** (attempts - 2), 60))


def _one_line(text: str) -> str:
    # A header may not contain line breaks, whatever a company's name holds.
    return " ".join(text.split())


@transaction.atomic
def mail_enqueue(
    *,
    to: str | Sequence[str],
    template: str,
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
    kind: str = "",
    subject: str | Promise | None = None,
    subject_template: str | None = None,
    html_template: str | None = None,
    dedupe_key: str | None = None,
) -> OutboundMail | None:
    """Render `template` in `language` and write one mail in the caller's transaction; it is sent
    after commit. The subject is `subject`, else `subject_template` rendered, else the template's
    first line. A `dedupe_key` already enqueued writes nothing and returns None."""
    recipients = [to] if isinstance(to, str) else list(to)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    context = dict(context or {})
    with translation.override(language):
        text = render_to_string(template, context).strip()
        if subject is not None:
            title, body = str(subject), text
        elif subject_template is not None:
            title, body = render_to_string(subject_template, context), text
        else:
            title, _sep, body = text.partition("\n")
        html_body = render_to_string(html_template, context) if html_template else ""
    fields = {
        "kind": kind,
        "to": recipients,
        "subject": _one_line(title)[:998],
        "body": body.strip(),
        "html_body": html_body,
        "language": language,
    }
    if dedupe_key is None:
        mail = OutboundMail.objects.create(**fields)
    else:
        # get_or_create inserts in a savepoint: a concurrent or repeated enqueue of the same key
        # finds the first row instead of breaking the caller's transaction.
        mail, created = OutboundMail.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
        if not created:
            return None
    mail_id = mail.pk
    transaction.on_commit(lambda: _send_soon(mail_id), robust=True)
    return mail


def _send_soon(mail_id: int) -> None:
    """After commit: send now (tests, `MAIL_SEND_EAGER`) or queue the send task."""
    if settings.MAIL_SEND_EAGER:
        mail_send(mail_id=mail_id)
        return
    enqueue(mail_send_task, mail_id)  # the broker down: logged, and the sweep sends it


def _message(mail: OutboundMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(mail.subject, mail.body, None, list(mail.to))
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def mail_send(*, mail_id: int) -> bool:
    """Deliver one unsent mail to the mail server; True if this call sent it.

    The row is locked (SKIP LOCKED: a second run at the same moment goes away) and `sent_at` is
    checked under the lock, so a task delivered twice, or the task and the sweep together, send
    once. A failure is recorded on the row (attempts, last_error, next try) and never raised.
    """
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update(skip_locked=True).unsent().filter(pk=mail_id).first()
        if mail is None:
            return False
        now = timezone.now()
        mail.attempts += 1
        try:
            # The lock is held while the server talks; EMAIL_TIMEOUT bounds how long.
            mailers.default.send_messages([_message(mail)])
        except Exception as exc:  # any backend failure (refused, timeout, SMTP error, bad address)
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("Mail %s (%s): attempt %s failed: %s", mail.pk, mail.kind, mail.attempts, mail.last_error)
            return False
        mail.sent_at = timezone.now()
        mail.save(update_fields=["attempts", "sent_at"])
    return True


def mail_sweep(*, now: datetime.datetime | None = None) -> int:
    """Send the unsent mails that are due (a lost task, a broker or mail server that was down);
    returns how many went. Each mail is sent by `mail_send`, so a sweep overlapping a task or
    another sweep sends nothing twice."""
    now = now or timezone.now()
    due = list(OutboundMail.objects.due(now=now, max_attempts=MAX_ATTEMPTS).values_list("pk", flat=True)[:SWEEP_BATCH])
    started, sent = time.monotonic(), 0
    for mail_id in due:
        if time.monotonic() - started > SWEEP_TIME_BUDGET:
            break  # the next sweep goes on
        sent += mail_send(mail_id=mail_id)
    return sent


@transaction.atomic
def mail_resend(*, mail: OutboundMail) -> OutboundMail:
    """Send a mail again (staff, from the admin): an unsent one gets its attempts back and is
    sent after commit; a sent one is copied into a new mail, so the record of the first stays."""
    if mail.sent_at is None:
        OutboundMail.objects.filter(pk=mail.pk).update(attempts=0, next_attempt_at=timezone.now())
        again = mail
    else:
        again = OutboundMail.objects.create(
            kind=mail.kind,
            to=mail.to,
            subject=mail.subject,
            body=mail.body,
            html_body=mail.html_body,
            language=mail.language,
        )
    mail_id = again.pk
    transaction.on_commit(lambda: _send_soon(mail_id), robust=True)
    return again
