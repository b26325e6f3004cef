"""A certification is an evidence chain, not a bare badge: each piece with method, who, when, until."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile, FileCheck
from marketplace.filecheck.services import pending_index
from marketplace.i18n import Localized
from marketplace.storage import private_storage

from ..codes import verification_code_display, verification_code_new


def new_verification_code() -> str:
    """Public code of a certificate: 16 Crockford base32 characters, 80 random bits (suppliers.codes).
    Kept under this name: migrations refer to it as the field's default."""
    return verification_code_new()


def audit_report_path(instance: "Certification", filename: str) -> str:
    return f"suppliers/{instance.supplier_id}/audit-reports/{filename}"


class Certification(CheckedFile):
    """One certification decision: level, validity, who decided, and the evidence behind it.

    The audit report is uploaded unchecked (CheckedFile) and `audit_report` holds only its checked
    copy. A certification without a report has nothing to check and is marked clean.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Current")
        SUPERSEDED = "superseded", _("Replaced by a later certification")
        DOWNGRADED = "downgraded", _("Downgraded")
        REVOKED = "revoked", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="certifications")
    level = models.CharField(_("level"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_verification_code)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # Four eyes: the second person who approved the decision (staff, or the belt operator who
    # recommended it), and the written reason when it overrides failed automatic checks.
    second_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second person"),
    )
    override_reason = models.TextField(_("reason for overriding failed checks"), blank=True)
    overridden_checks = models.JSONField(_("failed checks overridden"), default=list, blank=True)
    audit_report = models.FileField(_("audit report"), upload_to=audit_report_path, blank=True, storage=private_storage)
    checklist = models.ForeignKey(
        "suppliers.AuditChecklist", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checklist_version = models.PositiveIntegerField(_("checklist version"), null=True, blank=True)

    class Meta:
        ordering = ("-decided_at", "-id")
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [pending_index("cert_report_pending")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="cert_valid_order"
            ),
            # The report was handed in: checked, being checked, or refused (and awaiting a replacement).
            models.CheckConstraint(
                condition=~models.Q(level="audited_factory")
                | ~models.Q(audit_report="")
                | ~models.Q(file_quarantine="")
                | models.Q(file_check=FileCheck.REFUSED),
                name="cert_audited_factory_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.level} · {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:verify", args=[self.code])

    @property
    def code_display(self) -> str:
        """The code as people read it: in groups of four (`7KD3-9XQ2-M4TB-0HZE`)."""
        return verification_code_display(self.code)

    def level_label(self) -> str:
        from ..levels import CertificationLevel

        return str(CertificationLevel(self.level).label)

    def is_current(self) -> bool:
        """Genuine and in force today: active and within its dates."""
        today = timezone.localdate()
        return self.status == self.Status.ACTIVE and self.valid_from <= today <= self.valid_until


class EvidenceItem(models.Model):
    """One piece of the evidence chain of a certification."""

    class Kind(models.TextChoices):
        # A calculation on the code as typed: it says nothing about whether the company exists.
        CODE_CHECKSUM = "code_checksum", _("Credit code check character (format only)")
        # Only when a configured business registry returned a record that matched the application.
        REGISTRY_RECORD = "registry_record", _("Business registry record")
        DOCUMENT = "document", _("Document")
        CHECKLIST_POINT = "checklist_point", _("Audit checklist point")
        SITE_VISIT = "site_visit", _("Site visit")
        MANUFACTURING = "manufacturing", _("Manufacturing confirmed")
        SITE_IN_REGION = "site_in_region", _("Production site in the belt's region")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_en = models.CharField(_("what (English)"), max_length=200)
    title_zh = models.CharField(_("what (Chinese)"), max_length=200)
    method_en = models.CharField(_("how (English)"), max_length=200)
    method_zh = models.CharField(_("how (Chinese)"), max_length=200)
    performed_by = models.CharField(_("by whom"), max_length=200)
    performed_at = models.DateTimeField(_("when"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    document = models.ForeignKey(
        "suppliers.SupplierDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    title = Localized("title")
    method = Localized("method")

    class Meta:
        ordering = ("certification", "kind", "id")
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title_en


class AuditChecklist(models.Model):
    """The points an auditor checks in one industry. Admins edit it; certifications record the version."""

    industry_en = models.CharField(_("industry (English)"), max_length=120)
    industry_zh = models.CharField(_("industry (Chinese)"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    belts = models.ManyToManyField(
        "belts.Belt",
        blank=True,
        related_name="audit_checklists",
        verbose_name=_("belts"),
        help_text=_("Belts whose factory audits use this checklist."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    industry = Localized("industry")

    class Meta:
        ordering = ("industry_en",)
        verbose_name = _("audit checklist")
        verbose_name_plural = _("audit checklists")

    def __str__(self) -> str:
        return f"{self.industry_en} (v{self.version})"


class AuditChecklistPoint(models.Model):
    checklist = models.ForeignKey(AuditChecklist, on_delete=models.CASCADE, related_name="points")
    code = models.SlugField(_("code"), max_length=40)
    text_en = models.CharField(_("point (English)"), max_length=300)
    text_zh = models.CharField(_("point (Chinese)"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    text = Localized("text")

    class Meta:
        ordering = ("checklist", "position", "id")
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist points")
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="checklistpoint_unique_code")]

    def __str__(self) -> str:
        return self.text_en


class AuditPointResult(models.Model):
    """What the audit found for one point; the point's words are copied, so later edits change nothing."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Met")
        FAIL = "fail", _("Not met")
        NOT_APPLICABLE = "na", _("Not applicable")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="audit_results")
    code = models.SlugField(_("code"), max_length=40)
    text_en = models.CharField(_("point (English)"), max_length=300)
    text_zh = models.CharField(_("point (Chinese)"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    text = Localized("text")

    class Meta:
        ordering = ("certification", "id")
        verbose_name = _("audit result")
        verbose_name_plural = _("audit results")
        constraints = [models.UniqueConstraint(fields=["certification", "code"], name="auditresult_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.outcome}"
