"""Observability across processes, with real servers: a `celery worker` process serves its jobs'
metrics (count, duration, failures) and logs JSON lines that carry the id of the request that
enqueued the job; gunicorn with three workers adds its processes' counts up in one scrape."""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from marketplace import celery_app
from marketplace.mail.models import OutboundMail
from marketplace.observability.requestid import HEADER
from tests import factories as f
from tests.conftest import start_worker
from tests.outage import app_env, free_port, port_lock, stop_process, wait_for_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TOKEN = "worker-metrics-token-of-the-tests"
MAIL_TASK = "marketplace.mail.tasks.mail_send_task"


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples `name` whose labels include `labels` (0 when there is none)."""
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


def get(url: str, token: str | None = TOKEN, timeout: float = 30) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, TimeoutError):  # not listening yet, or still starting
        return 0, ""


@pytest.fixture
def metrics_port():
    """A port for the worker's metrics (free now; the worker binds it a few seconds later)."""
    with port_lock():
        return free_port(15470, 15479)


@pytest.fixture
def worker_env(tmp_path, metrics_port):
    """The worker logs JSON, keeps its metrics in a multiprocess folder and serves them."""
    return {
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "worker-metrics"),
        "METRICS_WORKER_LISTEN": f"127.0.0.1:{metrics_port}",
        "METRICS_TOKEN": TOKEN,
    }


def _wait(condition, process, log: Path, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.3)
    pytest.fail(f"{what} within {seconds} s:\n" + log.read_text()[-3000:])


def _json_lines(log: Path) -> list[dict]:
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_a_requests_id_is_on_the_log_lines_of_the_job_it_enqueued_and_the_worker_counts_the_job(
    worker, settings, metrics_port
):
    settings.MAIL_SEND_EAGER = False  # as in production: the request queues the send
    process, log = worker
    user = f.UserFactory(email="forgetful@example.com")
    url = f"http://127.0.0.1:{metrics_port}/metrics"

    response = Client().post("/accounts/password-reset/", {"email": user.email}, headers={HEADER: "reset-req-0042"})
    assert response.status_code == 302 and response[HEADER] == "reset-req-0042"
    mail = OutboundMail.objects.get(kind="password_reset")

    _wait(lambda: OutboundMail.objects.filter(pk=mail.pk, sent_at__isnull=False).exists(), process, log, "no mail sent")
    _wait(lambda: any("succeeded" in line.get("message", "") for line in _json_lines(log)), process, log, "no line")

    job_lines = [line for line in _json_lines(log) if MAIL_TASK in line.get("message", "")]
    done = next(line for line in job_lines if "succeeded" in line["message"])
    assert done["request_id"] == "reset-req-0042", job_lines
    assert done["level"] == "INFO" and done["logger"].startswith("celery")

    _wait(lambda: get(url)[0] == 200, process, log, "the worker's metrics were not served")
    text = get(url)[1]
    assert sample(text, "celery_task_runs_total", task=MAIL_TASK, state="success") == 1
    assert sample(text, "celery_task_duration_seconds_count", task=MAIL_TASK) == 1
    assert sample(text, "celery_task_duration_seconds_sum", task=MAIL_TASK) > 0
    assert sample(text, "django_db_query_duration_seconds_count", alias="default") > 0  # the job's queries
    # The worker reads no replica: it exports no replica lag (an unset gauge would read as "0 s behind").
    assert not re.search(r"^marketplace_replica_lag_seconds[ {]", text, re.MULTILINE)

    assert get(url, token=None)[0] == 401
    assert get(url, token="not-the-token-of-the-tests")[0] == 401


def test_in_text_mode_the_worker_s_lines_name_the_request_that_enqueued_the_job(filesystem_broker, settings):
    """Without LOG_FORMAT=json the worker keeps Celery's own line format, with the request id in it:
    the job's "succeeded" line names the request that queued it; the worker's own lines say "-"."""
    settings.MAIL_SEND_EAGER = False
    process = start_worker(filesystem_broker, settings, extra_env={"LOG_FORMAT": "text", "LOG_LEVEL": "INFO"})
    log = filesystem_broker / "worker.log"
    try:
        user = f.UserFactory(email="text-mode@example.com")
        Client().post("/accounts/password-reset/", {"email": user.email}, headers={HEADER: "reset-req-0043"})
        done = re.compile(r"^\[.*\] \[reset-req-0043\] .*mail_send_task\[.*\] succeeded", re.MULTILINE)
        _wait(lambda: done.search(log.read_text()), process, log, "no succeeded line with the request id")
        assert re.search(r"^\[.*\] \[-\] .*ready\.$", log.read_text(), re.MULTILINE)  # no request: "-"
    finally:
        stop_process(process)


def test_a_failed_job_counts_as_a_failure_with_its_exception(worker, metrics_port):
    process, log = worker
    url = f"http://127.0.0.1:{metrics_port}/metrics"
    # A message the task cannot take (three arguments for one): it fails in the worker.
    celery_app.send_task(MAIL_TASK, args=[1, 2, 3])

    def failed() -> bool:
        status, text = get(url)
        return status == 200 and sample(text, "celery_task_failures_total", task=MAIL_TASK) >= 1

    _wait(failed, process, log, "no failure counted")
    text = get(url)[1]
    assert sample(text, "celery_task_failures_total", task=MAIL_TASK, exception="TypeError") == 1
    assert sample(text, "celery_task_runs_total", task=MAIL_TASK, state="failure") == 1
    assert sample(text, "celery_task_runs_total", task=MAIL_TASK, state="success") == 0
    failure = next(line for line in _json_lines(log) if "raised unexpected" in line.get("message", ""))
    assert failure["level"] == "ERROR" and failure["request_id"] == "-"  # no request queued it


def test_gunicorn_with_three_workers_gives_the_total_of_its_processes(redis_server, tmp_path):
    """Thirty requests spread over three gunicorn workers; whichever worker answers the scrape, it
    reads all three processes' counts from the multiprocess folder. Files left there by an earlier
    run are removed when gunicorn starts."""
    folder = tmp_path / "web-metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left over by a run before")
    log = tmp_path / "gunicorn.log"
    env = {
        **app_env(redis_server, tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "METRICS_TOKEN": TOKEN,
    }
    with port_lock(), open(log, "wb") as out:
        port = free_port(15480, 15489)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "3", "--graceful-timeout", "2", "--no-control-socket"],
            cwd=Path(django_settings.BASE_DIR), stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        wait_for_port(port, up=True, seconds=30)
    try:
        base = f"http://127.0.0.1:{port}"
        assert not (folder / "counter_999999.db").exists()
        # Until the workers have loaded the app, requests wait in the queue: warm them up first.
        deadline = time.monotonic() + 90
        while get(base + "/metrics", timeout=5)[0] != 200:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.5)
        text = get(base + "/metrics")[1]
        before = sample(text, "django_http_responses_total", view="healthz", method="GET", status="200")

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: get(base + "/healthz", token=None)[0], range(30)))
        assert statuses == [200] * 30, log.read_text()[-3000:]

        for _ in range(3):  # any worker may answer: each gives the same total
            status, text = get(base + "/metrics")
            assert status == 200, log.read_text()[-3000:]
            assert sample(text, "django_http_responses_total", view="healthz", method="GET", status="200") == (
                before + 30
            )
            assert sample(text, "django_http_request_duration_seconds_count", view="healthz", method="GET") == (
                before + 30
            )
        assert get(base + "/metrics", token=None)[0] == 401
    finally:
        stop_process(process)
