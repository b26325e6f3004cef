"""The worker queues and which task goes to which: every task of the marketplace, in one place.
Read by marketplace.settings.base; tests/marketplace/test_queues.py checks that every task the
worker registers is routed here, to one of the queues declared here.

One worker with no `-Q` (`make run`, the tests' worker) consumes every queue of CELERY_TASK_QUEUES.
Separate hosts each consume their own: `celery -A marketplace worker -Q verification -n
verification@%h` (docs/operations.md, "Queues and worker hosts"). The beat's jobs
(marketplace/settings/beat.py) reach their queues through these routes, like any other message.
"""

from kombu import Exchange, Queue

# The queue of anything no route names (Celery's own name for it, so the messages a worker left
# in it before the queues were split are still consumed).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name, type="direct"), routing_key=name)
    for name in ("verification", "imports", "mail", "figures", CELERY_TASK_DEFAULT_QUEUE)
)
# A route or a `-Q` naming a queue not declared above is an error (celery.exceptions.QueueNotFound,
# a worker that will not start), not a queue nobody consumes.
CELERY_TASK_CREATE_MISSING_QUEUES = False

_QUEUE_TASKS: dict[str, tuple[str, ...]] = {
    # Uploads checked by content, the image work that follows them, and everything that decides a
    # supplier's trust (verification runs, certificate expiry, re-verification, the badge audit):
    # CPU- and memory-heavy, sized by WORKER_JOB_MEMORY_MB.
    "verification": (
        "marketplace.filecheck.tasks.file_check_task",
        "marketplace.filecheck.tasks.file_check_sweep_task",
        "catalog.tasks.listing_image_thumbnail_task",
        "catalog.tasks.listing_image_thumbnail_sweep_task",
        "suppliers.tasks.verification_run_execute_task",
        "suppliers.tasks.verification_run_sweep_task",
        "suppliers.tasks.certifications_expiry_sweep_task",
        "suppliers.tasks.reverification_sweep_task",
        "suppliers.tasks.badges_audit_task",
    ),
    # Bulk jobs from uploaded files: minutes each, so they never hold up a check or a mail.
    "imports": (
        "catalog.tasks.listing_import_run_task",
        "catalog.tasks.listing_import_sweep_task",
        "suppliers.tasks.invitation_import_run_task",
        "suppliers.tasks.invitation_import_sweep_task",
    ),
    # Messages leaving the site: the mail outbox and webhook deliveries (waits on other servers).
    "mail": (
        "marketplace.mail.tasks.mail_send_task",
        "marketplace.mail.tasks.mail_sweep_task",
        "orders.tasks.webhook_deliver_task",
        "orders.tasks.webhook_sweep_task",
    ),
    # Figures recomputed from the facts, and housekeeping (the nightly database backup): safe to run late.
    "figures": (
        "catalog.tasks.belt_figures_count_task",
        "orders.figures.supplier_figures_compute_task",
        "analytics.tasks.views_flush_task",
        "analytics.tasks.analytics_recompute_task",
        "marketplace.idempotency.tasks.idempotent_request_purge_task",
        "marketplace.backups.tasks.database_backup_task",
    ),
    # The trade's own steps, and the heartbeat /readyz reads (the beat also sends it to every other
    # queue by name: marketplace/settings/beat.py).
    CELERY_TASK_DEFAULT_QUEUE: (
        "orders.tasks.rfq_route_task",
        "orders.tasks.rfq_route_sweep_task",
        "orders.tasks.rfq_close_expired_task",
        "orders.tasks.protection_release_due_task",
        "marketplace.health.tasks.worker_heartbeat_task",
    ),
}
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    task: {"queue": queue} for queue, tasks in _QUEUE_TASKS.items() for task in tasks
}
