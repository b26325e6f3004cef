"""Reusable single-model filters for the catalog."""

from django.db import models
from django.utils import timezone

from suppliers.models import Supplier


class ListingQuerySet(models.QuerySet):
    def published(self) -> "ListingQuerySet":
        return self.filter(status="published")

    def public(self) -> "ListingQuerySet":
        """Published listings of suppliers whose certification is current: what anyone may see.

        Reads the denormalised `is_public` (kept by the database triggers of migration 0005: the
        listing is published, its supplier certified at a public level). A certification passing
        its date changes no row, so suppliers whose `certified_until` is before today are left out
        here as well: a short list (hashed), not a join.
        """
        lapsed = Supplier.objects.filter(status="certified", certified_until__lt=timezone.localdate())
        return self.filter(is_public=True).exclude(supplier_id__in=lapsed.values("pk"))

    def for_supplier(self, supplier: object) -> "ListingQuerySet":
        return self.filter(supplier=supplier)
