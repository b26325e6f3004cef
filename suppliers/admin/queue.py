"""The certification queue: what each row shows, and the filters staff work it with."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import JSONObject
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Supplier, SupplierEvent, VerificationCheck, VerificationRun
from .common import Outcome

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices  # a TypedDict of the stubs only

AWAITING_DECISION = (Supplier.Status.UNDER_VERIFICATION, Supplier.Status.INFO_REQUESTED)


def annotate_queue(queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
    """Add what the queue shows per supplier, as correlated subqueries (one SQL query in all).

    - `check_outcome`: the worst outcome (fail > warn > pass) of the latest verification run;
      NULL while that run has no checks yet (queued or running);
    - `recommendation`: the belt operator's latest recommendation, as {decision, level, reason}.
    """
    latest_run = VerificationRun.objects.filter(supplier=OuterRef(OuterRef("pk"))).order_by("-created_at", "-id")
    rank = Case(When(outcome=Outcome.FAIL, then=Value(0)), When(outcome=Outcome.WARN, then=Value(1)), default=Value(2))
    worst = (
        VerificationCheck.objects.filter(run=Subquery(latest_run.values("pk")[:1])).order_by(rank).values("outcome")[:1]
    )
    recommendation = (
        SupplierEvent.objects.filter(supplier=OuterRef("pk"), kind=SupplierEvent.Kind.RECOMMENDED)
        .order_by("-created_at", "-id")
        .values(json=JSONObject(decision=KT("data__decision"), level="to_level", reason="reason"))[:1]
    )
    return queryset.annotate(check_outcome=Subquery(worst), recommendation=Subquery(recommendation))


# Sorting the queue by its checks puts failures first. Only used in ORDER BY when asked for:
# a second annotation deriving from `check_outcome` would repeat its subquery in every query.
CHECK_OUTCOME_ORDER = Case(
    When(check_outcome=Outcome.FAIL, then=Value(0)),
    When(check_outcome=Outcome.WARN, then=Value(1)),
    When(check_outcome=Outcome.PASS, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


class QueueStatusFilter(admin.SimpleListFilter):
    """Status, defaulting to the queue: applications that wait for a decision. "All" is one click away."""

    title = _("status")
    parameter_name = "status"
    AWAITING, RENEWAL, ALL = "awaiting", "renewal", "all"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            (self.AWAITING, _("Awaiting decision")),
            (self.RENEWAL, _("Renewal queue")),
            (self.ALL, _("All")),
            *Supplier.Status.choices,
        ]

    def value(self) -> str:
        return super().value() or self.AWAITING

    def queryset(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
        value = self.value()
        if value == self.AWAITING:  # new applications and renewals alike
            return queryset.filter(Q(status__in=AWAITING_DECISION) | Q(renewal_requested_at__isnull=False))
        if value == self.RENEWAL:
            return queryset.filter(renewal_requested_at__isnull=False)
        if value == self.ALL:
            return queryset
        if value in Supplier.Status.values:
            return queryset.filter(status=value)
        raise IncorrectLookupParameters(value)

    def choices(self, changelist: Any) -> Iterator["_ListFilterChoices"]:
        # Unlike SimpleListFilter's, no "All" entry that drops the parameter: that is the default.
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for i, (lookup, title) in enumerate(self.lookup_choices):
            if counts is not None:
                title = f"{title} ({counts.get(f'{i}__c', '-')})"
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class CheckOutcomeFilter(admin.SimpleListFilter):
    """The worst outcome of the latest verification run (the `check_outcome` annotation)."""

    title = _("check outcome")
    parameter_name = "checks"
    NOT_RUN = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            (Outcome.FAIL, _("A check failed")),
            (Outcome.WARN, _("A check needs a look")),
            (Outcome.PASS, _("All checks passed")),
            (self.NOT_RUN, _("Not run yet")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Supplier]) -> QuerySet[Supplier]:
        value = self.value()
        if value == self.NOT_RUN:
            # check_outcome is an annotation of SupplierAdmin.get_queryset, which the plugin cannot see.
            return queryset.filter(check_outcome__isnull=True)  # type: ignore[misc]
        if value in Outcome.values:
            return queryset.filter(check_outcome=value)  # type: ignore[misc]
        return queryset
