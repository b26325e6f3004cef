"""Reusable single-model filters for the catalog."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class BeltQuerySet(models.QuerySet):
    def active(self) -> "BeltQuerySet":
        return self.filter(is_active=True)


class ListingQuerySet(models.QuerySet):
    def published(self) -> "ListingQuerySet":
        return self.filter(status="published")

    def public(self) -> "ListingQuerySet":
        """Published listings of suppliers whose certification is current: what anyone may see."""
        return self.published().filter(
            Q(supplier__certified_until__isnull=True) | Q(supplier__certified_until__gte=timezone.localdate()),
            supplier__status="certified",
            supplier__certification_level__in=PUBLIC_LEVELS,
        )

    def for_supplier(self, supplier: object) -> "ListingQuerySet":
        return self.filter(supplier=supplier)


# Kept as plain strings so this app needs no import of the suppliers app.
PUBLIC_LEVELS = ("verified", "certified_origin", "audited_factory")
