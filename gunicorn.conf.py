"""gunicorn's settings file, read from the working directory (/app in the image): the hooks that keep
Prometheus' multiprocess metrics right (marketplace.observability). Command-line options still
apply; this file sets nothing else."""

from typing import Any


def on_starting(server: Any) -> None:
    """Before the workers start: forget the files of an earlier run, or their counts would be added."""
    from marketplace.observability.exposition import empty_multiprocess_dir

    empty_multiprocess_dir()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exited leaves its counters to the total but not its gauges of live processes."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
