"""Reads of the catalog, with their joins and prefetches applied, so views stay query-flat."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import Belt, Category, Listing, ListingImage, ListingVariant, PriceTier
from .querysets import PUBLIC_LEVELS
from .search import (
    ListingFilters,
    SearchResult,
    facet_counts,
    parse_text,
    search_page,
    supplier_list_matching,
)


def _supplier_model():  # type: ignore[no-untyped-def]
    # Follow the ORM relation instead of importing the higher `suppliers` app.
    return Belt._meta.get_field("suppliers").related_model


def belt_list_with_counts() -> QuerySet[Belt]:
    """Active belts with live counts of certified suppliers and public listings (one query)."""
    supplier = _supplier_model()
    certified = supplier.objects.certified().filter(belt=OuterRef("pk"))
    listings = Listing.objects.public().filter(belt=OuterRef("pk"))
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
                listings.order_by().values("belt").annotate(n=Count("pk")).values("n")[:1],
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
    """What a listing card shows: supplier, belt, category, first image (the lowest price is the
    denormalised `price_from` column, kept by the database)."""
    return qs.select_related("supplier", "supplier__belt", "category").prefetch_related(
        Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"), to_attr="image_list")
    )


def listing_list_public(*, belt: Belt | None = None, category: Category | None = None) -> QuerySet[Listing]:
    """Public listings, newest first, ready for cards (partial indexes on the denormalised belt
    and category serve the order)."""
    qs = Listing.objects.public()
    if belt is not None:
        qs = qs.filter(belt=belt)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    return _with_card_data(qs).order_by("-created_at", "-id")


def listing_search(
    *,
    text: str = "",
    filters: ListingFilters | None = None,
    sort: str = "",
    cursor: str | None = None,
    page_size: int = 24,
    with_facets: bool = False,
    with_suppliers: bool = False,
) -> SearchResult:
    """The public listing search of the web page and the API: words (English, with spelling
    correction, and Chinese), filters, sort, one keyset page; facet counts and the matching
    suppliers when asked. A fixed number of queries however many rows match (see catalog.search
    for what each costs at a million listings). Raises InvalidCursor for a cursor we did not make."""
    filters = filters or ListingFilters()
    query = parse_text(text)
    sort = sort or ("relevance" if query else "newest")
    facets = facet_counts(query, filters) if with_facets else None
    matched = facets.matched if facets is not None and query and facets.exact else query.estimate
    page = search_page(
        _with_card_data(Listing.objects.all()),
        query,
        filters,
        sort=sort,
        cursor=cursor,
        page_size=page_size,
        matched=matched,
    )
    suppliers = supplier_list_matching(query) if with_suppliers and query else []
    return SearchResult(text=query, sort=sort, page=page, facets=facets, suppliers=suppliers)


def listing_get_for_viewer(*, pk: int, user: object) -> Listing:
    """One listing a buyer may see, or a draft its own supplier previews; 404 for anyone else."""
    listing = (
        listing_visible_to(user=user)
        .filter(pk=pk)
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


# --- Buyers browsing: belt page, home, listing page, compare -----------------------------------


def listing_visible_to(*, user: object) -> QuerySet[Listing]:
    """Listings `user` may open: every public one, plus its own supplier's drafts and archived
    ones (the preview). Anyone else gets nothing more, so another's draft answers 404."""
    visible = Q(pk__in=Listing.objects.public().values("pk"))
    supplier_id = (
        getattr(getattr(user, "supplier_membership", None), "supplier_id", None)
        if getattr(user, "is_authenticated", False)
        else None
    )
    if supplier_id:
        visible |= Q(supplier_id=supplier_id)
    return Listing.objects.filter(visible)


def listing_get_page_for_viewer(*, pk: int, user: object) -> Listing:
    """One listing with everything its public page shows, for whoever may see it (else 404).

    Five queries however many tiers, variants and pictures: the listing with its supplier, belt,
    category and production site; then tiers, variants and images.
    """
    listing = (
        listing_visible_to(user=user)
        .filter(pk=pk)
        .select_related("supplier", "supplier__belt", "category", "category__parent", "production_site")
        .prefetch_related(
            Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity")),
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "id")),
        )
        .first()
    )
    if listing is None:
        raise Http404("No such listing")
    return listing


def belt_get_for_page(*, slug: str) -> Belt:
    """One active belt with its live figures (certified suppliers, public listings, categories
    with a public listing), in one query; 404 if unknown or inactive."""
    categories = (
        Listing.objects.public()
        .filter(belt=OuterRef("pk"))
        .order_by()
        .values("belt")
        .annotate(n=Count("category", distinct=True))
        .values("n")[:1]
    )
    belt = (
        belt_list_with_counts()
        .annotate(category_count=Coalesce(Subquery(categories, output_field=IntegerField()), 0))
        .filter(slug=slug)
        .first()
    )
    if belt is None:
        raise Http404("No such belt")
    return belt


def category_top_for_belts(*, belt_ids: list[int], per_belt: int) -> dict[int, list[Category]]:
    """Each belt's categories with the most public listings, most first: belt id → categories
    carrying `listing_count`. One grouped query for any number of belts."""
    rows = (
        Listing.objects.public()
        .filter(belt_id__in=belt_ids)
        .order_by()
        .values("belt_id", "category_id", "category__slug", "category__name_en", "category__name_zh")
        .annotate(n=Count("pk"))
        .order_by("belt_id", "-n", "category__name_en")
    )
    top: dict[int, list[Category]] = {}
    for row in rows:
        chosen = top.setdefault(row["belt_id"], [])
        if len(chosen) < per_belt:
            category = Category(
                pk=row["category_id"],
                slug=row["category__slug"],
                name_en=row["category__name_en"],
                name_zh=row["category__name_zh"],
            )
            category.listing_count = row["n"]  # type: ignore[attr-defined]
            chosen.append(category)
    return top


def belt_list_for_home(*, per_belt: int = 3) -> list[Belt]:
    """Active belts with their live counts and what each makes: `top_categories`, its
    categories with the most public listings. Two queries however many belts."""
    belts = list(belt_list_with_counts())
    top = category_top_for_belts(belt_ids=[belt.pk for belt in belts], per_belt=per_belt)
    for belt in belts:
        belt.top_categories = top.get(belt.pk, [])  # type: ignore[attr-defined]
    return belts


def supplier_list_featured_for_belt(*, belt: Belt, limit: int = 6) -> QuerySet:
    """The belt's certified suppliers to feature: strongest certification first, then those with
    the most published listings. Each carries `public_listing_count`. One query."""
    rank = Case(
        *[When(certification_level=level, then=Value(i)) for i, level in enumerate(PUBLIC_LEVELS)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    return (
        _supplier_model()
        .objects.certified()
        .filter(belt=belt)
        .select_related("belt")
        .annotate(
            featured_rank=rank,
            # A certified supplier's published listings are its public ones; counted per supplier
            # from the partial index on public rows (index-only), not by joining every listing.
            public_listing_count=Coalesce(
                Subquery(
                    Listing.objects.filter(is_public=True, belt=belt, supplier=OuterRef("pk"))
                    .order_by()
                    .values("supplier")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("-featured_rank", "-public_listing_count", "name_en")[:limit]
    )


def listing_list_for_compare(*, ids: list[int]) -> list[Listing]:
    """The public listings among `ids`, in that order, with what the compare page shows. Five
    queries however many listings; a listing that stopped being public is simply not there."""
    listings = (
        Listing.objects.public()
        .filter(pk__in=ids)
        .select_related("supplier", "supplier__belt", "category", "production_site")
        .prefetch_related(
            Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity")),
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"), to_attr="image_list"),
        )
    )
    by_pk = {listing.pk: listing for listing in listings}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def listing_is_public(*, pk: int) -> bool:
    """Whether anyone may see listing `pk` (what may go on a compare list)."""
    return Listing.objects.public().filter(pk=pk).exists()
