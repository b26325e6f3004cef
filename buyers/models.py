"""Buying companies and the people who buy for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import country_name, validate_country_code


class BuyerCompany(models.Model):
    """A wholesale purchaser: a company, often abroad."""

    class BusinessType(models.TextChoices):
        IMPORTER = "importer", _("Importer / distributor")
        RETAILER = "retailer", _("Retailer")
        BRAND = "brand", _("Brand owner")
        MANUFACTURER = "manufacturer", _("Manufacturer buying parts")
        OTHER = "other", _("Other")

    name = models.CharField(_("company name"), max_length=200)
    # ISO 3166-1 alpha-2. No `choices`: the list belongs to pycountry, not to our migrations.
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    business_type = models.CharField(
        _("business type"), max_length=16, choices=BusinessType.choices, default=BusinessType.IMPORTER
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("buying company")
        verbose_name_plural = _("buying companies")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class BuyerMember(models.Model):
    """A person who buys for a buying company."""

    company = models.ForeignKey(BuyerCompany, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_membership")

    class Meta:
        verbose_name = _("buyer member")
        verbose_name_plural = _("buyer members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"
