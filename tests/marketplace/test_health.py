"""/healthz is liveness (the process answers; no database query: test_observability.py); /readyz
reports each dependency and answers 503 when one is down. Here with the test settings' per-process
cache and filesystem broker; the Redis cases are in test_redis_outage.py."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.health.models import WorkerHeartbeat
from marketplace.health.tasks import worker_heartbeat_task

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_from_the_process():
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ok_when_every_dependency_answers_and_a_worker_beat_recently(filesystem_broker):
    worker_heartbeat_task.apply()  # as a worker runs it when the beat queues it
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "cache": "ok", "broker": "ok", "worker": "ok",
    }  # fmt: skip
    assert all(isinstance(check["milliseconds"], int) for check in body["checks"].values())
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_naming_the_worker_when_no_worker_ever_beat(filesystem_broker, staff):
    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"]["status"] == "down"
    assert "no worker" in body["checks"]["worker"]["detail"]  # why, for staff
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_tells_others_what_is_down_but_not_why(filesystem_broker):
    """The reasons name hosts, ports and errors: only staff read them."""
    body = Client().get("/readyz").json()
    assert body["checks"]["worker"] == {"status": "down", "milliseconds": body["checks"]["worker"]["milliseconds"]}
    assert all("detail" not in check for check in body["checks"].values())


def test_readyz_answers_503_when_the_last_heartbeat_is_too_old(filesystem_broker, settings):
    WorkerHeartbeat.objects.create(
        worker="celery@gone", beat_at=timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_STALE_AFTER + 5)
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "down"


def test_heartbeat_job_keeps_one_row_per_worker():
    worker_heartbeat_task.apply()
    first = WorkerHeartbeat.objects.get()
    worker_heartbeat_task.apply()
    again = WorkerHeartbeat.objects.get()
    assert again.pk == first.pk and again.beat_at >= first.beat_at


def test_the_beat_queues_the_heartbeat_often_enough_for_the_staleness_limit(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == worker_heartbeat_task.name
    assert entry["schedule"] * 3 < settings.HEALTH_WORKER_STALE_AFTER


def test_readyz_answers_only_get():
    assert Client().post("/readyz").status_code == 405
