"""Listings, their variants, tiers, images and imports, and each belt's public figures.

The catalog sits above `suppliers` and `belts` (README, "Architecture"): a listing points down at
its supplier, production site, belt and category, and nothing below knows of listings.
"""

import re
from collections.abc import Collection, Mapping
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from belts.hs import HS_MAX_LENGTH, format_hs_code
from belts.models import Belt, Category
from belts.regions import PROVINCE_CHOICES, province_name
from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.i18n import ChoiceLabel, Localized, country_name, current_language_suffix, validate_country_code
from marketplace.storage import PrivateStorage
from suppliers.brand import BrandMark
from suppliers.models import ProductionSite, Supplier

from .exchange import ExchangeRate  # noqa: F401  (a model of this app, in its own module)
from .incoterms import Incoterm
from .quantities import QuantityCheck, listing_quantity_check
from .querysets import ListingQuerySet
from .tradedata import DEFAULT_ORIGIN_COUNTRY, DEFAULT_PRICE_BASIS, MAX_EXPORT_MARKETS


class BeltFigures(models.Model):
    """A belt's public figures as last counted by the job in `catalog.figures` (one row per belt):
    what the home and belt pages show without counting listings per view."""

    belt = models.OneToOneField(
        Belt, on_delete=models.CASCADE, primary_key=True, related_name="figures", verbose_name=_("belt")
    )
    certified_suppliers = models.PositiveIntegerField(_("certified suppliers"), default=0)
    listings = models.PositiveIntegerField(_("public listings"), default=0)
    categories = models.PositiveIntegerField(_("categories with a public listing"), default=0)
    # [[category id, public listings], …], most first; [[supplier id, public listings], …] in the
    # order the belt page features them (strongest certification, then most listings).
    top_categories = models.JSONField(_("top categories"), default=list)
    featured_suppliers = models.JSONField(_("featured suppliers"), default=list)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("belt figures")
        verbose_name_plural = _("belt figures")

    def __str__(self) -> str:
        return f"{self.belt_id}: {self.listings} listings"


class Listing(models.Model):
    """What a supplier offers wholesale: MOQ, unit, price tiers, sample, lead time, capacity."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        SET = "set", _("set")
        PAIR = "pair", _("pair")
        METRE = "metre", _("metre")
        KILOGRAM = "kg", _("kilogram")
        TONNE = "tonne", _("tonne")
        CARTON = "carton", _("carton")
        UNIT = "unit", _("unit")

    class Currency(models.TextChoices):
        CNY = "CNY", _("Chinese yuan (CNY)")
        USD = "USD", _("US dollar (USD)")

    class MoqMode(models.TextChoices):
        MIXED = "mixed", _("Across all variants (mixed batch)")
        PER_VARIANT = "per_variant", _("Per variant")

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="listings", verbose_name=_("supplier")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    sku = models.CharField(_("supplier's SKU"), max_length=64, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.PIECE)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    moq = models.PositiveIntegerField(_("minimum order quantity"), validators=[MinValueValidator(1)], default=1)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=15)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), null=True, blank=True)
    sample_available = models.BooleanField(_("sample available"), default=False)
    sample_price = models.DecimalField(
        _("sample price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # The sample fee is credited once against a later bulk order of the same listing.
    sample_fee_credited = models.BooleanField(_("sample fee credited on a bulk order"), default=False)
    moq_mode = models.CharField(_("how the MOQ counts"), max_length=12, choices=MoqMode.choices, default=MoqMode.MIXED)
    order_multiple = models.PositiveIntegerField(
        _("sold in multiples of"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A carton pack or batch size: order quantities must be a multiple of it."),
    )
    oem = models.BooleanField(_("OEM (your brand on our product)"), default=False)
    odm = models.BooleanField(_("ODM (we design to your brief)"), default=False)
    customisation_en = models.CharField(_("customisation options (English)"), max_length=300, blank=True)
    customisation_zh = models.CharField(_("customisation options (Chinese)"), max_length=300, blank=True)
    # [{"name_en": ..., "name_zh": ..., "value": ...}, ...] in display order.
    specifications = models.JSONField(_("specifications"), default=list, blank=True)
    spot_stock = models.PositiveIntegerField(
        _("spot stock"),
        null=True,
        blank=True,
        help_text=_("Goods on hand, ready to ship; empty = made to order only."),
    )
    # Sold from lots (catalog.lots): its stock is the sum of its open lots' remaining quantity, and
    # each shipment names the lots it drew from.
    sold_by_lot = models.BooleanField(
        _("sold by lot"),
        default=False,
        help_text=_("Each shipment names the harvest or production lots it came from; buyers see stock by lot."),
    )
    production_site = models.ForeignKey(
        ProductionSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("production site"),
    )
    # --- cross-border data (catalog.tradedata) ---
    # Digits only (belts.hs); empty: the category's code applies (`Listing.objects.with_hs_code()`).
    hs_code = models.CharField(
        _("HS code"),
        max_length=HS_MAX_LENGTH,
        blank=True,
        help_text=_("Leave empty to use the category's. 6 digits (8456.11) or a national code (8456110000)."),
    )
    # ISO 3166-1 alpha-2. No `choices`: the list belongs to pycountry, not to our migrations.
    origin_country = models.CharField(
        _("country of origin"), max_length=2, default=DEFAULT_ORIGIN_COUNTRY, validators=[validate_country_code]
    )
    origin_region = models.CharField(
        _("province of origin"),
        max_length=6,
        choices=PROVINCE_CHOICES,
        blank=True,
        help_text=_("For goods made or grown in China."),
    )
    export_markets = ArrayField(
        models.CharField(max_length=2, validators=[validate_country_code]),
        size=MAX_EXPORT_MARKETS,
        default=list,
        blank=True,
        verbose_name=_("export markets"),
        help_text=_("Countries you ship this product to or are approved to sell it in."),
    )
    price_incoterm = models.CharField(
        _("prices are"),
        max_length=3,
        choices=Incoterm.choices,
        default=DEFAULT_PRICE_BASIS,
        help_text=_("The Incoterm your listed prices are quoted on."),
    )
    price_incoterm_place = models.CharField(
        _("named place"), max_length=80, blank=True, help_text=_("Such as Xiamen for FOB Xiamen.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    # Denormalised for search and filtered browse at a million rows (one table, composite
    # indexes, no join before the LIMIT). Kept true by DATABASE TRIGGERS (migration 0005, see
    # catalog/search/): application code never writes them.
    is_public = models.BooleanField(_("publicly visible"), default=False, editable=False)
    belt = models.ForeignKey(
        Belt, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+", verbose_name=_("belt")
    )
    province = models.CharField(_("province"), max_length=6, choices=PROVINCE_CHOICES, blank=True, editable=False)
    level_rank = models.PositiveSmallIntegerField(_("supplier certification rank"), default=0, editable=False)
    # The certified-origin mark: the production site's `confers_origin` (decided by
    # suppliers.badges.supplier_badge), copied by the same trigger (migration 0011).
    origin_mark = models.BooleanField(_("certified origin"), default=False, editable=False)
    price_from = models.DecimalField(
        _("lowest unit price"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)

    unit_label = ChoiceLabel("unit", Unit)
    status_label = ChoiceLabel("status", Status)
    title = Localized("title")
    description = Localized("description")
    customisation = Localized("customisation")

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.CheckConstraint(condition=Q(moq__gte=1), name="listing_moq_positive"),
            models.CheckConstraint(
                condition=Q(sample_available=False) | Q(sample_price__isnull=False),
                name="listing_sample_has_price",
            ),
            models.UniqueConstraint(
                fields=["supplier", "sku"], condition=~Q(sku=""), name="listing_unique_supplier_sku"
            ),
            models.CheckConstraint(condition=Q(order_multiple__gte=1), name="listing_order_multiple_positive"),
            models.CheckConstraint(condition=Q(spot_stock__gte=0), name="listing_spot_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(hs_code="") | Q(hs_code__regex=r"^([0-9]{6}|[0-9]{8}|[0-9]{10})$"),
                name="listing_hs_code_digits",
            ),
            models.CheckConstraint(
                condition=Q(origin_country__regex=r"^[A-Z]{2}$"), name="listing_origin_country_code"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="listing_status_created_idx"),
            models.Index(fields=["supplier", "status", "-updated_at"], name="listing_supplier_status_idx"),
            GinIndex(fields=["search_vector"], name="listing_search_vector_gin"),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:listing_detail", args=[self.pk])

    def tier_for_quantity(self, quantity: int) -> "PriceTier | None":
        """The price tier that applies to `quantity` (tiers must be prefetched or are queried)."""
        applicable = [t for t in self.tiers.all() if t.min_quantity <= quantity]
        return max(applicable, key=lambda t: t.min_quantity) if applicable else None

    # --- what the public listing page and the compare page read (no queries beyond the
    # relations the selector loaded: supplier, its belt, production_site, tiers, variants) ---

    @property
    def certified_origin(self) -> bool:
        """The **certified origin** mark: made at a production site of its supplier that confers it
        (`suppliers.badges.supplier_badge`: a site verified inside the belt's region, of a supplier
        whose badge is an origin level today). Pages, API, search and PDF all read this column."""
        return self.origin_mark

    @property
    def brand_mark(self) -> BrandMark | None:
        """The regional-brand mark the listing shows today (suppliers.brand), as the selectors
        read it in the listing's own row (`catalog.selectors.public.with_brand_mark`); None where a
        read did not ask for it."""
        return BrandMark.from_row(getattr(self, "brand_licence", None))

    @property
    def origin_country_name(self) -> str:
        return country_name(self.origin_country)

    @property
    def origin_region_name(self) -> str:
        return province_name(self.origin_region) if self.origin_region else ""

    def export_market_names(self) -> list[str]:
        """The export markets' names in the active language, sorted as read."""
        return sorted((country_name(code) for code in self.export_markets or []), key=str.casefold)

    def export_markets_text(self) -> str:
        """The export markets as a list a reader of the active language writes ("、" in Chinese)."""
        return ("、" if current_language_suffix() == "zh" else ", ").join(self.export_market_names())

    def origin_text(self) -> str:
        """Where the goods come from: "Xinjiang, China" (Chinese writes the country first)."""
        if not self.origin_region:
            return self.origin_country_name
        return gettext("%(region)s, %(country)s") % {
            "region": self.origin_region_name,
            "country": self.origin_country_name,
        }

    @property
    def price_basis(self) -> str:
        """The Incoterm basis of the listed prices as traders write it: "FOB Xiamen", "EXW"."""
        return f"{self.price_incoterm} {self.price_incoterm_place}".strip()

    @property
    def hs_code_display(self) -> str:
        """The effective HS code (`with_hs_code()` annotates it) as customs write it, "" when none applies."""
        code = getattr(self, "hs_code_effective", None)
        if code is None:
            code = self.hs_code
        return format_hs_code(code) if code else ""

    @property
    def per_variant_moq(self) -> bool:
        return self.moq_mode == self.MoqMode.PER_VARIANT

    @property
    def variants_have_own_moq(self) -> bool:
        return any(variant.moq for variant in self.variants.all())

    def specification_rows(self) -> list[tuple[str, str]]:
        """(name in the active language, value) for each specification, in the supplier's order."""
        suffix = current_language_suffix()
        other = "en" if suffix == "zh" else "zh"
        rows = []
        for spec in self.specifications or []:
            if not isinstance(spec, dict) or not str(spec.get("value", "")).strip():
                continue
            name = spec.get(f"name_{suffix}") or spec.get(f"name_{other}") or ""
            rows.append((str(name), str(spec["value"])))
        return rows

    def variant_columns(self) -> dict[str, bool]:
        """Which of model, size and colour any variant fills (the variant table shows only those)."""
        variants = list(self.variants.all())
        return {name: any(getattr(v, name) for v in variants) for name in ("model", "size", "colour")}

    def check_quantities(
        self, quantities: Mapping[int | None, int], *, free: Collection[int | None] | None = None
    ) -> QuantityCheck:
        """The price of an order of `quantities` (variant id → quantity; the key None for a listing
        without variants) and what `catalog.rules` say of it (`catalog.quantities`). Reads the
        prefetched tiers and variants."""
        return listing_quantity_check(self, quantities, free=free)


class ListingVariant(models.Model):
    """One size, colour or model of a listing; with per-variant MOQ its own minimum applies."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="variants", verbose_name=_("listing"))
    sku = models.CharField(_("variant SKU"), max_length=64, blank=True)
    size = models.CharField(_("size"), max_length=40, blank=True)
    colour = models.CharField(_("colour"), max_length=40, blank=True)
    model = models.CharField(_("model"), max_length=60, blank=True)
    moq = models.PositiveIntegerField(_("variant MOQ"), null=True, blank=True, validators=[MinValueValidator(1)])
    spot_stock = models.PositiveIntegerField(
        _("spot stock"),
        null=True,
        blank=True,
        help_text=_("Goods on hand, ready to ship; empty = made to order only."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(size="") & Q(colour="") & Q(model="")), name="listingvariant_has_attribute"
            ),
            models.CheckConstraint(condition=Q(spot_stock__gte=0), name="variant_spot_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return " / ".join(part for part in (self.model, self.size, self.colour) if part)


class PriceTier(models.Model):
    """A quantity break: from `min_quantity` units, this unit price."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("listing"))
    min_quantity = models.PositiveIntegerField(_("from quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ("min_quantity",)
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(fields=["listing", "min_quantity"], name="pricetier_unique_quantity"),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="pricetier_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="pricetier_price_positive"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: {self.unit_price}"


def listing_image_path(instance: "ListingImage", filename: str) -> str:
    # The file name was made by the server (marketplace.uploads); never the uploader's.
    return f"listings/{instance.listing_id}/{filename}"


def listing_thumbnail_path(instance: "ListingImage", filename: str) -> str:
    return f"listings/{instance.listing_id}/thumbs/{filename}"


class ListingImage(CheckedFile):
    """A picture of a listing. The upload is checked and re-encoded by a background job
    (marketplace.filecheck), which fills `image`; the thumbnail job follows. Public pages show
    clean pictures only."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images", verbose_name=_("listing"))
    image = models.ImageField(_("image"), upload_to=listing_image_path, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=listing_thumbnail_path, blank=True)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("listing image")
        verbose_name_plural = _("listing images")
        indexes = [pending_index("listingimage_pending_idx")]

    def __str__(self) -> str:
        return self.image.name or f"#{self.pk}"

    def has_thumbnail(self) -> bool:
        return bool(self.thumbnail)


class ListingEvent(models.Model):
    """Something that happened to a listing (created, published, imported…): who, when, what."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Edited")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ARCHIVED = "archived", _("Archived")
        RESTORED = "restored", pgettext_lazy("listing event", "Restored from the archive")
        DUPLICATED = "duplicated", _("Duplicated")
        IMPORTED = "imported", _("Imported")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events", verbose_name=_("listing"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("listing event")
        verbose_name_plural = _("listing events")

    def __str__(self) -> str:
        return f"{self.listing_id} {self.kind}"


def listing_import_path(instance: "ListingImport", filename: str) -> str:
    return f"imports/{instance.supplier_id}/{filename}"


class ListingImport(models.Model):
    """A supplier's CSV or XLSX upload of listings, processed by a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="listing_imports", verbose_name=_("supplier")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    file = models.FileField(_("file"), upload_to=listing_import_path, storage=PrivateStorage())
    original_name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("listings created"), default=0)
    updated_count = models.PositiveIntegerField(_("listings updated"), default=0)
    # [{"line": 7, "sku": "...", "errors": ["..."]}, ...]
    error_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    failure = models.TextField(_("why the import stopped"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("listing import")
        verbose_name_plural = _("listing imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class SearchSynonym(models.Model):
    """Words buyers use for the same thing ("zipper", "zip"; 土豆, 马铃薯), applied to searches as
    they are typed: nothing is re-indexed. A term is English or Chinese, a word or a short phrase.

    `keys` holds each term as the search compares it (English words stemmed and stop words
    dropped, Chinese as written): kept by a database trigger (migration 0013), so every way of
    writing a row keeps it true. A synonym of a belt applies to searches within that belt only;
    one without a belt applies everywhere and is kept by staff.
    """

    class Kind(models.TextChoices):
        EQUIVALENT = "equivalent", _("Same meaning: each term finds the others")
        ONE_WAY = "one_way", _("One way: the first term also finds the others")

    terms = ArrayField(
        models.CharField(max_length=60),
        size=12,
        verbose_name=_("terms"),
        help_text=_("Two to twelve terms, one per line; each English or Chinese."),
    )
    keys = ArrayField(models.CharField(max_length=200), default=list, editable=False, verbose_name=_("search keys"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EQUIVALENT)
    belt = models.ForeignKey(
        Belt,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("belt"),
        help_text=_("Only searches within this belt use it. Empty: every search."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("terms",)
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        indexes = [GinIndex(fields=["keys"], name="searchsynonym_keys_idx")]

    def __str__(self) -> str:
        arrow = " → " if self.kind == self.Kind.ONE_WAY else " = "
        return arrow.join([self.terms[0], ", ".join(self.terms[1:])]) if self.terms else ""

    def clean(self) -> None:
        terms = [" ".join(str(term).split()) for term in self.terms or []]
        terms = [term for term in terms if term]
        if len(terms) < 2:
            raise ValidationError({"terms": _("Give at least two terms, one per line.")})
        if len(terms) > 12:
            raise ValidationError({"terms": _("Give at most twelve terms.")})
        for term in terms:
            if len(term) > 60:
                raise ValidationError({"terms": _("“%(term)s” is longer than 60 characters.") % {"term": term}})
            if not re.search(r"[A-Za-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", term):
                raise ValidationError({"terms": _("“%(term)s” has no English or Chinese word in it.") % {"term": term}})
        if len({term.casefold() for term in terms}) < len(terms):
            raise ValidationError({"terms": _("A term is given twice.")})
        self.terms = terms


from .export_certificates import ListingCertificate, listing_certificate_path  # noqa: E402, F401  (models of this app)
from .lots.models import Lot, LotCertificate, LotEvent  # noqa: E402, F401  (models of this app)
