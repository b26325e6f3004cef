"""Daily and monthly aggregate tables: what the analytics pages and API read.

Nothing here is a source of truth. Views are counted into them by `services.views` (from Redis or an
in-process buffer); every other figure is recomputed from the lower apps' tables by
`services.compute` (a rolling window of recent days, or a backfilled range), so any row can be
thrown away and computed again. Pages read these tables through indexes on (supplier, day) and
(belt, month) only, never the source tables, so they stay cheap at a million listings.

Money is in CNY: orders in another currency are converted at the rate staff set for the order's
day (`catalog.exchange`), so belt totals add up across suppliers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import validate_country_code


class SupplierDay(models.Model):
    """One supplier's figures for one day (Asia/Shanghai).

    `listing_views` and `profile_views` are only ever incremented by the view flush; the trade
    columns are only ever overwritten by the recompute, so the two writers never undo each other.
    """

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    listing_views = models.PositiveIntegerField(_("listing views"), default=0)
    profile_views = models.PositiveIntegerField(_("profile views"), default=0)
    inquiries = models.PositiveIntegerField(_("inquiries received"), default=0)
    # Of the day's inquiries, those answered (ever) and the minutes to the first answer, summed:
    # the mean response time of a period is response_minutes / inquiries_answered over its days.
    inquiries_answered = models.PositiveIntegerField(_("inquiries answered"), default=0)
    response_minutes = models.BigIntegerField(_("minutes to first answer (sum)"), default=0)
    rfqs_received = models.PositiveIntegerField(_("RFQs received"), default=0)
    rfqs_quoted = models.PositiveIntegerField(_("RFQs quoted"), default=0)
    rfqs_won = models.PositiveIntegerField(_("RFQs won"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = models.DecimalField(_("revenue (CNY)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("supplier day")
        verbose_name_plural = _("supplier days")
        constraints = [models.UniqueConstraint(fields=["supplier", "day"], name="analytics_supplierday_unique")]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.day}"


class ListingDay(models.Model):
    """One listing's figures for one day: the base of a supplier's top listings."""

    listing = models.ForeignKey("catalog.Listing", on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    inquiries = models.PositiveIntegerField(_("inquiries"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = models.DecimalField(_("revenue (CNY)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("listing day")
        verbose_name_plural = _("listing days")
        constraints = [models.UniqueConstraint(fields=["listing", "day"], name="analytics_listingday_unique")]
        indexes = [models.Index(fields=["supplier", "day"], name="analytics_listingday_supplier")]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.day}"


class SupplierBuyerDay(models.Model):
    """A buying company's orders from one supplier on one day: buyers, repeat buyers and buyer
    countries of any period are counted from these rows (distinct buyers do not add up by day)."""

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey("buyers.BuyerCompany", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    country = models.CharField(_("buyer country"), max_length=2, validators=[validate_country_code])
    orders = models.PositiveIntegerField(_("orders"), default=0)
    revenue = models.DecimalField(_("revenue (CNY)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("supplier buyer day")
        verbose_name_plural = _("supplier buyer days")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "buyer", "day"], name="analytics_supplierbuyerday_unique")
        ]
        indexes = [models.Index(fields=["supplier", "day"], name="analytics_buyerday_supplier")]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.buyer_id} {self.day}"


class BeltMonth(models.Model):
    """A belt's figures for one calendar month (`month` is its first day).

    Trade and onboarding columns are recomputed from the source tables; the snapshot columns
    (suppliers by level, listings) describe the belt as it stood when the month was last computed:
    the current month's row is rewritten by every run, a past month keeps what it last saw.
    """

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    # onboarding (events of the month)
    invitations = models.PositiveIntegerField(_("invitations sent"), default=0)
    applications = models.PositiveIntegerField(_("applications started"), default=0)
    submissions = models.PositiveIntegerField(_("applications submitted"), default=0)
    certifications = models.PositiveIntegerField(_("first certifications"), default=0)
    rejections = models.PositiveIntegerField(_("rejections"), default=0)
    # median days from starting an application to submitting it, and from submitting to the first
    # certification, over the companies that reached the later step in the month
    days_to_submit = models.DecimalField(_("median days to submit"), max_digits=8, decimal_places=1, null=True)
    days_to_certify = models.DecimalField(_("median days to certify"), max_digits=8, decimal_places=1, null=True)
    # snapshot
    suppliers = models.PositiveIntegerField(_("companies"), default=0)
    suppliers_certified = models.PositiveIntegerField(_("companies certified"), default=0)
    suppliers_origin = models.PositiveIntegerField(_("certified origin manufacturers"), default=0)
    listings_public = models.PositiveIntegerField(_("public listings"), default=0)
    # trade (placed in the month, not cancelled)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    trade_volume = models.DecimalField(_("trade volume (CNY)"), max_digits=18, decimal_places=2, default=0)
    buyers = models.PositiveIntegerField(_("buying companies"), default=0)
    inquiries = models.PositiveIntegerField(_("inquiries"), default=0)
    inquiries_answered_24h = models.PositiveIntegerField(_("inquiries answered within 24 hours"), default=0)
    rfqs_routed = models.PositiveIntegerField(_("RFQ invitations"), default=0)
    rfqs_quoted = models.PositiveIntegerField(_("RFQ invitations quoted"), default=0)
    computed_at = models.DateTimeField(_("computed"), null=True)

    class Meta:
        verbose_name = _("belt month")
        verbose_name_plural = _("belt months")
        constraints = [models.UniqueConstraint(fields=["belt", "month"], name="analytics_beltmonth_unique")]

    def __str__(self) -> str:
        return f"{self.belt_id} {self.month:%Y-%m}"


class BeltCategoryMonth(models.Model):
    """Trade and the price index of one category in one belt for one month.

    The price index is the median unit price (CNY listings) at the category's reference quantity
    (`CategoryReference`), snapshot from the published listings' tiers when the month is computed:
    the current month is rewritten by each run, past months keep their last snapshot.
    """

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("belts.Category", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    orders = models.PositiveIntegerField(_("orders"), default=0)
    quantity = models.BigIntegerField(_("quantity ordered"), default=0)
    trade_volume = models.DecimalField(_("trade volume (CNY)"), max_digits=18, decimal_places=2, default=0)
    reference_quantity = models.PositiveIntegerField(_("reference quantity"), null=True)
    median_unit_price = models.DecimalField(_("median unit price (CNY)"), max_digits=14, decimal_places=2, null=True)
    priced_listings = models.PositiveIntegerField(_("listings priced"), default=0)

    class Meta:
        verbose_name = _("belt category month")
        verbose_name_plural = _("belt category months")
        constraints = [
            models.UniqueConstraint(fields=["belt", "category", "month"], name="analytics_beltcategorymonth_unique")
        ]
        indexes = [models.Index(fields=["belt", "month"], name="analytics_beltcat_belt_month")]

    def __str__(self) -> str:
        return f"{self.belt_id} {self.category_id} {self.month:%Y-%m}"


class BeltCountryMonth(models.Model):
    """Orders placed with a belt's suppliers in one month, by the buying company's country."""

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    orders = models.PositiveIntegerField(_("orders"), default=0)
    buyers = models.PositiveIntegerField(_("buying companies"), default=0)
    trade_volume = models.DecimalField(_("trade volume (CNY)"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("belt country month")
        verbose_name_plural = _("belt country months")
        constraints = [
            models.UniqueConstraint(fields=["belt", "month", "country"], name="analytics_beltcountrymonth_unique")
        ]

    def __str__(self) -> str:
        return f"{self.belt_id} {self.country} {self.month:%Y-%m}"


class CategoryReference(models.Model):
    """The quantity at which a category's price index reads unit prices.

    Set once, the first time the index is computed: the median minimum order quantity of the
    category's published listings then, so the index compares like with like month after month.
    Staff may change it in the admin (the months computed from then on use the new quantity; each
    month's row keeps the quantity it was read at)."""

    category = models.OneToOneField("belts.Category", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("reference quantity"))
    set_at = models.DateTimeField(_("set"), auto_now_add=True)

    class Meta:
        verbose_name = _("price index reference quantity")
        verbose_name_plural = _("price index reference quantities")

    def __str__(self) -> str:
        return f"{self.category_id}: {self.quantity}"


class ViewFlush(models.Model):
    """A Redis hash of views already added to the day tables, by its taken name: a flush that died
    after writing but before deleting the hash finds its name here and only deletes it."""

    name = models.CharField(max_length=120, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
