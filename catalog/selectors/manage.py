"""Reads for a supplier managing its own listings (dashboard and /api/v1/me/listings/).

Every read here is scoped by the supplier the signed-in user acts for: a listing of another
supplier is not "forbidden", it does not exist (404), so ids cannot be probed.
"""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from belts.models import Category
from suppliers.models import ProductionSite

from ..models import Listing, ListingCertificate, ListingImage, ListingVariant
from ..rules import supplier_may_publish

# Tabs of the dashboard list; "active" (drafts and published) is the default, archived is apart.
STATUS_TABS = ("active", Listing.Status.DRAFT, Listing.Status.PUBLISHED, Listing.Status.ARCHIVED)


def production_site_list_for_supplier(*, supplier: Any) -> QuerySet[ProductionSite]:
    """The supplier's own production sites: the only ones a listing of it may name."""
    return ProductionSite.objects.filter(supplier=supplier).order_by("name", "id")


def category_list_for_select() -> QuerySet[Category]:
    """Every category with its parent joined, parents before their children (one query)."""
    return Category.objects.select_related("parent").order_by(
        "parent__position", "parent__name_en", "parent_id", "position", "name_en"
    )


def listing_counts_for_supplier(*, supplier: Any) -> dict[str, int]:
    """How many of the supplier's listings are in each tab (one query)."""
    counts = Listing.objects.for_supplier(supplier).aggregate(
        active=Count("pk", filter=~Q(status=Listing.Status.ARCHIVED)),
        draft=Count("pk", filter=Q(status=Listing.Status.DRAFT)),
        published=Count("pk", filter=Q(status=Listing.Status.PUBLISHED)),
        archived=Count("pk", filter=Q(status=Listing.Status.ARCHIVED)),
    )
    return {key: counts[key] or 0 for key in STATUS_TABS}


def listing_list_for_supplier(*, supplier: Any, status: str = "active", query: str = "") -> QuerySet[Listing]:
    """The supplier's listings in one tab, recently changed first, searched by title or SKU.

    Category joined and images prefetched, so a page costs the same queries for 1 row or 50.
    """
    qs = Listing.objects.for_supplier(supplier)
    if status == "active":
        qs = qs.exclude(status=Listing.Status.ARCHIVED)
    elif status in Listing.Status.values:
        qs = qs.filter(status=status)
    for word in query.split()[:5]:
        qs = qs.filter(Q(title_en__icontains=word) | Q(title_zh__icontains=word) | Q(sku__icontains=word))
    return (
        qs.select_related("category")
        .annotate(tier_count=Count("tiers"))
        .prefetch_related(
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"), to_attr="image_list")
        )
        .order_by("-updated_at", "-id")
    )


def listing_list_for_api(*, supplier: Any, status: str | None = None) -> QuerySet[Listing]:
    """The supplier's listings, every status, with all nested parts prefetched (fixed query count)."""
    qs = Listing.objects.for_supplier(supplier)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.with_hs_code()
        .select_related("category", "production_site")
        .prefetch_related(
            "tiers",
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "id")),
            Prefetch("certificates", queryset=ListingCertificate.objects.order_by("kind", "-valid_until", "id")),
        )
    )


def listing_get_for_supplier(*, supplier: Any, pk: int) -> Listing:
    """One listing of `supplier` with what the edit page and the API show; 404 for anyone else's."""
    listing = listing_list_for_api(supplier=supplier).filter(pk=pk).first()
    if listing is None:
        raise Http404("No such listing")
    return listing


def listing_image_get_for_supplier(*, supplier: Any, listing_pk: int, pk: int) -> ListingImage:
    image = ListingImage.objects.filter(pk=pk, listing_id=listing_pk, listing__supplier=supplier).first()
    if image is None:
        raise Http404("No such picture")
    return image


def listing_certificate_get_for_supplier(*, supplier: Any, listing_pk: int, pk: int) -> ListingCertificate:
    """A certificate of one of `supplier`'s listings; 404 for anyone else's."""
    certificate = (
        ListingCertificate.objects.select_related("listing")
        .filter(pk=pk, listing_id=listing_pk, listing__supplier=supplier)
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate")
    return certificate


def supplier_publish_blocker(*, supplier: Any) -> str:
    """Why `supplier` may not publish, in words for its members; empty when it may."""
    if supplier_may_publish(supplier):
        return ""
    status = getattr(supplier, "status", "")
    until = getattr(supplier, "certified_until", None)
    if status == "certified" and until is not None and until < timezone.localdate():
        return _("Your certification expired on %(date)s. Renew it to publish listings again.") % {
            "date": formats.date_format(until, "SHORT_DATE_FORMAT")
        }
    if status == "suspended":
        return _("Your company is suspended, so its listings cannot be published. Contact us to find out why.")
    if status == "rejected":
        return _("Your application was not accepted, so listings cannot be published.")
    return _(
        "Only companies verified by our certification team may publish listings. "
        "Yours is not verified yet: prepare your listings as drafts and publish them once it is."
    )


def listing_publish_blockers(*, listing: Listing, supplier: Any) -> list[str]:
    """Everything that stops `listing` being published now, in words for the supplier; empty if nothing.

    Reads the listing's tiers (prefetched by `listing_get_for_supplier`, so no query).
    """
    blockers = []
    reason = supplier_publish_blocker(supplier=supplier)
    if reason:
        blockers.append(reason)
    if listing.status == Listing.Status.ARCHIVED:
        blockers.append(_("An archived listing must be restored to a draft before it can be published."))
    if not listing.tiers.all():
        blockers.append(_("Give at least one price tier before publishing."))
    return blockers
