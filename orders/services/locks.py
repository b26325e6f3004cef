"""Row locks of the trade in one place, each taken in one fixed order so two transactions never
wait on each other in a circle (Saleor's `lock_objects.py`)."""

from collections.abc import Iterable

from django.db import connection

from catalog.models import Listing, ListingVariant

from ..models import OrderLine

StockKey = tuple[int, int | None]  # (listing id, variant id or None for the listing's own stock)


def stock_rows_lock(keys: Iterable[StockKey]) -> tuple[dict[int, Listing], dict[int, ListingVariant]]:
    """Lock the listing and variant rows holding the spot stock of `keys`, and return them by id.

    The order is fixed for everyone who touches stock (placing, cancelling): all listing rows
    first, by id, then all variant rows by (listing id, id). Two checkouts of overlapping items
    therefore queue behind each other instead of deadlocking. Two queries whatever the count.
    """
    keys = sorted(set(keys), key=lambda k: (k[0], k[1] or 0))
    listing_ids = sorted({listing_id for listing_id, variant_id in keys if variant_id is None})
    variant_ids = sorted({variant_id for _, variant_id in keys if variant_id is not None})
    listings: dict[int, Listing] = {}
    variants: dict[int, ListingVariant] = {}
    if listing_ids:
        rows = Listing.objects.select_for_update(of=("self",)).filter(pk__in=listing_ids).order_by("pk")
        listings = {row.pk: row for row in rows.only("pk", "spot_stock", "title_en", "title_zh")}
    if variant_ids:
        locked = ListingVariant.objects.select_for_update().filter(pk__in=variant_ids).order_by("listing_id", "pk")
        variants = {row.pk: row for row in locked}
    return listings, variants


# The statuses of a sample order whose fee was paid (the supplier marked it paid, or went on).
SAMPLE_PAID_STATUSES = ("paid", "shipped", "delivered", "completed")


def sample_lines_lock(*, buyer_id: int, listing_ids: Iterable[int]) -> list[OrderLine]:
    """Lock the buyer's paid sample lines of `listing_ids` whose fee was not credited yet, oldest
    first. Paid: the supplier recorded the payment (paid, shipped, delivered or completed); a
    sample still unpaid, or cancelled, credits nothing.

    A second bulk order placed at the same moment waits here, then (PostgreSQL re-checks the WHERE
    on the row it waited for) no longer sees a line the first one credited.
    """
    return list(
        OrderLine.objects.select_for_update(of=("self",))
        .filter(
            order__buyer_id=buyer_id,
            order__kind="sample",
            listing_id__in=list(listing_ids),
            credited_to__isnull=True,
            order__status__in=SAMPLE_PAID_STATUSES,
        )
        .select_related("order")
        .order_by("order__created_at", "pk")
    )


# pg_advisory_xact_lock's first key for a person's cart (the second is the user id).
CART_LOCK_SPACE = 0x43415254  # "CART"


def cart_lock(*, user_id: int) -> None:
    """Hold `user_id`'s cart until the transaction ends: two adds or updates of one cart (a double
    click, two tabs) run one after the other, each judging the lines the other left."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CART_LOCK_SPACE, user_id])
