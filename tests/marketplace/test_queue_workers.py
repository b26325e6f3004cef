"""Real `celery worker` processes and the queues: one worker with no `-Q` runs every kind of job (the
tests' worker, `make run`), and two worker hosts sharing a Redis broker, each with its own `-Q`
and name, each run only the jobs of their queues (production's layout: docs/operations.md).

The jobs are the real sweeps, cheap on an empty database; the worker heartbeat job records the name
of the worker that ran it and the queue it came from, and each worker's log names the jobs it
received and finished. /readyz names the queue no live worker consumes.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

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


def _send_the_beat_s_heartbeats() -> None:
    """Send the heartbeat entries of the beat's schedule as the beat does: `apply_async` with each
    entry's kwargs and options (the queue it names)."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"] == worker_heartbeat_task.name:
            worker_heartbeat_task.apply_async(kwargs=entry["kwargs"], **entry["options"])


def _beating_queues() -> set[str]:
    return set(WorkerHeartbeat.objects.values_list("queue", flat=True))


def _wait_for_queues(queues: set[str], started: list[tuple[subprocess.Popen, Path]], seconds=60) -> None:
    """Until each of `queues` has a heartbeat recorded (a worker that exits fails the test)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if queues <= _beating_queues():
            return
        for process, log in started:
            assert process.poll() is None, log.read_text()
        time.sleep(0.2)
    logs = "\n".join(log.read_text()[-3000:] for _process, log in started)
    pytest.fail(f"heartbeats of {queues - _beating_queues()} not recorded:\n{logs}")


def test_readyz_names_the_queue_no_live_worker_consumes(redis_broker, tmp_path, staff):
    """A host consumes every queue but the default one: each queue it consumes records its
    heartbeat, and /readyz answers 503 naming `worker:celery` alone. A second host on the default
    queue makes it ready."""
    staff_client = Client()
    staff_client.force_login(staff)
    started = [_start_host(redis_broker, tmp_path, "work@host-a", "verification,imports,mail,figures")]
    try:
        _send_the_beat_s_heartbeats()
        _wait_for_queues({"verification", "imports", "mail", "figures"}, started)
        assert set(WorkerHeartbeat.objects.values_list("worker", flat=True)) == {"work@host-a"}

        unready = staff_client.get("/readyz")
        assert unready.status_code == 503
        checks = unready.json()["checks"]
        assert {name for name, check in checks.items() if check["status"] != "ok"} == {"worker:celery"}
        assert "no worker has ever run the heartbeat job of queue celery" in checks["worker:celery"]["detail"]
        assert checks["worker:imports"]["detail"].endswith("by work@host-a")

        # The default queue's heartbeat waits in Redis until a worker consumes it.
        started.append(_start_host(redis_broker, tmp_path, "default@host-b", "celery"))
        _wait_for_queues({"celery"}, started)
        assert WorkerHeartbeat.objects.get(queue="celery").worker == "default@host-b"
        ready = staff_client.get("/readyz")
        assert ready.status_code == 200, ready.json()
    finally:
        for process, _log in started:
            stop_process(process)
