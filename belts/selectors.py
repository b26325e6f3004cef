"""Reads of belts and the category tree."""

from django.db.models import QuerySet

from .models import Category


def category_list_top() -> QuerySet[Category]:
    """The top of the category tree, each with its children (two queries when iterated)."""
    return Category.objects.filter(parent=None).prefetch_related("children")
