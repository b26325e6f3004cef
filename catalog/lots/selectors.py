"""Reads of lots, scoped by who asks: the supplier's own lots (404 for anyone else's), the public
lot page by its random token, clean certificates only, and a listing's stock by lot."""

from collections.abc import Iterable

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from marketplace.filecheck.models import FileCheck
from suppliers.models import Supplier

from ..models import Listing
from .models import Lot, LotCertificate, LotEvent

LOT_TABS = ("open", "closed", "all")


def lot_list_for_supplier(*, supplier: Supplier, tab: str = "open", listing_id: int | None = None) -> QuerySet[Lot]:
    """The supplier's lots (open, closed or all; optionally those supplying one listing), newest
    harvest first, with their listings and a count of clean certificates: one query for the page."""
    qs = Lot.objects.for_supplier(supplier)
    if tab in ("open", "closed"):
        qs = qs.filter(status=tab)
    if listing_id is not None:
        qs = qs.filter(listings__id=listing_id)
    return (
        qs.prefetch_related(
            Prefetch("listings", queryset=Listing.objects.only("id", "title_en", "title_zh", "supplier_id"))
        )
        .annotate(clean_certificates=Count("certificates", filter=Q(certificates__file_check=FileCheck.CLEAN)))
        .order_by("-produced_on", "-id")  # a grouped query drops the model's default ordering
    )


def lot_get_for_supplier(*, supplier: Supplier, pk: int) -> Lot:
    """One of the supplier's lots with its listings, certificates (all, with their check state)
    and history; 404 for another supplier's lot."""
    lot = (
        Lot.objects.for_supplier(supplier)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("listings", queryset=Listing.objects.only("id", "title_en", "title_zh", "supplier_id", "unit")),
            "certificates",
            Prefetch("events", queryset=LotEvent.objects.select_related("actor")),
        )
        .first()
    )
    if lot is None:
        raise Http404("No such lot")
    return lot


def lot_get_public(*, token: str) -> Lot:
    """A lot by its public token, for anyone: the supplier (with its belt and current
    certification, read now), the listings it supplies and its clean certificates."""
    lot = (
        Lot.objects.filter(token=token)
        .select_related("supplier__belt", "supplier__current_certification")
        .prefetch_related(
            Prefetch("listings", queryset=Listing.objects.only("id", "title_en", "title_zh", "supplier_id", "status")),
            Prefetch("certificates", queryset=lot_certificates_clean(), to_attr="clean_certificates"),
        )
        .first()
    )
    if lot is None:
        raise Http404("No such lot")
    return lot


def lot_certificates_clean() -> QuerySet[LotCertificate]:
    """Certificates whose file passed its check: the only ones shown or served."""
    return LotCertificate.objects.filter(file_check=FileCheck.CLEAN).exclude(file="")


def lot_certificate_get_public(*, token: str, pk: int) -> LotCertificate:
    """A clean certificate of the lot with this token; 404 for a pending or refused one."""
    certificate = lot_certificates_clean().filter(lot__token=token, pk=pk).first()
    if certificate is None:
        raise Http404("No such certificate")
    return certificate


def lot_certificate_get_for_supplier(*, supplier: Supplier, pk: int) -> LotCertificate:
    """A clean certificate of one of the supplier's lots; 404 otherwise."""
    certificate = lot_certificates_clean().filter(lot__supplier=supplier, pk=pk).first()
    if certificate is None:
        raise Http404("No such certificate")
    return certificate


def lot_choices_for_listings(*, supplier: Supplier, listing_ids: Iterable[int]) -> dict[int, list[Lot]]:
    """The supplier's open lots with something left, by the listing they supply (for the ship
    step's choices): one query."""
    ids = list(listing_ids)
    by_listing: dict[int, list[Lot]] = {listing_id: [] for listing_id in ids}
    if not ids:
        return by_listing
    rows = (
        Lot.objects.filter(listings__id__in=ids, supplier=supplier, status=Lot.Status.OPEN, remaining__gt=0)
        .annotate(supplied_listing=F("listings__id"))
        .order_by("produced_on", "id")
    )
    for lot in rows:
        by_listing[lot.supplied_listing].append(lot)
    return by_listing


def listing_lot_stock(*, listing: Listing) -> int | None:
    """What a listing sold by lot has in stock: the remaining quantity of its open lots (None for a
    listing not sold by lot)."""
    if not listing.sold_by_lot:
        return None
    total = Lot.objects.open().filter(listings=listing).aggregate(total=Sum("remaining"))["total"]
    return int(total or 0)
