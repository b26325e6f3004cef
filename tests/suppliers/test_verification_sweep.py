"""The verification run sweep queues again the runs whose job was lost (the broker was down when the
run was committed, or the worker died), and leaves alone runs that are done or still in time."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from suppliers.models import VerificationRun
from suppliers.tasks import verification_run_sweep_task

pytestmark = pytest.mark.django_db


def _queued_run_ids(broker_folder) -> list[int]:
    """Run ids of the verification jobs waiting in the filesystem broker's queue."""
    ids = []
    for path in sorted((broker_folder / "celery" / "queue").iterdir()):
        message = json.loads(path.read_text())
        assert message["headers"]["task"] == "suppliers.tasks.verification_run_execute_task"
        ids.append(message["headers"]["argsrepr"])
    return [int(r.strip("(),")) for r in ids]


def _run(supplier, *, status, queued_ago, started_ago=None) -> VerificationRun:
    run = VerificationRun.objects.create(supplier=supplier, trigger=VerificationRun.Trigger.SUBMITTED)
    now = timezone.now()
    VerificationRun.objects.filter(pk=run.pk).update(
        status=status,
        created_at=now - queued_ago,
        started_at=None if started_ago is None else now - started_ago,
    )
    return run


def test_sweep_queues_runs_whose_job_was_lost_and_only_those(filesystem_broker, supplier):
    lost_message = _run(supplier, status="pending", queued_ago=timedelta(minutes=11))
    died_worker = _run(supplier, status="running", queued_ago=timedelta(hours=2), started_ago=timedelta(minutes=31))
    _run(supplier, status="pending", queued_ago=timedelta(minutes=2))  # its job may still come
    _run(supplier, status="running", queued_ago=timedelta(hours=2), started_ago=timedelta(minutes=5))  # retrying
    _run(supplier, status="done", queued_ago=timedelta(days=1), started_ago=timedelta(days=1))

    assert verification_run_sweep_task.apply().get() == 2  # what the beat runs every ten minutes

    assert sorted(_queued_run_ids(filesystem_broker)) == sorted([lost_message.pk, died_worker.pk])
