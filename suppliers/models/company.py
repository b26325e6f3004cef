"""Suppliers (manufacturing companies), their members, belt operators and the audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belts.regions import PROVINCE_CHOICES, province_name
from marketplace.i18n import ChoiceLabel, Localized

from ..levels import CertificationLevel
from ..querysets import SupplierQuerySet


class Supplier(models.Model):
    """A manufacturing company in a belt. People act for it as its members."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Application in progress")
        UNDER_VERIFICATION = "under_verification", _("Under verification")
        INFO_REQUESTED = "info_requested", _("More information requested")
        CERTIFIED = "certified", _("Certified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Certification expired")

    class BusinessType(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer")
        TRADING = "trading", _("Trading company")

    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    name_en = models.CharField(_("legal name (English)"), max_length=200)
    name_zh = models.CharField(_("legal name (Chinese)"), max_length=200)
    # The belt the company asks to join (or was certified into). Empty only while a draft.
    belt = models.ForeignKey(
        "belts.Belt",
        on_delete=models.PROTECT,
        related_name="suppliers",
        verbose_name=_("belt"),
        null=True,
        blank=True,
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=300, blank=True)
    business_type = models.CharField(
        _("business type"), max_length=16, choices=BusinessType.choices, default=BusinessType.MANUFACTURER
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The badge: what `suppliers.badges.supplier_badge` decides from the facts (the current
    # certification, documents, sites, business type, belt), written only by `badges_refresh`.
    certification_level = models.CharField(
        _("certification level"),
        max_length=20,
        choices=CertificationLevel.choices,
        default=CertificationLevel.NONE,
        editable=False,
    )
    certified_at = models.DateTimeField(_("certified since"), null=True, blank=True)
    certified_until = models.DateField(_("certified until"), null=True, blank=True, editable=False)
    province = models.CharField(_("province"), max_length=6, choices=PROVINCE_CHOICES, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=80, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=80, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    factory_area_m2 = models.PositiveIntegerField(_("factory area (m²)"), null=True, blank=True)
    description_en = models.TextField(_("about (English)"), blank=True)
    description_zh = models.TextField(_("about (Chinese)"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    main_categories = models.ManyToManyField(
        "belts.Category", blank=True, related_name="+", verbose_name=_("main categories")
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Set while a request for re-verification waits in the staff's renewal queue; a decision clears it.
    renewal_requested_at = models.DateTimeField(_("re-verification requested"), null=True, blank=True)
    # The certification behind the public badge; its level and expiry are copied above for filters.
    current_certification = models.OneToOneField(
        "suppliers.Certification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current certification"),
    )

    name = Localized("name")
    city = Localized("city")
    description = Localized("description")
    level_label = ChoiceLabel("certification_level", CertificationLevel)
    business_type_label = ChoiceLabel("business_type", BusinessType)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ("name_en",)
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="supplier_unique_uscc"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(belt__isnull=False), name="supplier_submitted_has_belt"
            ),
        ]
        indexes = [models.Index(fields=["belt", "status", "certification_level"], name="supplier_belt_status_idx")]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("suppliers:detail", args=[self.slug])

    @property
    def province_name(self) -> str:
        return province_name(self.province)

    def is_publicly_certified(self) -> bool:
        """Certified at some level and not past its expiry date."""
        if self.status != self.Status.CERTIFIED or self.certification_level == CertificationLevel.NONE:
            return False
        return self.certified_until is None or self.certified_until >= timezone.localdate()

    def years_on_platform(self) -> int:
        return max(0, timezone.now().year - self.created_at.year)

    def is_editable_by_applicant(self) -> bool:
        """The applicant may change the application while drafting or when asked for more."""
        return self.status in (self.Status.DRAFT, self.Status.INFO_REQUESTED)

    def can_be_decided(self) -> bool:
        """An admin may certify or reject once the application was submitted."""
        return self.status != self.Status.DRAFT


class SupplierMember(models.Model):
    """A person who acts for a supplier on the dashboard."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_membership")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)

    class Meta:
        verbose_name = _("supplier member")
        verbose_name_plural = _("supplier members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.supplier}"


class BeltOperator(models.Model):
    """A person of the belt's industry association or local team who onboards its companies."""

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="operators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="belt_operations")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("belt operator")
        verbose_name_plural = _("belt operators")
        constraints = [models.UniqueConstraint(fields=["belt", "user"], name="beltoperator_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.belt}"


class SupplierEvent(models.Model):
    """Immutable audit record of what happened to a supplier: who, when, what, why.

    A database trigger (migration 0002) refuses UPDATE and DELETE on this table, so the record
    cannot be rewritten by the application, the admin or a shell.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application submitted")
        VERIFIED = "verified", _("Verification run finished")
        CERTIFIED = "certified", _("Certified")
        LEVEL_CHANGED = "level_changed", _("Certification level changed")
        RENEWED = "renewed", _("Certification renewed")
        REJECTED = "rejected", _("Rejected")
        INFO_REQUESTED = "info_requested", _("More information requested")
        RECOMMENDED = "recommended", _("Belt operator's recommendation")
        DOWNGRADED = "downgraded", _("Certification downgraded")
        SUSPENDED = "suspended", _("Suspended")
        REMINDED = "reminded", _("Expiry reminder sent")
        RERUN_REQUESTED = "rerun_requested", _("Verification re-run requested")
        EXPIRED = "expired", _("Certification expired")
        SITE_CHANGED = "site_changed", _("Production site changed")
        DETAILS_CHANGED = "details_changed", _("Company details changed")
        BADGE_REPAIRED = "badge_repaired", _("Badge repaired by the audit")
        DOCUMENT_RENEWED = "document_renewed", _("Renewed document handed in")
        RENEWAL_REQUESTED = "renewal_requested", _("Re-verification requested")
        REPORT_REPLACED = "report_replaced", _("Audit report replaced")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    from_level = models.CharField(_("from level"), max_length=20, blank=True)
    to_level = models.CharField(_("to level"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("supplier event")
        verbose_name_plural = _("supplier events")

    def __str__(self) -> str:
        return f"{self.supplier}: {self.kind}"
