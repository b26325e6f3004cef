"""Seed the demo world of demo/data/ (see demo/seed/seeding.py). Running it again changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from catalog.figures import belt_figures_count
from demo.seed.analytics import seed_analytics
from demo.seed.report import login_lines, summary
from demo.seed.run import Run
from demo.seed.seeding import seed
from demo.world import WorldError, demo_world
from orders.figures import supplier_figures_compute


class Command(BaseCommand):
    help = "Create the demo world (belts, suppliers, listings, demo logins). Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print no progress (errors still go to stderr).")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options["verbosity"] == 0
        try:
            world = demo_world()
        except WorldError as exc:  # refuse before writing anything, with every problem listed
            raise CommandError(str(exc)) from exc
        run = Run(world, say=(lambda line: None) if quiet else self.stdout.write)
        started = timezone.now()
        # One transaction: a failure halfway leaves no half-seeded world. Thumbnail jobs are queued
        # by `listing_image_create` on commit, so the worker only ever sees committed images.
        with transaction.atomic():
            seed(run)
            if run.tally:  # something changed: the pages' figures now, not by the next jobs
                belt_figures_count()
                supplier_figures_compute()
                seed_analytics(say=run.say)
        seconds = (timezone.now() - started).total_seconds()
        run.say(summary(world, run.tally, seconds, style=self.style))
        # The table `make run` shows on start; printed even with --quiet because it is the point.
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        for line in login_lines(world):
            self.stdout.write(line)
