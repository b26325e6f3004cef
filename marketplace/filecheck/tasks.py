"""Background jobs of the file checks: thin wrappers that call one service each."""

from celery import shared_task
from django.db import OperationalError

from .services import file_check, file_checks_stalled


# The largest image (40 MP) takes 10–15 s to decode and re-encode on a slow core, a PDF at most
# 10 s (marketplace.pdfs); a file that outlives the hard limit kills its process, and after
# MAX_ATTEMPTS such deaths it is refused.
@shared_task(
    acks_late=True,
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=5,
)
def file_check_task(kind: str, pk: int) -> str | None:
    """Check one pending upload (idempotent: a checked one is left alone)."""
    return file_check(kind=kind, pk=pk)


@shared_task
def file_check_sweep_task() -> int:
    """Queue again every check whose message or worker was lost; returns how many."""
    stalled = file_checks_stalled()
    for kind, pk in stalled:
        file_check_task.delay(kind, pk)
    return len(stalled)
