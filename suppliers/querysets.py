from django.db import models
from django.db.models import Q
from django.utils import timezone

from .levels import PUBLIC_LEVELS


class SupplierQuerySet(models.QuerySet):
    def certified(self) -> "SupplierQuerySet":
        """Suppliers a buyer may see: certified at some level, and not past the expiry date."""
        return self.filter(
            Q(certified_until__isnull=True) | Q(certified_until__gte=timezone.localdate()),
            status="certified",
            certification_level__in=PUBLIC_LEVELS,
        )

    def in_belt(self, belt: object) -> "SupplierQuerySet":
        return self.filter(belt=belt)
