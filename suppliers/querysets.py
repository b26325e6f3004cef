from django.db import models

PUBLIC_LEVELS = ("verified", "certified_origin", "audited_factory")


class SupplierQuerySet(models.QuerySet):
    def certified(self) -> "SupplierQuerySet":
        """Suppliers a buyer may see: certified at some level."""
        return self.filter(status="certified", certification_level__in=PUBLIC_LEVELS)

    def in_belt(self, belt: object) -> "SupplierQuerySet":
        return self.filter(belt=belt)
