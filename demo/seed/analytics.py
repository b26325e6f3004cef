"""The demo world's analytics: a month of views on its listings and profiles, then the analytics
job over the seeded trade, so the analytics pages show figures right after `make run`."""

import datetime
import random
from collections import Counter
from collections.abc import Callable

from django.utils import timezone

from analytics.counters import LISTING, PROFILE
from analytics.models import SupplierDay
from analytics.services.compute import analytics_compute
from analytics.services.views import views_add
from catalog.models import Listing
from suppliers.models import Supplier

VIEW_DAYS = 30


def seed_analytics(*, say: Callable[[str], None] = print) -> None:
    """Views for the last VIEW_DAYS days (once: never when views are already counted), then the
    figures of the last year computed from the seeded trade."""
    today = timezone.localdate()
    if not SupplierDay.objects.filter(listing_views__gt=0).exists():
        counts: Counter[tuple[str, str, str]] = Counter()
        rng = random.Random(2026)  # nosec B311: demo numbers, the same on every machine
        listings = list(Listing.objects.filter(is_public=True).order_by("pk").values_list("pk", flat=True))
        slugs = list(
            Supplier.objects.filter(status=Supplier.Status.CERTIFIED).order_by("pk").values_list("slug", flat=True)
        )
        for back in range(VIEW_DAYS):
            day = (today - datetime.timedelta(days=back)).isoformat()
            # More views lately and on weekdays: a trend a supplier would recognise.
            weight = 1.0 + (VIEW_DAYS - back) / VIEW_DAYS
            weekday = 0.6 if (today - datetime.timedelta(days=back)).weekday() >= 5 else 1.0
            for pk in listings:
                counts[day, LISTING, str(pk)] = int(rng.randint(0, 12) * weight * weekday)
            for slug in slugs:
                counts[day, PROFILE, slug] = int(rng.randint(0, 6) * weight * weekday)
        views = views_add(counts=counts)
        say(f"  {views} demo page views over the last {VIEW_DAYS} days")
    analytics_compute(start=today - datetime.timedelta(days=365), end=today)
