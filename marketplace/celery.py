"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import logging
import os
import resource

import billiard.process
from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    setup_logging,
    worker_init,
    worker_process_init,
    worker_ready,
)

from marketplace.observability import exposition, metrics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.base")

logger = logging.getLogger(__name__)

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Jobs counted and timed where they run, counted where they are sent; the request id travels along.
# SQL statements timed in every process (web and worker alike import this module).
metrics.connect_celery()
metrics.connect_database()
# Each worker records, from its main process, that it is alive and which queues it consumes.
app.steps["worker"].add("marketplace.health.worker:Heartbeat")


@app.on_after_configure.connect
def _make_filesystem_queue_dirs(sender: Celery, **kwargs: object) -> None:
    """kombu's filesystem transport needs its folders to exist before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


def _address_space_bytes() -> int:
    """This process's virtual size now (Linux: the first field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@worker_process_init.connect
def _limit_job_memory(**kwargs: object) -> None:
    """Cap the address space of the process that runs tasks (a prefork child, or the solo pool's
    worker) at its size plus WORKER_JOB_MEMORY_MB.

    A job that needs more gets a MemoryError it can report as its own failure, instead of growing
    until the kernel kills the process and every job it held. Memory is given back when the job's
    objects are freed, so the next job starts with the full allowance.

    A pool that runs jobs in the worker's main process (solo) is capped once the worker is ready,
    not when the pool is made: the worker's own threads (its timer, which writes the worker's
    heartbeat, and the metrics server) are started by then, each with the stack it reserves.
    """
    if billiard.process.current_process().name == "MainProcess":
        worker_ready.connect(_cap_address_space, weak=False, dispatch_uid="marketplace-job-memory")
        return
    _cap_address_space()


def _cap_address_space(**kwargs: object) -> None:
    from django.conf import settings

    allowance = settings.WORKER_JOB_MEMORY_MB * 1024 * 1024
    if not allowance or not hasattr(resource, "RLIMIT_AS") or not os.path.exists("/proc/self/statm"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space_bytes() + allowance
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    logger.info("worker process %s: address space capped at %s MiB", os.getpid(), limit // (1024 * 1024))


def _logging_from_settings(**kwargs: object) -> None:
    """The worker and beat log as the web processes do: JSON lines with the request id."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@app.on_after_configure.connect
def _connect_logging(sender: Celery, **kwargs: object) -> None:
    """With LOG_FORMAT=json, Celery leaves logging to Django's LOGGING (a receiver of `setup_logging`
    stops Celery from configuring its own); plain text keeps Celery's familiar worker format, with
    the request id added.

    Connected once the app is configured (before a worker sets up its logging), not at import: this
    module is imported with the `marketplace` package, which a settings module outside it (the
    bench's) imports while Django's settings are still being read."""
    from django.conf import settings

    if settings.LOG_FORMAT == "json":
        setup_logging.connect(_logging_from_settings, weak=False)
    else:
        after_setup_logger.connect(_request_id_on_handlers, weak=False)
        after_setup_task_logger.connect(_request_id_on_handlers, weak=False)


def _request_id_on_handlers(logger: logging.Logger, **kwargs: object) -> None:
    """Celery's text lines name the request id (CELERY_WORKER_LOG_FORMAT): each handler Celery set
    up gets the filter that puts it on every record."""
    from marketplace.observability.requestid import RequestIdFilter

    for handler in logger.handlers:
        if not any(isinstance(existing, RequestIdFilter) for existing in handler.filters):
            handler.addFilter(RequestIdFilter())


@worker_init.connect
def _empty_metrics_dir(**kwargs: object) -> None:
    """The worker's count starts at zero: files of an earlier run in PROMETHEUS_MULTIPROC_DIR are removed
    before the pool's processes start writing theirs."""
    exposition.empty_multiprocess_dir()


@worker_ready.connect
def _serve_metrics(**kwargs: object) -> None:
    """With METRICS_WORKER_LISTEN set, the main process serves the jobs' metrics (docs/observability.md)."""
    from django.conf import settings

    if settings.METRICS_WORKER_LISTEN:
        exposition.serve_worker_metrics(
            listen=settings.METRICS_WORKER_LISTEN,
            token=settings.METRICS_TOKEN,
            networks=settings.METRICS_ALLOW_NETWORKS,
        )
