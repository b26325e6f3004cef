"""Reusable single-model filters for the trade."""

from django.db import models


class OrderQuerySet(models.QuerySet):
    def for_buyer(self, buyer: object) -> "OrderQuerySet":
        return self.filter(buyer=buyer)

    def for_supplier(self, supplier: object) -> "OrderQuerySet":
        return self.filter(supplier=supplier)

    def not_cancelled(self) -> "OrderQuerySet":
        return self.exclude(status="cancelled")

    def awaiting_confirmation(self) -> "OrderQuerySet":
        return self.filter(status="placed")


class CartLineQuerySet(models.QuerySet):
    def for_user(self, user: object) -> "CartLineQuerySet":
        return self.filter(user=user)
