"""Seed the demo world: belts, categories, suppliers at several certification levels, listings, logins.

Safe to run again: every row is found by its natural key (slug, email, supplier + SKU) and only
written when it is missing or differs from `orders/demo_data.py`, so a second run writes nothing.
Certification goes through `supplier_certify` and pictures through `listing_image_create`, so
the demo carries the same audit events and thumbnail jobs as real use.
"""

import datetime
import io
import textwrap
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, ImageColor, ImageDraw, ImageFont
from stdnum.cn import uscc as uscc_number

from accounts.models import User
from buyers.models import BuyerCompany, BuyerMember
from catalog.models import Belt, Category, Listing, ListingImage, PriceTier
from catalog.services import listing_image_create
from orders import demo_data
from suppliers.models import BeltOperator, CertificationLevel, Supplier, SupplierMember
from suppliers.services import supplier_certify

IMAGE_SIZE = (800, 600)
IMAGE_EVERY = 3  # every third listing gets a picture: enough to look real, few enough to seed fast
# Pillow's default font has no glyph for these; draw the ASCII look-alike instead of a box.
FONT_FALLBACKS = str.maketrans({"×": "x", "²": "2", "–": "-", "—": "-", "≥": ">=", "·": "-"})

# Fields copied as they are from demo_data onto the model.
BELT_FIELDS = (
    "name_en",
    "name_zh",
    "brand_en",
    "brand_zh",
    "province",
    "city_en",
    "city_zh",
    "industry_en",
    "industry_zh",
    "story_en",
    "story_zh",
)
SUPPLIER_FIELDS = (
    "name_en",
    "name_zh",
    "uscc",
    "business_type",
    "city_en",
    "city_zh",
    "description_en",
    "description_zh",
    "year_founded",
    "staff_count",
    "factory_area_m2",
)
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


class Command(BaseCommand):
    help = "Create the demo world (belts, suppliers, listings, demo logins). Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print no progress (errors still go to stderr).")

    def handle(self, *args: Any, **options: Any) -> None:
        self.quiet = options["quiet"] or options["verbosity"] == 0
        self.tally: Counter[str] = Counter()
        _check_demo_data()
        started = timezone.now()
        # One transaction: a failure halfway leaves no half-seeded world. Thumbnail jobs are queued
        # by `listing_image_create` on commit, so the worker only ever sees committed images.
        with transaction.atomic():
            self._seed()
        seconds = (timezone.now() - started).total_seconds()
        self._progress(self._summary(seconds))
        self._print_logins()

    # --- seeding ---------------------------------------------------------------------------------

    def _seed(self) -> None:
        users = {account["email"]: self._user(account) for account in demo_data.DEMO_ACCOUNTS}
        admin = users["admin@demo.test"]
        categories, colours = self._categories()
        self._progress(f"Categories: {len(categories)} in {len(demo_data.CATEGORIES)} industries")

        today = timezone.localdate()
        valid_until = today + datetime.timedelta(days=demo_data.CERTIFICATION_VALID_DAYS)
        listing_number = 0
        belts: dict[str, Belt] = {}
        suppliers: dict[str, Supplier] = {}
        for position, belt_data in enumerate(demo_data.BELTS):
            before = self.tally.total()
            belt = self._belt(belt_data, position)
            belts[belt.slug] = belt
            for supplier_data in belt_data["suppliers"]:
                supplier = self._supplier(supplier_data, belt, actor=admin, valid_until=valid_until)
                suppliers[supplier.slug] = supplier
                for listing_data in supplier_data["listings"]:
                    listing_number += 1
                    listing = self._listing(listing_data, supplier, categories, number=listing_number)
                    if listing_number % IMAGE_EVERY == 1 and not listing.images.exists():
                        colour_pair = colours[listing_data["category"]]
                        self._image(listing, supplier, belt, colour_pair)
            self._progress(self._belt_line(position, belt, written=self.tally.total() - before))

        first_supplier = suppliers[demo_data.BELTS[0]["suppliers"][0]["slug"]]
        self._accounts(users, first_supplier=first_supplier, operator_belt=belts[demo_data.OPERATOR["belt"]])

    def _user(self, account: dict[str, Any]) -> User:
        """The demo login, active, with its role and the demo password (reset if someone changed it)."""
        is_staff = account["role"] == User.Role.STAFF
        values = {
            "role": account["role"],
            "full_name": account["full_name"],
            "is_active": True,
            "is_staff": is_staff,
            "is_superuser": is_staff,
        }
        user = User.objects.filter(email=account["email"]).first()
        if user is None:
            self.tally["created user"] += 1
            return User.objects.create_user(account["email"], demo_data.DEMO_PASSWORD, **values)
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        if not user.check_password(demo_data.DEMO_PASSWORD):
            user.set_password(demo_data.DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
            self.tally["updated user"] += 1
        return user

    def _categories(self) -> tuple[dict[str, Category], dict[str, tuple[str, str]]]:
        """The two-level tree; returns leaves and roots by slug, and each slug's picture colours."""
        categories: dict[str, Category] = {}
        colours: dict[str, tuple[str, str]] = {}
        for position, root_data in enumerate(demo_data.CATEGORIES):
            root = self._sync(
                Category,
                {"slug": root_data["slug"]},
                {"parent_id": None, **_pick(root_data, "name_en", "name_zh"), "position": position},
            )
            categories[root.slug] = root
            colours[root.slug] = root_data["colours"]
            for child_position, child_data in enumerate(root_data["children"]):
                child = self._sync(
                    Category,
                    {"slug": child_data["slug"]},
                    {"parent_id": root.pk, **_pick(child_data, "name_en", "name_zh"), "position": child_position},
                )
                categories[child.slug] = child
                colours[child.slug] = root_data["colours"]
        return categories, colours

    def _belt(self, data: dict[str, Any], position: int) -> Belt:
        fields = _pick(data, *BELT_FIELDS)
        return self._sync(Belt, {"slug": data["slug"]}, {**fields, "position": position, "is_active": True})

    def _supplier(self, data: dict[str, Any], belt: Belt, *, actor: User, valid_until: datetime.date) -> Supplier:
        """The company row, then its certification through the service (only if not yet certified).

        Status and level are the service's to write, so an existing supplier's status is left alone:
        an admin who rejects a demo supplier is not overruled by the next seed.
        """
        fields = _pick(data, *SUPPLIER_FIELDS)
        supplier = self._sync(
            Supplier,
            {"slug": data["slug"]},
            {**fields, "belt_id": belt.pk, "province": belt.province},
            create_only={"status": data.get("status") or Supplier.Status.UNDER_VERIFICATION},
        )
        level = data["certification"]
        if level and supplier.status != Supplier.Status.CERTIFIED:
            supplier = supplier_certify(
                supplier=supplier,
                level=level,
                actor=actor,
                valid_until=valid_until,
                reason=demo_data.CERTIFICATION_REASON,
            )
            self.tally["certified supplier"] += 1
        return supplier

    def _listing(
        self, data: dict[str, Any], supplier: Supplier, categories: dict[str, Category], *, number: int
    ) -> Listing:
        sample_price = data["sample_price"]
        values = {
            **_pick(data, *LISTING_FIELDS),
            "category_id": categories[data["category"]].pk,
            "status": Listing.Status.PUBLISHED,
            "sample_available": sample_price is not None,
            "sample_price": Decimal(sample_price) if sample_price is not None else None,
        }
        # Spread publication over the last three months so "newest first" has an order to show.
        published_at = timezone.now() - datetime.timedelta(days=(number * 7) % 90, hours=number)
        listing = self._sync(
            Listing,
            {"supplier_id": supplier.pk, "sku": data["sku"]},
            values,
            create_only={"published_at": published_at},
        )
        if listing.published_at is None:
            listing.published_at = published_at
            listing.save(update_fields=["published_at", "updated_at"])
            self.tally["updated listing"] += 1
        self._tiers(listing, data["tiers"])
        return listing

    def _tiers(self, listing: Listing, tiers: list[tuple[int, str]]) -> None:
        """Replace the listing's tiers only when they differ from the data (the usual case: they match)."""
        wanted = [(quantity, Decimal(price)) for quantity, price in tiers]
        current = list(listing.tiers.order_by("min_quantity").values_list("min_quantity", "unit_price"))
        if current == wanted:
            return
        listing.tiers.all().delete()
        PriceTier.objects.bulk_create(
            PriceTier(listing=listing, min_quantity=quantity, unit_price=price) for quantity, price in wanted
        )
        self.tally["created price tier"] += len(wanted)

    def _image(self, listing: Listing, supplier: Supplier, belt: Belt, colours: tuple[str, str]) -> None:
        picture = _listing_picture(
            title=listing.title_en, brand=belt.brand_en, caption=supplier.name_en, colours=colours
        )
        upload = SimpleUploadedFile(f"{listing.sku.lower()}.jpg", picture, content_type="image/jpeg")
        listing_image_create(listing=listing, upload=upload, alt_text=listing.title_en[:200])
        self.tally["created listing image"] += 1

    def _accounts(self, users: dict[str, User], *, first_supplier: Supplier, operator_belt: Belt) -> None:
        """Tie the demo logins to what they act for: a buying company, a supplier, a belt."""
        company_data = demo_data.BUYER_COMPANY
        company = self._sync(
            BuyerCompany, {"name": company_data["name"]}, _pick(company_data, "country", "business_type")
        )
        self._sync(BuyerMember, {"user_id": users["buyer@demo.test"].pk}, {"company_id": company.pk})
        self._sync(
            SupplierMember,
            {"user_id": users["supplier@demo.test"].pk},
            {"supplier_id": first_supplier.pk, "role": SupplierMember.Role.OWNER},
        )
        self._sync(
            BeltOperator,
            {"belt_id": operator_belt.pk, "user_id": users["operator@demo.test"].pk},
            {"organisation": demo_data.OPERATOR["organisation"]},
        )

    def _sync[M: models.Model](
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any],
        *,
        create_only: dict[str, Any] | None = None,
    ) -> M:
        """Find the row by `lookup`; create it, or save only the fields that differ (usually none).

        Unlike `update_or_create`, an unchanged row is not written at all, so `auto_now` stamps
        stay put and a second seed really changes nothing.
        """
        name = model._meta.verbose_name
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            self.tally[f"created {name}"] += 1
            return model._default_manager.create(**lookup, **values, **(create_only or {}))
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            obj.save(update_fields=changed + auto_now)
            self.tally[f"updated {name}"] += 1
        return obj

    # --- output ----------------------------------------------------------------------------------

    def _progress(self, line: str) -> None:
        if not self.quiet:
            self.stdout.write(line)

    def _belt_line(self, position: int, belt: Belt, *, written: int) -> str:
        suppliers = Supplier.objects.filter(belt=belt)
        certified = suppliers.filter(status=Supplier.Status.CERTIFIED).count()
        listings = Listing.objects.filter(supplier__belt=belt)
        images = ListingImage.objects.filter(listing__supplier__belt=belt).count()
        return (
            f"Belt {position + 1}/{len(demo_data.BELTS)} {belt.slug}: {suppliers.count()} suppliers "
            f"({certified} certified), {listings.count()} listings, {images} images"
            f" ({written} rows written)"
        )

    def _summary(self, seconds: float) -> str:
        belt_slugs = [belt["slug"] for belt in demo_data.BELTS]
        suppliers = Supplier.objects.filter(belt__slug__in=belt_slugs)
        by_level = Counter(
            supplier.certification_level if supplier.status == Supplier.Status.CERTIFIED else supplier.status
            for supplier in suppliers.only("status", "certification_level")
        )
        order = [*reversed(CertificationLevel.values), *Supplier.Status.values]
        levels = ", ".join(f"{key} {by_level[key]}" for key in order if by_level[key])
        listings = Listing.objects.filter(supplier__belt__slug__in=belt_slugs)
        images = ListingImage.objects.filter(listing__in=listings).count()
        lines = [
            self.style.SUCCESS(
                f"Demo world: {len(belt_slugs)} belts, {Category.objects.count()} categories, "
                f"{suppliers.count()} suppliers ({levels}), {listings.count()} listings, {images} images."
            )
        ]
        if self.tally:
            done = ", ".join(f"{count} {what}" for what, count in sorted(self.tally.items()))
            lines.append(f"This run, in {seconds:.1f} s: {done}.")
        else:
            lines.append(f"This run, in {seconds:.1f} s: nothing to do, the demo world was already seeded.")
        return "\n".join(lines)

    def _print_logins(self) -> None:
        """The table `make run` shows on start; printed even with --quiet because it is the point."""
        header = ("email", "password", "role", "what they see")
        rows = [header] + [(a["email"], demo_data.DEMO_PASSWORD, a["role"], a["sees"]) for a in demo_data.DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        rule = "  ".join("-" * width for width in widths)
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write(rule)


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data[key] for key in keys}


def _check_demo_data() -> None:
    """Refuse to seed data that breaks the marketplace's rules, with every problem listed at once."""
    problems: list[str] = []
    leaves = {child["slug"] for root in demo_data.CATEGORIES for child in root["children"]}
    usccs: set[str] = set()
    supplier_slugs: set[str] = set()
    for belt in demo_data.BELTS:
        for supplier in belt["suppliers"]:
            slug = supplier["slug"]
            if slug in supplier_slugs:
                problems.append(f"supplier slug {slug} is used twice")
            supplier_slugs.add(slug)
            if not uscc_number.is_valid(supplier["uscc"]):
                problems.append(f"{slug}: USCC {supplier['uscc']} is not valid")
            if supplier["uscc"] in usccs:
                problems.append(f"{slug}: USCC {supplier['uscc']} is used twice")
            usccs.add(supplier["uscc"])
            if supplier["certification"] not in (None, *CertificationLevel.values[1:]):
                problems.append(f"{slug}: unknown certification level {supplier['certification']}")
            skus: set[str] = set()
            for listing in supplier["listings"]:
                where = f"{slug} / {listing['sku']}"
                if listing["sku"] in skus:
                    problems.append(f"{where}: SKU is used twice")
                skus.add(listing["sku"])
                if listing["category"] not in leaves:
                    problems.append(f"{where}: {listing['category']} is not a second-level category")
                quantities = [quantity for quantity, _ in listing["tiers"]]
                prices = [Decimal(price) for _, price in listing["tiers"]]
                if not 2 <= len(quantities) <= 4:
                    problems.append(f"{where}: needs 2 to 4 price tiers")
                if quantities != sorted(set(quantities)) or prices != sorted(set(prices), reverse=True):
                    problems.append(f"{where}: tier quantities must rise and unit prices fall")
                if quantities and listing["moq"] > quantities[0]:
                    problems.append(f"{where}: MOQ is above the first tier's quantity")
    first_supplier = demo_data.BELTS[0]["suppliers"][0]
    if not first_supplier["certification"]:
        problems.append(f"{first_supplier['slug']} has the supplier demo login, so it must be certified")
    if problems:
        raise CommandError("orders/demo_data.py is inconsistent:\n  " + "\n  ".join(problems))


def _listing_picture(*, title: str, brand: str, caption: str, colours: tuple[str, str]) -> bytes:
    """A JPEG placeholder photo: the industry's colour gradient, the regional brand and the title."""
    width, height = IMAGE_SIZE
    start, end = ImageColor.getrgb(colours[0]), ImageColor.getrgb(colours[1])
    # Pillow's 256×256 gradient, vertical blended with horizontal: a diagonal sweep, no per-pixel loop.
    vertical = Image.linear_gradient("L")
    mask = Image.blend(vertical, vertical.transpose(Image.Transpose.ROTATE_90), 0.5).resize(IMAGE_SIZE)
    picture = Image.composite(Image.new("RGB", IMAGE_SIZE, end), Image.new("RGB", IMAGE_SIZE, start), mask)

    overlay = Image.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    shapes.ellipse((width - 330, -170, width + 170, 330), fill=(255, 255, 255, 38))
    shapes.ellipse((width - 210, 60, width + 60, 330), fill=(255, 255, 255, 28))
    shapes.rectangle((0, height - 250, width, height), fill=(0, 0, 0, 90))
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")

    draw = ImageDraw.Draw(picture)
    margin = 48
    title, brand, caption = (text.translate(FONT_FALLBACKS) for text in (title, brand, caption))
    draw.text((margin, 44), brand.upper(), font=ImageFont.load_default(size=26), fill=(255, 255, 255))
    draw.line((margin, 84, margin + 72, 84), fill=(255, 255, 255), width=4)
    title_font = ImageFont.load_default(size=40)
    lines = textwrap.wrap(title, width=32)[:3]
    y = height - 250 + 34
    for line in lines:
        draw.text((margin + 2, y + 2), line, font=title_font, fill=(0, 0, 0))  # soft shadow for contrast
        draw.text((margin, y), line, font=title_font, fill=(255, 255, 255))
        y += 50
    draw.text((margin, height - 52), caption, font=ImageFont.load_default(size=22), fill=(235, 235, 235))

    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()
