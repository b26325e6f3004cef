"""The worker queues (marketplace/settings/queues.py): every task routed, by kind, to a declared queue.

Celery sends a task no route names to the default queue without a word; these tests make a new
task without a route, a route to a queue nobody declared, or a beat entry that bypasses the routes
fail here instead. Real workers consuming the queues: tests/marketplace/test_queue_workers.py.
"""

import pytest
from celery.exceptions import QueueNotFound
from django.conf import settings

from marketplace.celery import app
from marketplace.devstack import process_commands

QUEUES = {"verification", "imports", "mail", "figures", "celery"}


def _our_tasks() -> set[str]:
    """Every task a worker registers at start (autodiscovery), less Celery's own (chords, maps …)."""
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def _queue_of(task_name: str) -> str:
    """The queue Celery's router sends `task_name` to (what `.delay()` and the beat both use)."""
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_declared_queues_are_the_four_kinds_and_the_default():
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} == QUEUES
    assert app.conf.task_default_queue == "celery"
    # What a worker without `-Q` consumes: every declared queue.
    assert set(app.amqp.queues) == QUEUES


def test_every_registered_task_has_an_explicit_route_to_a_declared_queue():
    """A new task must be given a queue in CELERY_TASK_ROUTES; it may not fall to the default unseen."""
    tasks = _our_tasks()
    assert len(tasks) >= 27  # autodiscovery found the apps' tasks
    assert sorted(tasks - set(settings.CELERY_TASK_ROUTES)) == []
    assert sorted(set(settings.CELERY_TASK_ROUTES) - tasks) == [], "a route names no registered task"
    assert {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} == QUEUES
    assert {_queue_of(name) for name in tasks} == QUEUES


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("marketplace.filecheck.tasks.file_check_task", "verification"),
        ("catalog.tasks.listing_image_thumbnail_task", "verification"),
        ("suppliers.tasks.verification_run_execute_task", "verification"),
        ("suppliers.tasks.certifications_expiry_sweep_task", "verification"),
        ("suppliers.tasks.badges_audit_task", "verification"),
        ("catalog.tasks.listing_import_run_task", "imports"),
        ("suppliers.tasks.invitation_import_run_task", "imports"),
        ("marketplace.mail.tasks.mail_send_task", "mail"),
        ("orders.tasks.webhook_deliver_task", "mail"),
        ("analytics.tasks.analytics_recompute_task", "figures"),
        ("catalog.tasks.belt_figures_count_task", "figures"),
        ("marketplace.idempotency.tasks.idempotent_request_purge_task", "figures"),
        ("orders.tasks.protection_release_due_task", "celery"),
        ("marketplace.health.tasks.worker_heartbeat_task", "celery"),
    ],
)
def test_each_kind_of_job_goes_to_its_queue(task, queue):
    assert _queue_of(task) == queue


def test_every_periodic_job_reaches_a_declared_queue_through_the_routes():
    """The beat sends through the same router: an entry may not name its own queue or exchange,
    but for the heartbeats, one sent to each declared queue."""
    heartbeat = "marketplace.health.tasks.worker_heartbeat_task"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        options = entry.get("options", {})
        assert entry["task"] in settings.CELERY_TASK_ROUTES, name
        if entry["task"] == heartbeat:
            assert set(options) == {"queue"}, name
            continue
        assert not {"queue", "exchange", "routing_key"} & set(options), name
        assert _queue_of(entry["task"]) in QUEUES


def test_the_beat_sends_a_heartbeat_to_every_declared_queue_past_its_route():
    """The queue an entry names beats the heartbeat's route (the default queue): each queue gets
    one, so /readyz proves a worker consumes each."""
    heartbeat = "marketplace.health.tasks.worker_heartbeat_task"
    sent_to = [
        app.amqp.router.route(dict(entry["options"]), heartbeat)["queue"].name
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == heartbeat
    ]
    assert sorted(sent_to) == sorted(QUEUES)


def test_a_misspelled_queue_is_an_error_not_a_queue_nobody_consumes():
    with pytest.raises(QueueNotFound):
        app.amqp.router.route({"queue": "verifcation"}, "marketplace.filecheck.tasks.file_check_task")
    with pytest.raises(KeyError):  # `celery worker -Q verifcation` refuses to start
        app.amqp.queues.select(["verifcation"])


def test_make_run_starts_one_worker_for_every_queue():
    commands = process_commands("127.0.0.1", 8000)
    workers = [command for command in commands.values() if "worker" in command]
    assert len(workers) == 1
    assert not {"-Q", "--queues", "-X", "--exclude-queues"} & set(workers[0])
