"""Belts, the category tree and listings: the certified-origin catalog.

Listings point up at `suppliers.Supplier` by a string relation; this app never imports the
suppliers app (README, "Architecture").
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import Localized

from .querysets import BeltQuerySet, ListingQuerySet
from .regions import PROVINCE_CHOICES, province_name


class Belt(models.Model):
    """An industrial belt: a region plus an industry, with its regional brand."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    brand_en = models.CharField(_("regional brand (English)"), max_length=120)
    brand_zh = models.CharField(_("regional brand (Chinese)"), max_length=120)
    province = models.CharField(_("province"), max_length=6, choices=PROVINCE_CHOICES)
    city_en = models.CharField(_("city or prefecture (English)"), max_length=80, blank=True)
    city_zh = models.CharField(_("city or prefecture (Chinese)"), max_length=80, blank=True)
    industry_en = models.CharField(_("industry (English)"), max_length=120)
    industry_zh = models.CharField(_("industry (Chinese)"), max_length=120)
    story_en = models.TextField(_("story (English)"), blank=True)
    story_zh = models.TextField(_("story (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    name = Localized("name")
    brand = Localized("brand")
    city = Localized("city")
    industry = Localized("industry")
    story = Localized("story")

    objects = BeltQuerySet.as_manager()

    class Meta:
        ordering = ("position", "name_en")
        verbose_name = _("belt")
        verbose_name_plural = _("belts")

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:belt_detail", args=[self.slug])

    @property
    def province_name(self) -> str:
        return province_name(self.province)


class Category(models.Model):
    """A node of the category tree (laser equipment › fibre laser cutters)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    name = Localized("name")

    class Meta:
        ordering = ("position", "name_en")
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_en


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

    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.CASCADE, related_name="listings", verbose_name=_("supplier")
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    title = Localized("title")
    description = Localized("description")

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
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="listing_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:listing_detail", args=[self.pk])

    def tier_for_quantity(self, quantity: int) -> "PriceTier | None":
        """The price tier that applies to `quantity` (tiers must be prefetched or are queried)."""
        applicable = [t for t in self.tiers.all() if t.min_quantity <= quantity]
        return max(applicable, key=lambda t: t.min_quantity) if applicable else None


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


class ListingImage(models.Model):
    """A picture of a listing. Its thumbnail is made by a background job."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images", verbose_name=_("listing"))
    image = models.ImageField(_("image"), upload_to=listing_image_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=listing_thumbnail_path, blank=True)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("listing image")
        verbose_name_plural = _("listing images")

    def __str__(self) -> str:
        return self.image.name

    def has_thumbnail(self) -> bool:
        return bool(self.thumbnail)
