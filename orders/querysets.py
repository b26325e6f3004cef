"""Reusable single-model filters for the trade."""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:  # the model module imports this one
    from .models import CartLine, Order  # noqa: F401 - named in the base classes below


class OrderQuerySet(models.QuerySet["Order"]):
    def for_buyer(self, buyer: object) -> "OrderQuerySet":
        return self.filter(buyer=buyer)

    def for_supplier(self, supplier: object) -> "OrderQuerySet":
        return self.filter(supplier=supplier)

    def not_cancelled(self) -> "OrderQuerySet":
        return self.exclude(status="cancelled")

    def awaiting_confirmation(self) -> "OrderQuerySet":
        return self.filter(status="placed")


class CartLineQuerySet(models.QuerySet["CartLine"]):
    def for_user(self, user: object) -> "CartLineQuerySet":
        return self.filter(user=user)
