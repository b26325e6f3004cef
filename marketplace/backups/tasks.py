"""The nightly database backup: a thin wrapper over marketplace.backups.services."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=False, expires=6 * 60 * 60)
def database_backup_task() -> None:
    """Dump the database to the backup store and prune old dumps (queued by the beat nightly).

    Not acknowledged late: a dump that killed its worker is not run again at once; the next
    night's run takes over."""
    from marketplace.backups.services import database_backup

    database_backup()
