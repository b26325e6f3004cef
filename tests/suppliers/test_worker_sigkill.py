"""A worker killed with SIGKILL in the middle of 100 verification runs: every run is done exactly once.

A real `celery worker` process works through 100 queued runs; once some are done it is killed
without warning (the message it held is lost: the filesystem transport, like a crashed host,
gives it back to nobody). A second worker takes the rest of the queue, which leaves the run cut
short undone for good; the sweep queues it again and it resumes. Afterwards every run is done,
with one result per check and one "verified" event each: the runs are idempotent and the sweep
finds what the kill left behind.
"""

import datetime
import signal
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from suppliers.models import SupplierEvent, VerificationCheck, VerificationRun
from suppliers.services import verification_run_ids_stalled
from suppliers.tasks import verification_run_execute_task
from tests import factories as f
from tests.conftest import start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

N = 100


def _done() -> int:
    return VerificationRun.objects.filter(status=VerificationRun.Status.DONE).count()


def _wait(condition, process, log, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    pytest.fail(f"not reached within {seconds} s ({_done()} runs done):\n" + log.read_text()[-4000:])


def test_a_worker_killed_mid_run_leaves_every_run_done_exactly_once(filesystem_broker, settings, record_property):
    suppliers = [f.DraftApplicationFactory() for _ in range(10)]
    runs = [
        VerificationRun.objects.create(supplier=suppliers[i % 10], trigger=VerificationRun.Trigger.SUBMITTED)
        for i in range(N)
    ]
    for run in runs:
        verification_run_execute_task.delay(run.pk)

    first = start_worker(filesystem_broker, settings, "first.log")
    running = VerificationRun.objects.filter(status=VerificationRun.Status.RUNNING)
    try:
        _wait(lambda: _done() >= 20 and running.exists(), first, filesystem_broker / "first.log")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = _done()
    cut_short = list(running.values_list("pk", flat=True))  # the run the worker held when it died

    # A second worker takes what is still queued; the message the dead worker held is gone.
    queue = filesystem_broker / "celery" / "queue"
    second = start_worker(filesystem_broker, settings, "second.log")
    try:
        _wait(
            lambda: not any(queue.iterdir()) and _done() >= N - len(cut_short), second, filesystem_broker / "second.log"
        )
        _wait(lambda: not running.exclude(pk__in=cut_short).exists(), second, filesystem_broker / "second.log")
        time.sleep(1)  # the last message taken from the folder is being run
        stuck = set(VerificationRun.objects.exclude(status=VerificationRun.Status.DONE).values_list("pk", flat=True))
        assert set(cut_short) <= stuck, "the run cut short stays undone without the sweep"

        # What the beat's sweep does once the runs count as stalled (ten minutes on).
        stalled = verification_run_ids_stalled(now=timezone.now() + datetime.timedelta(hours=1))
        assert set(cut_short) <= set(stalled)
        for run_id in stalled:
            verification_run_execute_task.delay(run_id)
        _wait(lambda: _done() == N, second, filesystem_broker / "second.log")
    finally:
        second.terminate()
        second.wait(timeout=20)
    record_property(
        "figure",
        f"worker SIGKILL: killed after {killed_at} of {N} runs with run(s) {cut_short} cut short; the second "
        f"worker left {len(stuck)} undone; the sweep queued {len(stalled)} again; {_done()} of {N} done once",
    )

    assert killed_at < N, "the worker finished before it was killed: the test proved nothing"
    assert _done() == N
    checks_per_run = dict(VerificationCheck.objects.values_list("run").annotate(n=Count("id")).values_list("run", "n"))
    names_per_supplier: dict[int, set[frozenset[str]]] = {}
    for run in VerificationRun.objects.prefetch_related("checks"):
        names = [c.name for c in run.checks.all()]
        assert len(names) == len(set(names)) == checks_per_run[run.pk], f"run {run.pk}: a check recorded twice"
        names_per_supplier.setdefault(run.supplier_id, set()).add(frozenset(names))
    # The same supplier's runs ran the same checks: none skipped by the kill.
    assert all(len(sets) == 1 for sets in names_per_supplier.values())
    verified = SupplierEvent.objects.filter(kind=SupplierEvent.Kind.VERIFIED)
    per_run = {}
    for data in verified.values_list("data", flat=True):
        per_run[data["run"]] = per_run.get(data["run"], 0) + 1
    assert per_run == {run.pk: 1 for run in runs}, "a run closed twice or not at all"
