"""The beat's schedule: every periodic job, in one place (crontab.guru wording in the comments).
Read by marketplace.settings.base; every task named here is checked to exist by
tests/marketplace/test_settings.py. An entry names no queue: each job reaches its queue through
CELERY_TASK_ROUTES (marketplace/settings/queues.py), as tests/marketplace/test_queues.py checks;
the heartbeats alone name theirs, one to each declared queue."""

from celery.schedules import crontab

from .queues import CELERY_TASK_QUEUES

HEARTBEAT_SECONDS = 30.0

CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # "every 30 seconds", to each queue: a worker consuming it records that it runs that queue's
    # jobs (/readyz reads it, queue by queue). Sent by the beat itself, not fanned out by a job, so a
    # queue with no worker never hides another's.
    **{
        f"worker-heartbeat-{queue.name}": {
            "task": "marketplace.health.tasks.worker_heartbeat_task",
            "schedule": HEARTBEAT_SECONDS,
            "kwargs": {"queue": queue.name},
            "options": {"queue": queue.name},
        }
        for queue in CELERY_TASK_QUEUES
    },
    # "every minute": send outbound mails whose send task was lost or whose mail server was down
    "mail-sweep": {
        "task": "marketplace.mail.tasks.mail_sweep_task",
        "schedule": crontab(),
    },
    # "at 04:20 every day": delete idempotency keys older than 30 days
    "idempotency-purge": {
        "task": "marketplace.idempotency.tasks.idempotent_request_purge_task",
        "schedule": crontab(minute=20, hour=4),
    },
    # "at 02:30 every day": pg_dump to BACKUP_BUCKET (or BACKUP_DIR), keeping the newest BACKUP_KEEP
    "database-backup": {
        "task": "marketplace.backups.tasks.database_backup_task",
        "schedule": crontab(minute=30, hour=2),
    },
    # "every 2 minutes": check again uploads whose check message or worker was lost
    "filecheck-sweep": {
        "task": "marketplace.filecheck.tasks.file_check_sweep_task",
        "schedule": 120.0,
    },
    # "every 10 minutes": make thumbnails that a lost message left without one
    "catalog-thumbnails-sweep": {
        "task": "catalog.tasks.listing_image_thumbnail_sweep_task",
        "schedule": 600.0,
    },
    # "every 10 minutes": queue again listing imports whose message or worker was lost
    "catalog-imports-sweep": {
        "task": "catalog.tasks.listing_import_sweep_task",
        "schedule": 600.0,
    },
    # "every 5 minutes": recount the belts' public figures (home and belt pages)
    "catalog-belt-figures": {
        "task": "catalog.tasks.belt_figures_count_task",
        "schedule": 300.0,
    },
    # "every minute": webhook deliveries that are due (a lost task, a receiver that was down: backed off)
    "orders-webhook-sweep": {
        "task": "orders.tasks.webhook_sweep_task",
        "schedule": crontab(),
    },
    # "every 10 minutes": route again requests for quotation whose routing message was lost
    "orders-rfq-route-sweep": {
        "task": "orders.tasks.rfq_route_sweep_task",
        "schedule": 600.0,
    },
    # "at minute 5 of every hour": close RFQs past their deadline once none of their quotes can be accepted
    "orders-rfq-close-expired": {
        "task": "orders.tasks.rfq_close_expired_task",
        "schedule": crontab(minute=5),
    },
    # "at minute 25 of every hour": release protected funds whose release date passed undisputed
    "orders-protection-auto-release": {
        "task": "orders.tasks.protection_release_due_task",
        "schedule": crontab(minute=25),
    },
    # "at minute 17 of every hour": suppliers' response figures (response rate, repeat buyers, rating)
    "orders-supplier-figures": {
        "task": "orders.figures.supplier_figures_compute_task",
        "schedule": crontab(minute=17),
    },
    # "every 2 minutes": add the views counted in Redis (or this process's buffer) to the day tables
    "analytics-views-flush": {
        "task": "analytics.tasks.views_flush_task",
        "schedule": 120.0,
    },
    # "at minute 40 of every hour": recompute the analytics of the last ANALYTICS_RECOMPUTE_DAYS days
    "analytics-recompute": {
        "task": "analytics.tasks.analytics_recompute_task",
        "schedule": crontab(minute=40),
    },
    # "every 10 minutes": run again verification runs whose message or worker was lost
    "suppliers-verification-runs-sweep": {
        "task": "suppliers.tasks.verification_run_sweep_task",
        "schedule": 600.0,
    },
    # "every 10 minutes": queue again invitation imports whose message or worker was lost
    "suppliers-invitation-imports-sweep": {
        "task": "suppliers.tasks.invitation_import_sweep_task",
        "schedule": 600.0,
    },
    # "at 00:05 every day" (Asia/Shanghai): expiry reminders, downgrades and expiries, just after
    # the date that decides them changes
    "suppliers-certifications-expiry": {
        "task": "suppliers.tasks.certifications_expiry_sweep_task",
        "schedule": crontab(minute=5, hour=0),
    },
    # "at 00:20 every day": certifications decided over a year ago are verified again
    "suppliers-reverification": {
        "task": "suppliers.tasks.reverification_sweep_task",
        "schedule": crontab(minute=20, hour=0),
    },
    # "at 03:30 every day": recompute every badge from the facts, repair and record drift (target 0)
    "suppliers-badges-audit": {
        "task": "suppliers.tasks.badges_audit_task",
        "schedule": crontab(minute=30, hour=3),
    },
}
