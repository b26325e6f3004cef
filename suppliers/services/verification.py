"""Verification runs: queued after commit, executed by the worker, safe to run twice."""

import datetime
import logging
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from marketplace.filecheck.models import FileCheck
from marketplace.jobs import enqueue_on_commit

from ..models import Supplier, SupplierDocument, SupplierEvent, VerificationCheck, VerificationRun
from ..registry import RegistryUnavailable

logger = logging.getLogger(__name__)


def verification_run_enqueue(*, supplier: Supplier, trigger: str) -> VerificationRun:
    """Create a pending run and queue its job once the transaction commits."""
    from ..tasks import verification_run_execute_task

    run = VerificationRun.objects.create(supplier=supplier, trigger=trigger)
    enqueue_on_commit(verification_run_execute_task, run.pk)  # the broker down: the run sweep queues it
    return run


# A run is stalled when its job has not started this long after it was queued (the message was never
# sent or was lost), or has not finished this long after it started (the worker died; a registry
# outage retries for about four minutes, well inside it).
STALLED_PENDING_AFTER = datetime.timedelta(minutes=10)
STALLED_RUNNING_AFTER = datetime.timedelta(minutes=30)


def verification_run_ids_stalled(*, now: datetime.datetime | None = None, limit: int = 200) -> list[int]:
    """Runs whose job was lost (broker down at commit, message or worker lost): for the sweep job."""
    now = now or timezone.now()
    pending = Q(status=VerificationRun.Status.PENDING, created_at__lt=now - STALLED_PENDING_AFTER)
    running = Q(status=VerificationRun.Status.RUNNING, started_at__lt=now - STALLED_RUNNING_AFTER)
    return list(VerificationRun.objects.filter(pending | running).order_by("id").values_list("id", flat=True)[:limit])


def verification_run_execute(*, run_id: int, retry_unavailable: bool = False) -> VerificationRun | None:
    """Run every check of one run that has no result yet, then close the run once.

    Safe to deliver twice or to resume after a worker died half way: checks already recorded are
    skipped (and a unique constraint refuses a second row), and only the first to close the run
    writes the audit event. A check that raises is recorded as "needs a look", never lost; a check
    that does not apply (returns None) records nothing. When the business registry is down and
    `retry_unavailable` is set, its check is left unrecorded, the other checks run, the run stays
    open and RegistryUnavailable is raised for the job to try again later; otherwise the outage is
    recorded as "needs a look".
    """
    from ..verification import CHECKS

    run = VerificationRun.objects.filter(pk=run_id).select_related("supplier", "supplier__belt").first()
    if run is None or run.status == VerificationRun.Status.DONE:
        return run
    if (
        run.status == VerificationRun.Status.PENDING
        and SupplierDocument.objects.filter(supplier_id=run.supplier_id, file_check=FileCheck.PENDING).exists()
    ):
        # Checks read documents: the run waits until none is being checked. The last check queues
        # it again (`documents_checked_follow_up`), and the run sweep if that message is lost.
        logger.info("verification run %s waits for the supplier's documents to be checked", run.pk)
        return run
    VerificationRun.objects.filter(pk=run.pk, status=VerificationRun.Status.PENDING).update(
        status=VerificationRun.Status.RUNNING, started_at=timezone.now()
    )
    supplier = (
        Supplier.objects.select_related("belt")
        .prefetch_related(Prefetch("documents", SupplierDocument.objects.filter(file_check=FileCheck.CLEAN)), "sites")
        .get(pk=run.supplier_id)
    )
    done = set(run.checks.values_list("name", flat=True))
    postponed: RegistryUnavailable | None = None
    for name, check in CHECKS:
        if name in done:
            continue
        started = timezone.now()
        try:
            result = check(supplier)
        except RegistryUnavailable as exc:
            logger.warning("verification check %s on run %s: registry unavailable: %s", name, run.pk, exc)
            if retry_unavailable:
                postponed = exc
                continue
            result = VerificationCheck.Outcome.WARN, "registry_unavailable", {"reason": str(exc)}
        except Exception as exc:  # a broken check must not lose the application
            logger.exception("verification check %s failed on run %s", name, run.pk)
            result = VerificationCheck.Outcome.WARN, "check_error", {"error": type(exc).__name__}
        if result is None:
            continue
        outcome, code, params = result
        try:
            with transaction.atomic():
                VerificationCheck.objects.create(
                    run=run, name=name, outcome=outcome, detail_code=code, detail_params=params,
                    started_at=started, finished_at=timezone.now(),
                )  # fmt: skip
        except IntegrityError:  # another delivery of the same job recorded it first
            continue
    if postponed is not None:
        raise postponed
    return verification_run_close(run_id=run.pk)


@transaction.atomic
def verification_run_close(*, run_id: int) -> VerificationRun:
    """Mark the run done and record its summary, exactly once."""
    run = VerificationRun.objects.select_for_update().get(pk=run_id)
    if run.status == VerificationRun.Status.DONE:
        return run
    run.status, run.finished_at = VerificationRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    outcomes = Counter(run.checks.values_list("outcome", flat=True))
    SupplierEvent.objects.create(
        supplier_id=run.supplier_id,
        kind=SupplierEvent.Kind.VERIFIED,
        data={"run": run.pk, "trigger": run.trigger, **{k: outcomes.get(k, 0) for k in ("pass", "warn", "fail")}},
    )
    return run
