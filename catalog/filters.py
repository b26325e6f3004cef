"""Declared filters: the only query arguments a list accepts (never `filter(**request.GET)`)."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Listing


class ListingFilter(django_filters.FilterSet):
    belt = django_filters.CharFilter(field_name="supplier__belt__slug", label=_("Belt slug"))
    category = django_filters.CharFilter(method="filter_category", label=_("Category slug (includes sub-categories)"))

    class Meta:
        model = Listing
        fields: list[str] = []

    def filter_category(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset.filter(Q(category__slug=value) | Q(category__parent__slug=value))
