"""What `seed_demo` prints: a line per belt, the world's totals with what this run wrote, and the
demo logins."""

from collections import Counter

from django.core.management.color import Style

from belts.models import Belt, Category
from catalog.models import Listing, ListingImage
from demo.world import World
from suppliers.models import AuditChecklist, CertificationLevel, ProductionSite, Supplier, SupplierDocument


def belt_line(position: int, count: int, belt: Belt, *, written: int) -> str:
    suppliers = Supplier.objects.filter(belt=belt)
    certified = suppliers.filter(status=Supplier.Status.CERTIFIED).count()
    listings = Listing.objects.filter(supplier__belt=belt)
    images = ListingImage.objects.filter(listing__supplier__belt=belt).count()
    return (
        f"Belt {position + 1}/{count} {belt.slug}: {suppliers.count()} suppliers "
        f"({certified} certified), {listings.count()} listings, {images} images"
        f" ({written} rows written)"
    )


def summary(world: World, tally: Counter[str], seconds: float, *, style: Style) -> str:
    belt_slugs = [belt["slug"] for belt in world.belts]
    suppliers = Supplier.objects.filter(belt__slug__in=belt_slugs)
    by_level = Counter(
        supplier.certification_level if supplier.status == Supplier.Status.CERTIFIED else supplier.status
        for supplier in suppliers.only("status", "certification_level")
    )
    order = [*reversed(CertificationLevel.values), *Supplier.Status.values]
    levels = ", ".join(f"{key} {by_level[key]}" for key in order if by_level[key])
    listings = Listing.objects.filter(supplier__belt__slug__in=belt_slugs)
    images = ListingImage.objects.filter(listing__in=listings).count()
    sites = ProductionSite.objects.filter(supplier__in=suppliers)
    documents = SupplierDocument.objects.filter(supplier__in=suppliers).count()
    lines = [
        style.SUCCESS(
            f"Demo world: {len(belt_slugs)} belts, {Category.objects.count()} categories, "
            f"{suppliers.count()} suppliers ({levels}), {listings.count()} listings, {images} images."
        ),
        f"Evidence: {sites.count()} production sites ({sites.filter(is_verified=True).count()} verified), "
        f"{documents} documents (private), {AuditChecklist.objects.count()} audit checklists; "
        f"check a badge at /verify/.",
    ]
    if tally:
        done = ", ".join(f"{count} {what}" for what, count in sorted(tally.items()))
        lines.append(f"This run, in {seconds:.1f} s: {done}.")
    else:
        lines.append(f"This run, in {seconds:.1f} s: nothing to do, the demo world was already seeded.")
    return "\n".join(lines)


def login_lines(world: World) -> list[str]:
    """The logins as an aligned table: header, rule, one row per account."""
    header = ("email", "password", "role", "what they see")
    rows = [header] + [(a["email"], world.password, a["role"], a["sees"]) for a in world.accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return [lines[0], "  ".join("-" * width for width in widths), *lines[1:]]
