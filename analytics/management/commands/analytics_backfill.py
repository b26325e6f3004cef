"""Compute the analytics of a range of days: `manage.py analytics_backfill 2026-01-01 2026-06-30`;
without dates, the last 366 days up to today (a year of generated trade)."""

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from analytics.services.compute import analytics_compute


class Command(BaseCommand):
    help = "Recompute the supplier days and belt months of a range of days (idempotent), a month at a time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", nargs="?", type=datetime.date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("end", nargs="?", type=datetime.date.fromisoformat, help="last day, YYYY-MM-DD (today)")

    def handle(self, *args: object, start: datetime.date | None, end: datetime.date | None, **options: object) -> None:
        end = end or timezone.localdate()
        start = start or end - datetime.timedelta(days=366)
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
