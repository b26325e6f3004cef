"""Real `celery worker` processes and the queues: one worker with no `-Q` runs every kind of job (the
tests' worker, `make run`), and two worker hosts sharing a Redis broker, each with its own `-Q`
and name, each run only the jobs of their queues (production's layout: docs/operations.md).

The jobs are the real sweeps, cheap on an empty database; the worker heartbeat job records the name
of the worker that ran it, and each worker's log names the jobs it received and finished.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from catalog.tasks import listing_import_sweep_task
from marketplace.filecheck.tasks import file_check_sweep_task
from marketplace.health.models import WorkerHeartbeat
from marketplace.health.tasks import worker_heartbeat_task
from marketplace.idempotency.tasks import idempotent_request_purge_task
from marketplace.mail.tasks import mail_sweep_task
from tests.outage import app_env, stop_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# One job of each queue.
JOBS = {
    "verification": file_check_sweep_task,
    "imports": listing_import_sweep_task,
    "mail": mail_sweep_task,
    "figures": idempotent_request_purge_task,
    "celery": worker_heartbeat_task,
}


def _send_one_job_of_each_queue() -> dict[str, str]:
    """Queue one job of each queue; the message id of each, by queue."""
    return {queue: task.delay().id for queue, task in JOBS.items()}


def _wait_until_done(ids: dict[str, str], logs: list[Path], processes: list[subprocess.Popen], seconds=90) -> None:
    """Until every job's "succeeded" line is in one of the logs (a worker that exits fails the test)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = "".join(log.read_text() for log in logs if log.exists())
        if all(f"[{job_id}] succeeded" in text for job_id in ids.values()):
            return
        for process, log in zip(processes, logs, strict=True):
            assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    pytest.fail("jobs not done in time:\n" + "\n".join(log.read_text()[-3000:] for log in logs))


def test_a_worker_without_queues_named_runs_a_job_of_every_queue(worker):
    """The tests' worker, started as `make run` starts its own, consumes all five queues, here on
    kombu's filesystem transport (message files named by queue in one folder)."""
    process, log = worker
    ids = _send_one_job_of_each_queue()
    _wait_until_done(ids, [log], [process])
    assert WorkerHeartbeat.objects.filter(worker__startswith="celery@").exists()


def _start_host(redis_server, folder: Path, name: str, queues: str) -> tuple[subprocess.Popen, Path]:
    """A worker as a host of its own runs it: on the shared Redis, named `name`, consuming `queues`."""
    env = {**app_env(redis_server, folder), "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "REDIS_URL": ""}
    log = folder / f"{name.split('@')[0]}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo", "-l", "info",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "-Q", queues, "-n", name],
            cwd=Path(settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return process, log


def test_two_worker_hosts_each_run_only_the_jobs_of_their_queues(redis_broker, tmp_path):
    hosts = {
        "verification@host-a": "verification,imports",
        "mail@host-b": "mail,figures,celery",
    }
    ids = _send_one_job_of_each_queue()  # waiting in Redis, one list per queue, until a host takes them
    started = {name: _start_host(redis_broker, tmp_path, name, queues) for name, queues in hosts.items()}
    try:
        processes = [process for process, _log in started.values()]
        logs = [log for _process, log in started.values()]
        _wait_until_done(ids, logs, processes)
        for name, queues in hosts.items():
            text = started[name][1].read_text()
            for queue, job_id in ids.items():
                ran_here = f"[{job_id}] succeeded" in text
                assert ran_here == (queue in queues.split(",")), (name, queue)
        # The heartbeat job (default queue) recorded the host that ran it.
        assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["mail@host-b"]
    finally:
        for process, _log in started.values():
            stop_process(process)
