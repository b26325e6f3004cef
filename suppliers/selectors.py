"""Reads of suppliers, scoped by who asks."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from catalog.models import Belt, Listing
from catalog.selectors import listing_list_public

from .models import Supplier


def supplier_get_public(*, slug: str) -> Supplier:
    """A certified supplier's public profile, or 404 (applicants are not public)."""
    supplier = Supplier.objects.certified().select_related("belt").filter(slug=slug).first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier


def supplier_listings_public(*, supplier: Supplier) -> QuerySet[Listing]:
    return listing_list_public().filter(supplier=supplier)


def supplier_get_for_member(*, user: User) -> Supplier | None:
    """The supplier `user` acts for, or None."""
    return Supplier.objects.select_related("belt").filter(members__user=user).first()


def supplier_listings_for_dashboard(*, supplier: Supplier) -> QuerySet[Listing]:
    """Every listing of the supplier, any status, for its own dashboard."""
    return (
        Listing.objects.for_supplier(supplier)
        .select_related("category")
        .annotate(tier_count=Count("tiers", distinct=True), image_count=Count("images", distinct=True))
        .order_by("-updated_at", "-id")
    )


def belt_list_for_operator(*, user: User) -> QuerySet[Belt]:
    """The belts `user` operates."""
    return Belt.objects.filter(operators__user=user).order_by("position", "name_en")


def belt_onboarding_funnel(*, belt: Belt) -> dict[str, int]:
    """How many of the belt's suppliers stand at each stage of onboarding (one query)."""
    stages = {status: Count("pk", filter=Q(status=status)) for status in Supplier.Status.values}
    return Supplier.objects.filter(belt=belt).aggregate(**stages)


def supplier_list_for_operator(*, belt: Belt) -> QuerySet[Supplier]:
    return Supplier.objects.filter(belt=belt).order_by("status", "name_en")
