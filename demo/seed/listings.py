"""The demo's listings: each with its price tiers, its trade details (specifications, variants,
MOQ rules, production site) and, for every third, a picture through `listing_image_create` (so
the demo queues the same thumbnail jobs as real use)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from belts.models import Belt, Category
from catalog.certificates import listing_certificate_add
from catalog.models import Listing, ListingCertificate, ListingVariant, PriceTier
from catalog.pictures import listing_image_create
from catalog.tradedata import CertificateKind
from demo.seed.pictures import export_certificate_pdf, listing_picture
from demo.seed.run import Run, pick
from marketplace.filecheck.services import file_check
from suppliers.models import Supplier

IMAGE_EVERY = 3  # every third listing gets a picture: enough to look real, few enough to seed fast
LISTING_FIELDS = (
    "title_en",
    "title_zh",
    "description_en",
    "description_zh",
    "unit",
    "currency",
    "moq",
    "lead_time_days",
    "monthly_capacity",
)


def listing_sync(
    run: Run,
    data: dict[str, Any],
    supplier: Supplier,
    categories: dict[str, Category],
    *,
    number: int,
    sites: dict[str, int],
    trade: dict[str, Any] | None = None,
    province: str = "",
) -> Listing:
    sample_price = data["sample_price"]
    details = run.world.listing_details.get(data["sku"], {})
    values = {
        **pick(data, *LISTING_FIELDS),
        **_listing_detail_values(details, sites),
        **_listing_trade_values({**(trade or {}), **details.get("trade", {})}, province),
        "category_id": categories[data["category"]].pk,
        "status": Listing.Status.PUBLISHED,
        "sample_available": sample_price is not None,
        "sample_price": Decimal(sample_price) if sample_price is not None else None,
    }
    # Spread publication over the last three months so "newest first" has an order to show.
    published_at = timezone.now() - datetime.timedelta(days=(number * 7) % 90, hours=number)
    listing = run.sync(
        Listing,
        {"supplier_id": supplier.pk, "sku": data["sku"]},
        values,
        create_only={"published_at": published_at},
    )
    if listing.published_at is None:
        listing.published_at = published_at
        listing.save(update_fields=["published_at", "updated_at"])
        run.tally["updated listing"] += 1
    _tiers(run, listing, data["tiers"])
    return listing


def _tiers(run: Run, listing: Listing, tiers: list[tuple[int, str]]) -> None:
    """Replace the listing's tiers only when they differ from the data (the usual case: they match)."""
    wanted = [(quantity, Decimal(price)) for quantity, price in tiers]
    current = list(listing.tiers.order_by("min_quantity").values_list("min_quantity", "unit_price"))
    if current == wanted:
        return
    listing.tiers.all().delete()
    PriceTier.objects.bulk_create(
        PriceTier(listing=listing, min_quantity=quantity, unit_price=price) for quantity, price in wanted
    )
    run.tally["created price tier"] += len(wanted)


def variants_sync(run: Run, listing: Listing, current: list[tuple]) -> None:
    """The listing's sizes, colours and models from its details, rewritten only when they differ."""
    wanted = [
        (v.get("sku", ""), v.get("size", ""), v.get("colour", ""), v.get("model", ""), v.get("moq"), position)
        for position, v in enumerate(run.world.listing_details.get(listing.sku, {}).get("variants", []))
    ]
    if current == wanted:
        return
    listing.variants.all().delete()
    ListingVariant.objects.bulk_create(
        ListingVariant(listing=listing, sku=sku, size=size, colour=colour, model=model, moq=moq, position=position)
        for sku, size, colour, model, moq, position in wanted
    )
    run.tally["created listing variant"] += len(wanted)


def image_create(run: Run, listing: Listing, supplier: Supplier, belt: Belt, colours: tuple[str, str]) -> None:
    picture = listing_picture(title=listing.title_en, brand=belt.brand_en, caption=supplier.name_en, colours=colours)
    upload = SimpleUploadedFile(f"{listing.sku.lower()}.jpg", picture, content_type="image/jpeg")
    listing_image_create(listing=listing, upload=upload, alt_text=listing.title_en[:200])
    run.tally["created listing image"] += 1


def _listing_trade_values(trade: dict[str, Any], province: str) -> dict[str, Any]:
    """A listing's cross-border data: its belt's `listing_trade` with the listing's own `trade` over it;
    made in China, in its belt's province."""
    incoterm, place = trade.get("price_basis", ["EXW", ""])
    return {
        "hs_code": trade.get("hs_code", ""),
        "origin_country": "CN",
        "origin_region": province,
        "export_markets": list(trade.get("export_markets", [])),
        "price_incoterm": incoterm,
        "price_incoterm_place": place,
    }


def certificate_kinds_by_listing() -> dict[int, set[str]]:
    """The kinds of certificate each listing holds, in one query for the whole world."""
    held: dict[int, set[str]] = {}
    for listing_id, kind in ListingCertificate.objects.values_list("listing_id", "kind"):
        held.setdefault(listing_id, set()).add(kind)
    return held


def certificates_sync(run: Run, listing: Listing, trade: dict[str, Any] | None, held: set[str]) -> None:
    """The belt's certificates for export on the listing (numbered per SKU), each with a generated
    PDF of the certificate, checked here as the worker would. A listing that has a certificate
    of a kind keeps it: a second seed adds nothing."""
    today = timezone.localdate()
    for certificate in (trade or {}).get("certificates", []):
        if certificate["kind"] in held:
            continue
        number = f"{certificate['number']}{listing.sku}"
        valid_until = today + datetime.timedelta(days=certificate["until"])
        document = export_certificate_pdf(
            title=str(CertificateKind(certificate["kind"]).label),
            number=number,
            holder=listing.title_en or listing.sku,
            issuer=certificate["issuer"],
            valid_until=valid_until,
        )
        added = listing_certificate_add(
            listing=listing,
            actor=None,
            kind=certificate["kind"],
            number=number,
            issuer=certificate["issuer"],
            valid_until=valid_until,
            upload=SimpleUploadedFile(f"{certificate['kind']}.pdf", document),
        )
        file_check(kind="listing_certificate", pk=added.pk)  # the worker's check, run here
        run.tally["created certificate for export"] += 1


def _listing_detail_values(details: dict[str, Any], sites: dict[str, int]) -> dict[str, Any]:
    """A listing's trade details (its `details` in the data), as model fields; its production site by name
    (the supplier's first site when the data names none)."""
    customisation_en, customisation_zh = details.get("customisation", ("", ""))
    site = details.get("site")
    return {
        "moq_mode": details.get("moq_mode", Listing.MoqMode.MIXED),
        "order_multiple": details.get("order_multiple", 1),
        "oem": details.get("oem", False),
        "odm": details.get("odm", False),
        "customisation_en": customisation_en,
        "customisation_zh": customisation_zh,
        "sample_fee_credited": details.get("sample_fee_credited", False),
        "specifications": [{"name_en": en, "name_zh": zh, "value": v} for en, zh, v in details.get("specs", [])],
        "production_site_id": sites[site] if site else next(iter(sites.values()), None),
    }


def variants_by_listing(supplier: Supplier) -> dict[int, list[tuple]]:
    """Each of the supplier's listings' variants as comparable rows, in one query."""
    rows = ListingVariant.objects.filter(listing__supplier=supplier).order_by("listing_id", "position", "id")
    grouped: dict[int, list[tuple]] = {}
    for listing_id, *row in rows.values_list("listing_id", "sku", "size", "colour", "model", "moq", "position"):
        grouped.setdefault(listing_id, []).append(tuple(row))
    return grouped
