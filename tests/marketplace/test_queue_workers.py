"""Real `celery worker` processes and the queues: one worker with no `-Q` runs every kind of job (the
tests' worker, `make run`), and two worker hosts sharing a Redis broker, each with its own `-Q`
and name, each run only the jobs of their queues (production's layout: docs/operations.md).

The jobs are the real sweeps, cheap on an empty database; the worker heartbeat job records the name
of the worker that ran it and the queue it came from, and each worker's log names the jobs it
received and finished. /readyz names the queue no live worker consumes, and reports a queue whose
only worker process is busy with a long job as "busy" while the worker's main process keeps saying it
is alive.
"""

import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.test import Client

from catalog.tasks import listing_import_sweep_task
from marketplace.filecheck.tasks import file_check_sweep_task
from marketplace.health.models import WorkerHeartbeat
from marketplace.health.services import worker_heartbeat_record
from marketplace.health.tasks import worker_heartbeat_task
from marketplace.idempotency.tasks import idempotent_request_purge_task
from marketplace.mail.tasks import mail_sweep_task
from tests.outage import app_env, database_url, stop_process

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
    assert WorkerHeartbeat.objects.filter(worker__startswith="celery@", job_ran_at__isnull=False).exists()
    # Its main process (a timer thread on this transport, which has no event loop) says it is alive
    # for every queue it consumes: all five.
    alive = WorkerHeartbeat.objects.filter(worker__startswith="celery@").values_list("queue", flat=True)
    assert set(alive) == set(JOBS)


def _start_host(
    redis_server, folder: Path, name: str, queues: str, *, pool=("--pool", "solo"), extra_env=None
) -> tuple[subprocess.Popen, Path]:
    """A worker as a host of its own runs it: on the shared Redis, named `name`, consuming `queues`."""
    env = {**app_env(redis_server, folder), "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", "REDIS_URL": ""}
    log = folder / f"{name.split('@')[0]}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", *pool, "-l", "info",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "-Q", queues, "-n", name],
            cwd=Path(settings.BASE_DIR), env={**env, **(extra_env or {})}, stdout=out, stderr=subprocess.STDOUT,
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
        ran = WorkerHeartbeat.objects.filter(job_ran_at__isnull=False)
        assert list(ran.values_list("worker", flat=True)) == ["mail@host-b"]
        # Each host's main process says it is alive, queue by queue, for exactly its queues.
        alive = set(WorkerHeartbeat.objects.values_list("worker", "queue"))
        assert alive == {(name, queue) for name, queues in hosts.items() for queue in queues.split(",")}
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
    """The queues on which a worker has run the beat's heartbeat job."""
    return set(WorkerHeartbeat.objects.filter(job_ran_at__isnull=False).values_list("queue", flat=True))


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
        assert {name for name, check in checks.items() if check["status"] == "down"} == {"worker:celery"}
        assert "no worker has ever consumed queue celery" in checks["worker:celery"]["detail"]
        assert checks["queue:celery"]["status"] == "busy"
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


def test_a_worker_whose_only_process_is_busy_stays_alive_and_its_queue_is_reported_busy(
    redis_broker, tmp_path, staff, settings
):
    """An imports host with one pool process (prefork, `-c 1`) runs a job that takes longer than the
    staleness limit (the import sweep, held on a table lock the test takes). The host's main process
    goes on saying it is alive, so /readyz stays 200 with `worker:imports` ok; the beat's heartbeat
    job waits behind the long one, so `queue:imports` is "busy". Once the job ends, the heartbeat job
    runs and the queue is ok again."""
    settings.HEALTH_WORKER_STALE_AFTER = 4
    short = {"HEALTH_WORKER_HEARTBEAT_SECONDS": "1", "HEALTH_WORKER_STALE_AFTER": "4"}
    staff_client = Client()
    staff_client.force_login(staff)
    other_queues = ("verification", "mail", "figures", "celery")

    def readiness():
        for queue in other_queues:  # the other queues' workers, as in production, beat elsewhere
            worker_heartbeat_record(worker=f"{queue}@host-a", queue=queue)
        response = staff_client.get("/readyz")
        return response.status_code, response.json()["checks"]

    started = [_start_host(redis_broker, tmp_path, "imports@host-c", "imports", pool=("-c", "1"), extra_env=short)]
    locker = psycopg2.connect(database_url())
    try:
        worker_heartbeat_task.apply_async(kwargs={"queue": "imports"}, queue="imports")
        _wait_for_queues({"imports"}, started)

        with locker.cursor() as cursor:  # the sweep's SELECT waits on this until the test commits
            cursor.execute("LOCK TABLE catalog_listingimport IN ACCESS EXCLUSIVE MODE")
        long_job = listing_import_sweep_task.delay()
        worker_heartbeat_task.apply_async(kwargs={"queue": "imports"}, queue="imports")  # behind it
        time.sleep(settings.HEALTH_WORKER_STALE_AFTER + 2)

        status, checks = readiness()
        assert status == 200, checks
        assert checks["worker:imports"]["status"] == "ok"
        assert checks["worker:imports"]["detail"].endswith("by imports@host-c")
        assert checks["queue:imports"]["status"] == "busy", checks["queue:imports"]
        assert f"[{long_job.id}] succeeded" not in started[0][1].read_text()  # still held

        locker.commit()  # the long job ends; the heartbeat job behind it runs
        deadline = time.monotonic() + 30
        while readiness()[1]["queue:imports"]["status"] != "ok":
            assert time.monotonic() < deadline, started[0][1].read_text()[-3000:]
            time.sleep(0.2)
        status, checks = readiness()
        assert status == 200 and {name for name, check in checks.items() if check["status"] != "ok"} == set()
    finally:
        locker.close()
        for process, _log in started:
            stop_process(process)
