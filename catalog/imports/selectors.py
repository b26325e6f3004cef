"""Reads of a supplier's imports, and the stalled ones the sweep queues again."""

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ..models import ListingImport


def listing_import_list_for_supplier(*, supplier: Any) -> QuerySet[ListingImport]:
    """The supplier's imports, newest first, without their (possibly long) row reports."""
    return (
        ListingImport.objects.filter(supplier=supplier)
        .defer("error_rows")
        .annotate(rejected_count=F("processed_rows") - F("created_count") - F("updated_count"))
        .order_by("-created_at", "-id")
    )


def listing_import_get_for_supplier(*, supplier: Any, pk: int) -> ListingImport:
    """One import of this supplier; any other supplier's import answers 404, like one that does not exist."""
    job = ListingImport.objects.filter(supplier=supplier, pk=pk).first()
    if job is None:
        raise Http404("No such import")
    return job


# Longer than the job's hard time limit (catalog.tasks): a job still "queued" or "running" after
# this has lost its message or its worker, and is queued again. A second delivery of a live job
# is harmless: the advisory lock lets one run, and a finished job is left alone.
STALLED_AFTER = datetime.timedelta(minutes=30)


def listing_import_stalled(*, now: datetime.datetime | None = None) -> list[tuple[int, str]]:
    """(id, uploader's language) of the imports to queue again: for the sweep job."""
    cutoff = (now or timezone.now()) - STALLED_AFTER
    return [
        (pk, language or "en")
        for pk, language in ListingImport.objects.filter(
            status__in=(ListingImport.Status.QUEUED, ListingImport.Status.RUNNING), created_at__lt=cutoff
        )
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        .order_by("id")
        .values_list("pk", "created_by__preferred_language")[:100]
    ]
