"""Compute the analytics of a range of days: `manage.py analytics_backfill 2026-01-01 2026-06-30`."""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from analytics.services.compute import analytics_compute


class Command(BaseCommand):
    help = "Recompute the supplier days and belt months of a range of days (idempotent), a month at a time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", type=datetime.date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("end", type=datetime.date.fromisoformat, help="last day, YYYY-MM-DD")

    def handle(self, *args: object, start: datetime.date, end: datetime.date, **options: object) -> None:
        if end < start:
            start, end = end, start
        days = months = 0
        chunk = start
        while chunk <= end:
            # One month per transaction: a year of trade never holds one long transaction.
            last = min(
                end, (chunk.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            )
            d, m = analytics_compute(start=chunk, end=last)
            days, months = days + d, months + m
            chunk = last + datetime.timedelta(days=1)
        self.stdout.write(f"{days} supplier days and {months} belt months computed from {start} to {end}.")
