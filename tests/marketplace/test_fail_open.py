"""The kernel's two outage guards, against a real redis-server that the tests kill and freeze:
the fail-open cache (marketplace.cache) and the job queue (marketplace.jobs).

Both turn an outage into a default answer plus one warning per outage (not one per call), and
after the first failed call skip Redis for a few seconds, so a frozen Redis costs one socket
timeout, not one per request.
"""

import logging
import re
import time
from pathlib import Path

import pytest

from marketplace import cache as fail_open
from marketplace import jobs
from marketplace.cache import FailOpenRedisCache
from marketplace.health.tasks import worker_heartbeat_task


def _warnings(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


@pytest.fixture
def redis_cache(redis_server):
    return FailOpenRedisCache(redis_server.url, {})


def test_the_cache_works_as_django_s_redis_cache_while_redis_answers(redis_cache):
    redis_cache.set("a", {"n": 1})
    assert redis_cache.get("a") == {"n": 1}
    assert redis_cache.add("a", 2) is False
    redis_cache.set("counter", 1)
    assert redis_cache.incr("counter") == 2
    assert redis_cache.get_many(["a", "missing"]) == {"a": {"n": 1}}
    assert redis_cache.delete("a") is True
    redis_cache.ping()


@pytest.mark.parametrize("outage", ["killed", "frozen"])
def test_a_cache_outage_is_a_miss_with_one_warning_and_costs_at_most_one_timeout(
    redis_cache, redis_server, outage, caplog
):
    redis_cache.set("a", 1)
    redis_server.outage(outage)
    caplog.set_level(logging.INFO, logger="marketplace.cache")

    started = time.monotonic()
    answers = [redis_cache.get("a", "default") for _ in range(50)]
    redis_cache.set("b", 2)
    redis_cache.delete("a")
    seconds = time.monotonic() - started

    assert answers == ["default"] * 50
    assert redis_cache.add("c", 3) is False and redis_cache.get_many(["a"]) == {} and redis_cache.incr("n") == 1
    assert len(_warnings(caplog, "marketplace.cache")) == 1
    assert "unreachable" in _warnings(caplog, "marketplace.cache")[0]
    assert seconds < 1.5  # one socket timeout (0.5 s) at most, then the breaker answers at once
    with pytest.raises(Exception):  # noqa: B017 (readiness asks Redis itself: a ping does not fail open)
        redis_cache.ping()


def test_the_cache_tries_redis_again_after_the_breaker_and_says_it_answers_again(
    redis_cache, redis_server, monkeypatch, caplog
):
    monkeypatch.setattr(fail_open, "RETRY_AFTER", 0.0)
    caplog.set_level(logging.INFO, logger="marketplace.cache")
    redis_server.stop()
    assert redis_cache.get("a") is None
    redis_server.start()

    redis_cache.set("a", 1)

    assert redis_cache.get("a") == 1
    assert [m.split(" (")[0] for m in _warnings(caplog, "marketplace.cache")] == [
        f"Cache {redis_server.url} unreachable",
        f"Cache {redis_server.url} answers again",
    ]


@pytest.mark.parametrize("outage", ["killed", "frozen"])
def test_queueing_a_job_with_the_broker_down_logs_once_never_raises_and_costs_about_a_second(
    redis_broker, outage, caplog
):
    assert jobs.enqueue(worker_heartbeat_task) is True
    redis_broker.outage(outage)
    caplog.set_level(logging.INFO, logger="marketplace.jobs")

    started = time.monotonic()
    queued = [jobs.enqueue(worker_heartbeat_task) for _ in range(20)]
    seconds = time.monotonic() - started

    assert queued == [False] * 20
    assert len(_warnings(caplog, "marketplace.jobs")) == 1
    assert seconds < 3  # two publish attempts bounded by the socket timeouts, then the breaker


@pytest.mark.django_db
def test_a_job_queued_after_commit_with_the_broker_down_leaves_the_commit_alone(
    redis_broker, django_capture_on_commit_callbacks
):
    redis_broker.stop()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs.enqueue_on_commit(worker_heartbeat_task)
    assert len(callbacks) == 1  # ran, and raised nothing


def test_requests_queue_jobs_only_through_marketplace_jobs():
    """`.delay()` and `.apply_async()` raise when the broker is down: outside the job queue itself
    only tasks (run by the worker, e.g. sweeps) call them; services go through
    `enqueue_on_commit`, so a committed change never fails on the broker."""
    repo = Path(__file__).resolve().parents[2]
    calls = re.compile(r"\.(delay|apply_async)\(")
    offenders = [
        f"{path.relative_to(repo)}:{number}"
        for app in ("marketplace", "accounts", "belts", "suppliers", "catalog", "buyers", "orders")
        for path in (repo / app).rglob("*.py")
        if path.name != "tasks.py" and path.relative_to(repo).as_posix() != "marketplace/jobs.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if calls.search(line)
    ]
    assert offenders == []
