"""Back the database up now, list the kept backups, or fetch one for a restore."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.backups.pgtools import PgToolMissing
from marketplace.backups.services import backup_download, backup_list, database_backup


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump, custom format) to BACKUP_BUCKET or BACKUP_DIR and keep the newest "
        "BACKUP_KEEP. --list shows the kept backups; --download NAME FILE fetches one for pg_restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="List the kept backups, oldest first.")
        parser.add_argument("--download", nargs=2, metavar=("NAME", "FILE"), help="Copy a kept backup to FILE.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name in backup_list():
                self.stdout.write(name)
            return
        if options["download"]:
            name, target = options["download"]
            if name not in backup_list():
                raise CommandError(f"No backup named {name}; see --list.")
            backup_download(name, Path(target))
            self.stdout.write(self.style.SUCCESS(f"{name} copied to {target}"))
            return
        try:
            name = database_backup()
        except (PgToolMissing, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup stored: {name}"))
