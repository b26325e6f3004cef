"""Reusable single-model filters for belts."""

from django.db import models


class BeltQuerySet(models.QuerySet):
    def active(self) -> "BeltQuerySet":
        return self.filter(is_active=True)
