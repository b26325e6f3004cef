"""A supplier's response figures, computed in the background from its trade (orders.figures)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Below this many inquiries (or rated orders) a rate says more about luck than about the supplier:
# the profile shows "not enough yet" instead.
MIN_SAMPLE = 3


class SupplierFigures(models.Model):
    """What buyers read on a profile about how a supplier trades: one row per supplier, replaced by
    the job that computes it. The formulas are published on /help/response-figures/."""

    supplier = models.OneToOneField(
        "suppliers.Supplier", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    # Inquiries of the last 90 days that are at least a day old.
    inquiries = models.PositiveIntegerField(_("inquiries counted"), default=0)
    inquiry_response_rate = models.DecimalField(
        _("inquiry response rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    inquiry_median_minutes = models.PositiveIntegerField(_("median first response (minutes)"), null=True, blank=True)
    # RFQs routed to the supplier in the last 90 days whose deadline has passed or that it quoted.
    rfqs = models.PositiveIntegerField(_("RFQs counted"), default=0)
    rfq_response_rate = models.DecimalField(
        _("RFQ response rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    rfq_median_minutes = models.PositiveIntegerField(_("median time to quote (minutes)"), null=True, blank=True)
    # Buying companies with an order of the last 365 days that was not cancelled.
    buyers = models.PositiveIntegerField(_("buyers counted"), default=0)
    repeat_buyer_rate = models.DecimalField(
        _("repeat-buyer rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    rating_average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    # Disputes about its protected orders decided in the last 365 days, and how many of them
    # refunded the buyer (in full or in part).
    disputes_resolved = models.PositiveIntegerField(_("disputes resolved"), default=0)
    disputes_refunded = models.PositiveIntegerField(_("disputes with a refund"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("supplier figures")
        verbose_name_plural = _("supplier figures")

    def __str__(self) -> str:
        return f"figures of supplier {self.supplier_id}"

    @property
    def shows_inquiries(self) -> bool:
        return self.inquiries >= MIN_SAMPLE and self.inquiry_response_rate is not None

    @property
    def shows_rfqs(self) -> bool:
        return self.rfqs >= MIN_SAMPLE and self.rfq_response_rate is not None

    @property
    def shows_repeat_buyers(self) -> bool:
        return self.buyers >= MIN_SAMPLE and self.repeat_buyer_rate is not None

    @property
    def shows_disputes(self) -> bool:
        return self.disputes_resolved >= 1

    @property
    def shows_rating(self) -> bool:
        return self.ratings >= 1 and self.rating_average is not None

    @property
    def inquiry_median_words(self) -> str:
        return duration_words(self.inquiry_median_minutes)

    @property
    def rfq_median_words(self) -> str:
        return duration_words(self.rfq_median_minutes)


def duration_words(minutes: int | None) -> str:
    """A typical response time as people say it: "under an hour", "3 hours", "2 days"."""
    if minutes is None:
        return ""
    if minutes < 60:
        return str(_("under an hour"))
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
