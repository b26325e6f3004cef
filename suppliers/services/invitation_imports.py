"""Invitation imports in the background: the request stores the operator's CSV, a job imports it.

The request checks only what is cheap and bounded (the size cap, and that the first bytes look
like text), stores the file privately under a server-made name and queues the job after commit.
The job reads, decodes and parses the file with `invitations_import_csv` (its row rules, savepoints
and after-commit emails), and stores the report as codes and params; a file refused whole ends the
job as failed with the refusal's key. Messages are made from the codes when they are read.
"""

import datetime
import logging
import uuid
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from belts.models import Belt
from marketplace.jobs import enqueue_on_commit

from ..models import BeltOperator, InvitationImport
from . import onboarding
from .onboarding import InvitationFileRefused, RowProblem, file_refusal_message

logger = logging.getLogger(__name__)

HEAD_BYTES = 4096  # what the request looks at to tell text from a binary file
# A job still queued or running this long after its upload (or its start) lost its message or its
# worker: the sweep queues it again. A second delivery of a live job finds the row claimed.
STALLED_AFTER = datetime.timedelta(minutes=10)
SWEEP_BATCH = 100
# Bytes that never occur in a CSV written as UTF-8 or GBK text (tab, line feed, form feed and
# carriage return aside).
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x0B, 0x7F}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def invitation_upload_check(file: IO[bytes]) -> bytes:
    """The file's bytes if it is under the size cap and its first bytes look like text.

    Raises InvitationFileRefused otherwise. Nothing is decoded or parsed here: the job does that.
    """
    data = onboarding._read_capped(file)
    if data.startswith(onboarding.WORKBOOK_MAGIC):
        raise InvitationFileRefused("workbook")
    head = data[:HEAD_BYTES]
    if not head.startswith(_UTF16_BOMS) and any(byte in _CONTROL_BYTES for byte in head):
        raise InvitationFileRefused("not_text")
    return data


@transaction.atomic
def invitation_import_create(*, belt: Belt, actor: User, file: IO[bytes], original_name: str) -> InvitationImport:
    """Check an operator's CSV cheaply, store it privately and queue its import after commit.

    Only an operator of `belt` may import (PermissionDenied). Raises InvitationFileRefused, with
    nothing stored or queued, when the file is too large or is not text.
    """
    from ..tasks import invitation_import_run_task

    if not BeltOperator.objects.filter(user=actor, belt=belt).exists():
        raise PermissionDenied("Not an operator of this belt")
    data = invitation_upload_check(file)
    job = InvitationImport(
        belt=belt, created_by=actor, original_name=(original_name or "invitations.csv").rsplit("/", 1)[-1][:200]
    )
    # A server-made name; the operator's file name is only shown, never used as a path.
    job.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(data), save=False)
    job.save()
    # With the broker down the job stays queued and the sweep queues it.
    enqueue_on_commit(invitation_import_run_task, job.pk)
    return job


def _claim(import_id: int) -> bool:
    """Mark a queued import running, committed at once so its page shows it. False when it is
    finished, gone, or held by another delivery (SKIP LOCKED: this one never waits for it)."""
    pending = (InvitationImport.Status.QUEUED, InvitationImport.Status.RUNNING)
    with transaction.atomic():
        free = list(
            InvitationImport.objects.select_for_update(skip_locked=True)
            .filter(pk=import_id, status__in=pending)
            .values_list("pk", flat=True)
        )
        if not free:
            return False
        InvitationImport.objects.filter(pk=import_id).update(
            status=InvitationImport.Status.RUNNING, started_at=timezone.now()
        )
    return True


def _fail(job: InvitationImport, key: str, params: dict[str, object] | None = None) -> None:
    job.status = InvitationImport.Status.FAILED
    job.failure = key
    job.failure_params = params or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure", "failure_params", "finished_at"])


def _import(job: InvitationImport) -> None:
    """Run the row rules on the stored file and store the report on `job` (inside the caller's transaction)."""
    if job.created_by is None:
        _fail(job, "not_operator")
        return
    try:
        with job.file.open("rb") as stored, transaction.atomic():
            report = onboarding.invitations_import_csv(
                belt=job.belt, actor=job.created_by, file=stored, base_url=settings.SITE_URL
            )
    except InvitationFileRefused as exc:
        _fail(job, exc.key, exc.params)
        return
    except PermissionDenied:
        _fail(job, "not_operator")
        return
    job.status = InvitationImport.Status.DONE
    job.row_count = report.rows
    job.created_count = report.created_count
    job.problem_count = report.problem_count
    job.problems = [
        {"line": p.line, "company": p.company, "email": p.email, "codes": list(p.codes), "params": p.params}
        for p in report.problems
    ]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "row_count", "created_count", "problem_count", "problems", "finished_at"])


def invitation_import_run(*, import_id: int) -> InvitationImport | None:
    """Run one invitation import; the import as it ended, or None when this delivery did nothing.

    Safe to run twice, at once or one after the other: a finished or failed import is left alone,
    and one held by another delivery too. The invitations, their outbox mails and the report
    commit together under the import's row lock (SKIP LOCKED: a second delivery while it runs
    leaves at once), so a crash invites nobody and the sweep runs it again from the start. An
    unexpected error fails the import with a message; a lost database is left to the retry.
    """
    if not _claim(import_id):
        logger.info("invitation import %s is finished, gone or being run by another delivery", import_id)
        return None
    try:
        with transaction.atomic():
            job = (
                InvitationImport.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("belt", "created_by")
                .filter(pk=import_id, status=InvitationImport.Status.RUNNING)
                .first()
            )
            if job is None:
                logger.info("invitation import %s is finished or being run by another delivery", import_id)
                return None
            _import(job)
    except OperationalError:
        raise  # the database is gone: the task retries, the sweep runs it again at the latest
    except Exception:
        logger.exception("invitation import %s stopped", import_id)
        InvitationImport.objects.filter(pk=import_id, status=InvitationImport.Status.RUNNING).update(
            status=InvitationImport.Status.FAILED, failure="unexpected", failure_params={}, finished_at=timezone.now()
        )
    job = InvitationImport.objects.filter(pk=import_id).first()
    if job is not None:
        logger.info(
            "invitation import %s %s: %s invited, %s rows refused", job.pk, job.status, job.created_count,
            job.problem_count,
        )  # fmt: skip
    return job


def invitation_import_ids_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Imports queued or running for longer than STALLED_AFTER: for the sweep, oldest first."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    return list(
        InvitationImport.objects.filter(
            status__in=(InvitationImport.Status.QUEUED, InvitationImport.Status.RUNNING), created_at__lt=cutoff
        )
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def invitation_import_problem_rows(job: InvitationImport) -> list[RowProblem]:
    """The refused rows of `job` as stored; each one's `reason` is made in the active language."""
    return [
        RowProblem(
            line=int(entry.get("line", 0)),
            company=str(entry.get("company", "")),
            email=str(entry.get("email", "")),
            codes=tuple(entry.get("codes", ())),
            params=dict(entry.get("params") or {}),
        )
        for entry in job.problems
    ]


def invitation_import_failure_message(job: InvitationImport) -> str:
    """Why `job` failed, in the active language ("" unless it failed)."""
    if job.status != InvitationImport.Status.FAILED:
        return ""
    return file_refusal_message(job.failure, job.failure_params)
