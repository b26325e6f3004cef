"""Reads of the catalog, with their joins and prefetches applied, so views stay query-flat."""

from django.db.models import Case, Count, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import Belt, Category, Listing, ListingImage
from .querysets import PUBLIC_LEVELS


def _supplier_model():  # type: ignore[no-untyped-def]
    # Follow the ORM relation instead of importing the higher `suppliers` app.
    return Belt._meta.get_field("suppliers").related_model


def belt_list_with_counts() -> QuerySet[Belt]:
    """Active belts with live counts of certified suppliers and public listings (one query)."""
    supplier = _supplier_model()
    certified = supplier.objects.certified().filter(belt=OuterRef("pk"))
    listings = Listing.objects.public().filter(supplier__belt=OuterRef("pk"))
    return Belt.objects.active().annotate(
        certified_supplier_count=Coalesce(
            Subquery(
                certified.order_by().values("belt").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        listing_count=Coalesce(
            Subquery(
                listings.order_by().values("supplier__belt").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def belt_get_public(*, slug: str) -> Belt:
    """One active belt with its counts, or 404."""
    belt = belt_list_with_counts().filter(slug=slug).first()
    if belt is None:
        raise Http404("No such belt")
    return belt


def _with_card_data(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """What a listing card shows: supplier, category, lowest tier price, first image."""
    return (
        qs.select_related("supplier", "supplier__belt", "category")
        .annotate(price_from=Min("tiers__unit_price"))
        .prefetch_related(
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"), to_attr="image_list")
        )
    )


def listing_list_public(*, belt: Belt | None = None, category: Category | None = None) -> QuerySet[Listing]:
    """Public listings, newest first, ready for cards."""
    qs = Listing.objects.public()
    if belt is not None:
        qs = qs.filter(supplier__belt=belt)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    return _with_card_data(qs).order_by("-created_at", "-id")


def listing_search(*, query: str) -> QuerySet[Listing]:
    """Public listings whose title, description or supplier name contains the words of `query`.

    A plain containment search for the foundation; the catalog issue replaces it with weighted
    full-text search and trigram matching.
    """
    qs = Listing.objects.public()
    for word in query.split()[:8]:
        qs = qs.filter(
            Q(title_en__icontains=word)
            | Q(title_zh__icontains=word)
            | Q(description_en__icontains=word)
            | Q(description_zh__icontains=word)
            | Q(supplier__name_en__icontains=word)
            | Q(supplier__name_zh__icontains=word)
        )
    return _with_card_data(qs).order_by("-created_at", "-id")


def listing_get_for_viewer(*, pk: int, user: object) -> Listing:
    """One listing a buyer may see, or a draft its own supplier previews; 404 for anyone else."""
    visible = Q(pk__in=Listing.objects.public().values("pk"))
    supplier_id = (
        getattr(getattr(user, "supplier_membership", None), "supplier_id", None)
        if getattr(user, "is_authenticated", False)
        else None
    )
    if supplier_id:
        visible |= Q(supplier_id=supplier_id)
    listing = (
        Listing.objects.filter(visible, pk=pk)
        .select_related("supplier", "supplier__belt", "category", "category__parent")
        .prefetch_related("tiers", "images")
        .first()
    )
    if listing is None:
        raise Http404("No such listing")
    return listing


def category_list_top() -> QuerySet[Category]:
    return Category.objects.filter(parent=None).prefetch_related("children")


def supplier_list_for_belt(*, belt: Belt) -> QuerySet:
    """The belt's certified suppliers, strongest certification first."""
    rank = Case(
        *[When(certification_level=level, then=Value(i)) for i, level in enumerate(reversed(PUBLIC_LEVELS))],
        default=Value(99),
        output_field=IntegerField(),
    )
    return belt.suppliers.certified().annotate(level_rank=rank).order_by("level_rank", "name_en")
