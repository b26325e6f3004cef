"""Industrial belts and the category tree: the bottom of the domain, under suppliers and listings.

A belt is a region plus an industry with its regional brand (the Wuhan laser belt, Shishi
textiles); categories are the shared product tree. Nothing here knows of the apps above.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import Localized

from .hs import HS_MAX_LENGTH, normalise_hs_code
from .querysets import BeltQuerySet
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
    # Digits only (belts.hs); empty: the parent's code applies (belts_category_hs_code in SQL).
    hs_code = models.CharField(
        _("HS code"),
        max_length=HS_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The 6-digit HS subheading (such as 8456.11), or a national tariff code built on it "
            "(China's 10 digits). Empty: the parent category's code applies."
        ),
    )

    name = Localized("name")

    class Meta:
        ordering = ("position", "name_en")
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(hs_code="") | Q(hs_code__regex=r"^([0-9]{6}|[0-9]{8}|[0-9]{10})$"),
                name="category_hs_code_digits",
            )
        ]

    def __str__(self) -> str:
        return self.name_en

    def clean(self) -> None:
        try:
            self.hs_code = normalise_hs_code(self.hs_code)
        except ValidationError as exc:
            raise ValidationError({"hs_code": exc.messages}) from exc
