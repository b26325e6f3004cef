"""The analytics jobs (beat entries in settings: analytics-views-flush, analytics-recompute)."""

from celery import shared_task

from .services.compute import analytics_recompute_recent
from .services.views import views_flush


@shared_task(ignore_result=True)
def views_flush_task() -> int:
    """Every two minutes: add the views counted in Redis to the day tables (safe to run twice)."""
    return views_flush()


@shared_task(ignore_result=True)
def analytics_recompute_task() -> tuple[int, int]:
    """Hourly: recompute the last ANALYTICS_RECOMPUTE_DAYS days of every supplier and belt (idempotent)."""
    return analytics_recompute_recent()
