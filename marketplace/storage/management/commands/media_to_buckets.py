"""Copy the local media and private files to the object store's buckets; safe to stop and run again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.storage.services import media_copy_to_buckets


class Command(BaseCommand):
    help = (
        "Copy MEDIA_ROOT to MEDIA_BUCKET and PRIVATE_MEDIA_ROOT to PRIVATE_MEDIA_BUCKET under the same names. "
        "Objects already there with the same size and checksum are skipped, so an interrupted run resumes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be copied; copy nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tally = media_copy_to_buckets(dry_run=options["dry_run"], say=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "to copy" if options["dry_run"] else "copied"
        self.stdout.write(self.style.SUCCESS(f"{tally.copied} {verb}, {tally.skipped} already there"))
