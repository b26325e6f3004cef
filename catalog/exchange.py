"""Exchange rates staff set in the admin, for the approximate prices shown in a buyer's currency.

A rate says what one unit of a currency is worth in yuan on a day. Rows are never changed or
deleted (a correction is a new row, the latest entered wins), so the history of the rates a page
showed stays. Prices are converted in `catalog.prices`; orders stay in the listing's currency.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BASE_CURRENCY = "CNY"  # what every rate is quoted in; its own rate is 1


class ExchangeRate(models.Model):
    """One unit of `currency` is worth `rate` yuan from `valid_on` (until a later rate)."""

    class Currency(models.TextChoices):
        USD = "USD", _("US dollar (USD)")
        EUR = "EUR", _("Euro (EUR)")

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    rate = models.DecimalField(
        _("yuan for one unit"),
        max_digits=14,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many CNY one unit of the currency is worth, e.g. 7.1850 for the US dollar."),
    )
    valid_on = models.DateField(_("valid from"), default=timezone.localdate)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ("-valid_on", "-created_at", "-id")
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive")]
        indexes = [models.Index(fields=["currency", "-valid_on", "-created_at"], name="exchangerate_latest_idx")]

    def __str__(self) -> str:
        return f"{self.currency} = {self.rate} CNY ({self.valid_on:%Y-%m-%d})"
