"""Reads of the catalog, with their joins and prefetches applied, so views stay query-flat."""

from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db import router
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from belts.models import Belt, Category
from marketplace.filecheck.models import FileCheck
from marketplace.pagecache.pages import BeltOf
from suppliers.brand import brand_mark_subquery
from suppliers.models import Supplier
from suppliers.selectors import supplier_for_member

from ..figures import belt_figures_count
from ..models import BeltFigures, Listing, ListingCertificate, ListingImage, ListingVariant, PriceTier
from ..querysets import HS_CODE_EFFECTIVE
from ..search import ListingFilters, SearchResult, facet_counts, parse_text, search_page, supplier_list_matching


def _shown_images() -> "QuerySet[ListingImage]":
    """The pictures a listing shows: checked clean (marketplace.filecheck), in the supplier's order."""
    return ListingImage.objects.filter(file_check=FileCheck.CLEAN).order_by("position", "id")


def _with_figures(belts: Iterable[Belt]) -> list[Belt]:
    """The belts, each carrying its counted figures as `certified_supplier_count`, `listing_count`,
    `category_count` and `figures` (see catalog.figures). A belt never counted yet (new, or a
    database just migrated) is counted now, once."""
    belts = list(belts)
    missing = [belt.pk for belt in belts if _figures_of(belt) is None]
    counted: dict[int, BeltFigures] = {}
    if missing:
        belt_figures_count(belt_ids=missing)
        counted = BeltFigures.objects.in_bulk(missing)
    for belt in belts:
        figures = _figures_of(belt) or counted.get(belt.pk) or BeltFigures(belt=belt)
        belt.figures = figures
        belt.certified_supplier_count = figures.certified_suppliers  # type: ignore[attr-defined]
        belt.listing_count = figures.listings  # type: ignore[attr-defined]
        belt.category_count = figures.categories  # type: ignore[attr-defined]
    return belts


def _figures_of(belt: Belt) -> BeltFigures | None:
    try:
        return belt.figures
    except BeltFigures.DoesNotExist:
        return None


def belt_list_with_counts() -> list[Belt]:
    """Active belts with their figures (certified suppliers, public listings, categories), in one
    query: the figures are counted by a job, not per view."""
    return _with_figures(Belt.objects.active().select_related("figures"))


def belt_get_public(*, slug: str) -> Belt:
    """One active belt with its figures, or 404."""
    belts = _with_figures(Belt.objects.active().select_related("figures").filter(slug=slug))
    if not belts:
        raise Http404("No such belt")
    return belts[0]


# Wide columns no card shows: the search vector (~2 kB, mostly out of line), descriptions and
# specifications. Left out of card queries, a page of 24 cards reads ~100 kB less.
CARD_DEFERRED = (
    "search_vector", "description_en", "description_zh", "specifications", "customisation_en", "customisation_zh",
    "supplier__description_en", "supplier__description_zh", "supplier__registered_address",
    "supplier__legal_representative", "supplier__belt__story_en",
    "supplier__belt__story_zh",
)  # fmt: skip


def with_brand_mark(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """Each listing with `brand_licence`, the regional-brand mark it shows today (suppliers.brand,
    read through `Listing.brand_mark`), in the same row: no query of its own."""
    return qs.annotate(brand_licence=brand_mark_subquery(today=timezone.localdate()))


def _shown_certificates() -> "QuerySet[ListingCertificate]":
    """The certificates a listing shows: documents checked clean, valid ones first (validity is
    read when shown: `ListingCertificate.is_valid`)."""
    return ListingCertificate.objects.filter(file_check=FileCheck.CLEAN).order_by("-valid_until", "kind", "id")


def _trade_annotations() -> dict[str, Any]:
    """The effective HS code (`HS_CODE_EFFECTIVE`) and the kinds of the certificates valid today,
    sorted (`valid_certificate_kinds`), computed in the listing's own row."""
    valid = (
        ListingCertificate.objects.filter(listing=OuterRef("pk"))
        .valid_on(timezone.localdate())
        .order_by("kind")
        .distinct("kind")
    )
    return {"hs_code_effective": HS_CODE_EFFECTIVE, "valid_certificate_kinds": ArraySubquery(valid.values("kind"))}


def _with_card_data(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    """What a listing card shows: supplier, belt, category, first image, its regional-brand mark,
    and its price tiers as two arrays in the same row (`tier_quantities`, `tier_prices`, rising
    quantity: the card's price range, catalog.prices), read through the tiers' unique (listing,
    quantity) index with no query of their own. The price basis is the row's own; the effective HS
    code and the kinds of its valid certificates (`valid_certificate_kinds`, the API's list) come in
    the same row too."""
    tiers = PriceTier.objects.filter(listing=OuterRef("pk")).order_by("min_quantity")
    return (
        with_brand_mark(qs.select_related("supplier", "supplier__belt", "category"))
        .defer(*CARD_DEFERRED)
        .annotate(
            tier_quantities=ArraySubquery(tiers.values("min_quantity")),
            tier_prices=ArraySubquery(tiers.values("unit_price")),
            **_trade_annotations(),
        )
        .prefetch_related(Prefetch("images", queryset=_shown_images(), to_attr="image_list"))
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


def belt_listing_count_in_categories(*, categories: Sequence[int]) -> Coalesce:
    """Over a belt row (OuterRef("pk")): its public listings in `categories` or their
    subcategories. Provided to suppliers.hooks.belt_listing_count for the application's belt step."""
    listings = Listing.objects.public().filter(
        Q(category__in=categories) | Q(category__parent__in=categories), supplier__belt=OuterRef("pk")
    )
    return Coalesce(
        Subquery(
            listings.order_by().values("supplier__belt").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def listing_list_for_supplier_dashboard(*, supplier: Supplier) -> QuerySet[Listing]:
    """Every listing of the supplier, any status, for its own dashboard."""
    return (
        Listing.objects.for_supplier(supplier)
        .select_related("category")
        .annotate(
            tier_count=Count("tiers", distinct=True),
            image_count=Count("images", distinct=True, filter=Q(images__file_check=FileCheck.CLEAN)),
        )
        .order_by("-updated_at", "-id")
    )


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
    # One database for every query of the search, raw SQL included: the replica for an anonymous
    # visitor when there is one (marketplace.dbrouter), else the primary.
    using = router.db_for_read(Listing)
    query = parse_text(text, belt=filters.belt, using=using)
    sort = sort or ("relevance" if query else "newest")
    facets = facet_counts(query, filters, using=using) if with_facets else None
    matched = facets.matched if facets is not None and query and facets.exact else query.estimate
    page = search_page(
        _with_card_data(Listing.objects.using(using)),
        query,
        filters,
        sort=sort,
        cursor=cursor,
        page_size=page_size,
        matched=matched,
        facets=facets,
    )
    suppliers = supplier_list_matching(query, using=using) if with_suppliers and query else []
    return SearchResult(text=query, sort=sort, page=page, facets=facets, suppliers=suppliers)


def listing_get_for_viewer(*, pk: int, user: User | AnonymousUser) -> Listing:
    """One listing a buyer may see, or a draft its own supplier previews; 404 for anyone else."""
    listing = (
        with_brand_mark(listing_visible_to(user=user).filter(pk=pk))
        .annotate(**_trade_annotations())
        .select_related("supplier", "supplier__belt", "category", "category__parent")
        .prefetch_related(
            "tiers",
            Prefetch("images", queryset=_shown_images()),
            Prefetch("certificates", queryset=_shown_certificates()),
        )
        .first()
    )
    if listing is None:
        raise Http404("No such listing")
    return listing


# --- Buyers browsing: belt page, home, listing page, compare -----------------------------------


def listing_visible_to(*, user: User | AnonymousUser) -> QuerySet[Listing]:
    """Listings `user` may open: every public one, plus its own supplier's drafts and archived
    ones (the preview). Anyone else gets nothing more, so another's draft answers 404."""
    visible = Q(pk__in=Listing.objects.public().values("pk"))
    supplier = supplier_for_member(user=user)
    if supplier is not None:
        visible |= Q(supplier=supplier)
    return Listing.objects.filter(visible)


def listing_get_page_for_viewer(*, pk: int, user: User | AnonymousUser) -> Listing:
    """One listing with everything its public page shows, for whoever may see it (else 404).

    Six queries however many tiers, variants, pictures and certificates: the listing with its
    supplier, belt, category, production site and effective HS code; then tiers, variants, images
    and certificates.
    """
    listing = (
        with_brand_mark(listing_visible_to(user=user).filter(pk=pk))
        .annotate(**_trade_annotations())
        .select_related(
            "supplier", "supplier__belt", "supplier__figures", "category", "category__parent", "production_site"
        )
        .prefetch_related(
            Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity")),
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("images", queryset=_shown_images()),
            Prefetch("certificates", queryset=_shown_certificates()),
        )
        .first()
    )
    if listing is None:
        raise Http404("No such listing")
    return listing


def category_top_for_belts(*, belts: Sequence[Belt], per_belt: int) -> dict[int, list[Category]]:
    """Each belt's categories with the most public listings, most first (from its counted figures):
    belt id → categories carrying `listing_count`. One query however many belts."""
    wanted = {belt.pk: belt.figures.top_categories[:per_belt] for belt in belts}
    categories = Category.objects.in_bulk({pk for top in wanted.values() for pk, _n in top})
    top: dict[int, list[Category]] = {}
    for belt_id, rows in wanted.items():
        chosen = top.setdefault(belt_id, [])
        for pk, n in rows:
            if pk in categories:
                category = copy(categories[pk])
                category.listing_count = n  # type: ignore[attr-defined]
                chosen.append(category)
    return top


def belt_list_for_home(*, per_belt: int = 3) -> list[Belt]:
    """Active belts with their figures and what each makes: `top_categories`, its categories with
    the most public listings. Two queries however many belts."""
    belts = belt_list_with_counts()
    top = category_top_for_belts(belts=belts, per_belt=per_belt)
    for belt in belts:
        belt.top_categories = top.get(belt.pk, [])  # type: ignore[attr-defined]
    return belts


def supplier_list_featured_for_belt(*, belt: Belt, limit: int = 6) -> list[Supplier]:
    """The belt's certified suppliers to feature, in the order its figures give (strongest
    certification first, then those with the most public listings). Each carries
    `public_listing_count`. One query; a supplier no longer certified is left out."""
    featured = belt.figures.featured_suppliers[:limit]
    ids = [pk for pk, _n in featured]
    found = Supplier.objects.certified().filter(pk__in=ids).select_related("belt").in_bulk()
    suppliers = []
    for pk, n in featured:
        if pk in found:
            found[pk].public_listing_count = n  # type: ignore[attr-defined]
            suppliers.append(found[pk])
    return suppliers


def listing_list_for_compare(*, ids: list[int]) -> list[Listing]:
    """The public listings among `ids`, in that order, with what the compare page shows. Five
    queries however many listings; a listing that stopped being public is simply not there."""
    listings = (
        with_brand_mark(Listing.objects.public().filter(pk__in=ids))
        .select_related("supplier", "supplier__belt", "category", "production_site")
        .prefetch_related(
            Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity")),
            Prefetch("variants", queryset=ListingVariant.objects.order_by("position", "id")),
            Prefetch("images", queryset=_shown_images(), to_attr="image_list"),
        )
    )
    by_pk = {listing.pk: listing for listing in listings}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def listing_is_public(*, pk: int) -> bool:
    """Whether anyone may see listing `pk` (what may go on a compare list)."""
    return Listing.objects.public().filter(pk=pk).exists()


def listing_page_scopes(*, pk: int) -> BeltOf:
    """The scopes of listing `pk`'s page and API answer (marketplace.pagecache): its belt's."""
    return BeltOf("SELECT b.slug FROM catalog_listing l JOIN belts_belt b ON b.id = l.belt_id WHERE l.id = %s", (pk,))


def listing_certificate_document_for_viewer(
    *, pk: int, certificate_id: int, user: User | AnonymousUser
) -> ListingCertificate:
    """A certificate whose checked document `user` may download: of a listing they may see (public,
    or their own supplier's), with a clean document. 404 otherwise: pending and refused documents
    are never served."""
    certificate = (
        ListingCertificate.objects.filter(
            pk=certificate_id, listing_id=pk, listing__in=listing_visible_to(user=user), file_check=FileCheck.CLEAN
        )
        .exclude(document="")
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate")
    return certificate
