"""/healthz is liveness (the process answers; no database query: test_observability.py); /readyz
reports each dependency, the beat, each queue's live workers and each queue's delay, and answers 503
when a required one is down (a busy queue is reported, not required); /readyz/web is a web process's
own readiness for a load balancer. Here with the test settings' per-process cache and filesystem
broker; the Redis cases are in test_redis_outage.py, real workers on a subset of the queues and a
worker whose only process is busy in test_queue_workers.py, the replica's check on a real standby in
test_replica_lag.py."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.health.models import WorkerHeartbeat
from marketplace.health.services import worker_alive_record, worker_heartbeat_record
from marketplace.health.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db

QUEUES = ("verification", "imports", "mail", "figures", "celery")
WORKER_CHECKS = {f"worker:{queue}" for queue in QUEUES}
QUEUE_CHECKS = {f"queue:{queue}" for queue in QUEUES}


def _every_queue_beats() -> None:
    for queue in QUEUES:
        worker_heartbeat_task.apply(kwargs={"queue": queue})  # as a worker of each queue runs it


def test_healthz_answers_ok_from_the_process():
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ok_when_every_dependency_answers_and_every_queue_beat_recently(filesystem_broker):
    _every_queue_beats()
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "cache": "ok", "broker": "ok", "beat": "ok",
        **dict.fromkeys(WORKER_CHECKS, "ok"), **dict.fromkeys(QUEUE_CHECKS, "ok"),
    }  # fmt: skip
    assert all(isinstance(check["milliseconds"], int) for check in body["checks"].values())
    # No replica configured: every check is required but each queue's delay.
    assert {name for name, check in body["checks"].items() if not check["required"]} == QUEUE_CHECKS
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_naming_each_queue_when_no_worker_ever_beat(filesystem_broker, staff):
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    for name in WORKER_CHECKS | {"beat"}:
        assert body["checks"][name]["status"] == "down"
    assert "no worker has ever consumed queue mail" in body["checks"]["worker:mail"]["detail"]
    assert "no heartbeat job sent by the beat has ever run" in body["checks"]["beat"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_answers_503_naming_the_one_queue_whose_workers_are_silent(filesystem_broker, staff):
    """Workers of four queues beat; the `imports` queue's have stopped: that queue alone is down."""
    for queue in ("verification", "mail", "figures", "celery"):
        worker_heartbeat_record(worker=f"{queue}@host-a", queue=queue)
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 503
    down = {name for name, check in response.json()["checks"].items() if check["status"] == "down"}
    assert down == {"worker:imports"}
    assert response.json()["checks"]["queue:imports"]["status"] == "busy"  # no job ran there either
    assert response.json()["checks"]["worker:mail"]["detail"].endswith("by mail@host-a")  # which worker beat


def test_readyz_tells_others_what_is_down_but_not_why(filesystem_broker):
    """The reasons name hosts, ports and errors: only staff read them."""
    body = Client().get("/readyz").json()
    check = body["checks"]["worker:celery"]
    assert check == {"status": "down", "milliseconds": check["milliseconds"], "required": True}
    assert all("detail" not in check for check in body["checks"].values())


def test_readyz_answers_503_when_a_queue_s_last_heartbeat_is_too_old(filesystem_broker, settings):
    _every_queue_beats()
    WorkerHeartbeat.objects.filter(queue="figures").update(
        beat_at=timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_STALE_AFTER + 5)
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker:figures"]["status"] == "down"
    assert response.json()["checks"]["worker:mail"]["status"] == "ok"


def test_a_queue_whose_workers_are_alive_but_busy_is_reported_busy_and_the_site_stays_ready(
    filesystem_broker, settings, staff
):
    """The imports host's only process has run one long job for longer than the staleness limit: its
    main process still says it is alive, but the beat's heartbeat job waits. That is a reason to add
    workers, not to take the site out of service: 200, `queue:imports` "busy"."""
    _every_queue_beats()
    long_ago = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_STALE_AFTER + 60)
    WorkerHeartbeat.objects.filter(queue="imports").update(beat_at=long_ago, job_ran_at=long_ago)
    worker_alive_record(worker="imports@host-c", queues=["imports"])
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["worker:imports"]["status"] == "ok"
    assert checks["worker:imports"]["detail"].endswith("by imports@host-c")
    assert checks["queue:imports"] == {
        "status": "busy", "required": False, "milliseconds": checks["queue:imports"]["milliseconds"],
        "detail": checks["queue:imports"]["detail"],
    }  # fmt: skip
    assert "its workers are busy or jobs wait" in checks["queue:imports"]["detail"]
    assert {name for name, check in checks.items() if check["status"] != "ok"} == {"queue:imports"}


def test_a_worker_s_own_heartbeat_keeps_the_time_of_the_last_heartbeat_job():
    worker_heartbeat_record(worker="mail@host-b", queue="mail")
    ran_at = WorkerHeartbeat.objects.get().job_ran_at
    worker_alive_record(worker="mail@host-b", queues=["mail", "figures"])
    rows = {row.queue: row for row in WorkerHeartbeat.objects.all()}
    assert rows["mail"].job_ran_at == ran_at and rows["mail"].beat_at > ran_at
    assert rows["figures"].job_ran_at is None  # alive, but no heartbeat job has run there yet


def test_readyz_answers_503_when_the_beat_has_stopped_sending(filesystem_broker, settings):
    """Every worker is alive, but no heartbeat job has run on any queue for longer than the limit:
    the beat (which also sends the nightly jobs) is down."""
    _every_queue_beats()
    long_ago = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_STALE_AFTER + 5)
    WorkerHeartbeat.objects.update(job_ran_at=long_ago)
    response = Client().get("/readyz")
    assert response.status_code == 503
    statuses = {name: check["status"] for name, check in response.json()["checks"].items()}
    assert statuses["beat"] == "down"
    assert all(statuses[name] == "ok" for name in WORKER_CHECKS)


def test_readyz_web_is_a_web_process_s_own_readiness_without_the_workers(filesystem_broker):
    """No worker has ever beat (so /readyz is 503), yet this web process can serve: /readyz/web, a
    load balancer's probe, answers 200 with the database (required) and the cache (reported)."""
    assert Client().get("/readyz").status_code == 503
    response = Client().get("/readyz/web")
    assert response.status_code == 200, response.json()
    assert {name: (check["status"], check["required"]) for name, check in response.json()["checks"].items()} == {
        "database": ("ok", True),
        "cache": ("ok", False),
    }
    assert response["Cache-Control"] == "no-store"


def test_heartbeat_job_keeps_one_row_per_worker_and_queue():
    worker_heartbeat_task.apply(kwargs={"queue": "mail"})
    first = WorkerHeartbeat.objects.get()
    assert first.queue == "mail"
    worker_heartbeat_task.apply(kwargs={"queue": "mail"})
    again = WorkerHeartbeat.objects.get()
    assert again.pk == first.pk and again.beat_at >= first.beat_at
    worker_heartbeat_record(worker=first.worker, queue="figures")
    assert sorted(WorkerHeartbeat.objects.values_list("queue", flat=True)) == ["figures", "mail"]


def test_the_beat_sends_a_heartbeat_to_every_declared_queue_often_enough(settings):
    """One entry per queue, sent to that queue by name, every interval well within the staleness limit."""
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == worker_heartbeat_task.name]
    assert sorted(entry["options"]["queue"] for entry in entries) == sorted(QUEUES)
    for entry in entries:
        assert entry["kwargs"] == {"queue": entry["options"]["queue"]}
        assert entry["schedule"] * 3 < settings.HEALTH_WORKER_STALE_AFTER
    assert settings.HEALTH_WORKER_HEARTBEAT_SECONDS * 3 < settings.HEALTH_WORKER_STALE_AFTER


def test_readyz_answers_only_get():
    assert Client().post("/readyz").status_code == 405
    assert Client().post("/readyz/web").status_code == 405
