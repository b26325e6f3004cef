"""/healthz is liveness (the process answers; no database query: test_observability.py); /readyz
reports each dependency, each queue's worker heartbeat, and answers 503 when one is down. Here with
the test settings' per-process cache and filesystem broker; the Redis cases are in
test_redis_outage.py, real workers on a subset of the queues in test_queue_workers.py, the replica's
check on a real standby in test_replica_lag.py."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.health.models import WorkerHeartbeat
from marketplace.health.services import worker_heartbeat_record
from marketplace.health.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db

QUEUES = ("verification", "imports", "mail", "figures", "celery")
WORKER_CHECKS = {f"worker:{queue}" for queue in QUEUES}


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
        "database": "ok", "cache": "ok", "broker": "ok", **dict.fromkeys(WORKER_CHECKS, "ok"),
    }  # fmt: skip
    assert all(isinstance(check["milliseconds"], int) for check in body["checks"].values())
    assert all(check["required"] is True for check in body["checks"].values())  # no replica configured
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_naming_each_queue_when_no_worker_ever_beat(filesystem_broker, staff):
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    for name in WORKER_CHECKS:
        assert body["checks"][name]["status"] == "down"
    assert "no worker has ever run the heartbeat job of queue mail" in body["checks"]["worker:mail"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_answers_503_naming_the_one_queue_whose_workers_are_silent(filesystem_broker, staff):
    """Workers of four queues beat; the `imports` queue's have stopped: that queue alone is down."""
    for queue in ("verification", "mail", "figures", "celery"):
        worker_heartbeat_record(worker=f"{queue}@host-a", queue=queue)
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 503
    down = {name for name, check in response.json()["checks"].items() if check["status"] != "ok"}
    assert down == {"worker:imports"}
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


def test_readyz_answers_only_get():
    assert Client().post("/readyz").status_code == 405
