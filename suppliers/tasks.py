"""Background jobs of supplier onboarding: thin wrappers that call one service each."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, max_retries=3, acks_late=True)
def verification_run_execute_task(self, run_id: int) -> None:  # type: ignore[no-untyped-def]
    """Run the checks of one verification run (idempotent; resumes a run cut short).

    A business registry that is down is asked again a minute later; on the last attempt its
    outage is recorded as the check's outcome, so the run always closes.
    """
    from suppliers.registry import RegistryUnavailable
    from suppliers.services import verification_run_execute

    try:
        verification_run_execute(run_id=run_id, retry_unavailable=self.request.retries < self.max_retries)
    except (OSError, RegistryUnavailable) as exc:  # storage hiccup or registry outage: try again shortly
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task
def verification_run_sweep_task() -> int:
    """Queue again every verification run whose job was lost (broker down, worker died); returns how many."""
    from suppliers.services import verification_run_ids_stalled

    ids = verification_run_ids_stalled()
    for run_id in ids:
        verification_run_execute_task.delay(run_id)
    return len(ids)


@shared_task
def certifications_expiry_sweep_task() -> dict[str, int]:
    """Daily: expiry reminders, and downgrades on record for expired licences and certificates."""
    from suppliers.services import certifications_expiry_sweep

    return certifications_expiry_sweep()


@shared_task
def badges_audit_task() -> int:
    """Nightly: recompute every stored badge from the facts, repair and record drift; the drift count."""
    from suppliers.services import badges_audit

    return badges_audit().drift_count


@shared_task
def reverification_sweep_task() -> int:
    """Daily: certifications decided more than a year ago are verified again (the renewal queue)."""
    from suppliers.services import reverification_sweep

    return reverification_sweep()


# The whole import is one transaction (5,000 rows at most: seconds); the limits stay well inside
# the sweep's 10 minutes. When the database is gone the job is retried; it runs from the start.
@shared_task(
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
)
def invitation_import_run_task(import_id: int) -> None:
    """Run one invitation import (idempotent: a finished import is left alone, nobody is invited twice)."""
    from suppliers.services import invitation_import_run

    invitation_import_run(import_id=import_id)


@shared_task
def invitation_import_sweep_task() -> int:
    """Queue again every invitation import whose message or worker was lost; returns how many."""
    from suppliers.services import invitation_import_ids_stalled

    ids = invitation_import_ids_stalled()
    for import_id in ids:
        invitation_import_run_task.delay(import_id)
    return len(ids)
