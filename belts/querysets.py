"""Reusable single-model filters for belts."""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:  # the model module imports this one
    from .models import Belt  # noqa: F401 - named in the base class below


class BeltQuerySet(models.QuerySet["Belt"]):
    def active(self) -> "BeltQuerySet":
        return self.filter(is_active=True)
