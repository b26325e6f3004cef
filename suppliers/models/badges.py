"""The nightly audit of the stored badges: each run, and each stored badge it found untrue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeAuditQuerySet(models.QuerySet["BadgeAudit"]):
    def finished(self) -> "BadgeAuditQuerySet":
        """Audits that ran to the end, the latest first (one still running has no counts yet)."""
        return self.filter(finished_at__isnull=False).order_by("-finished_at", "-id")


class BadgeAudit(models.Model):
    """One pass of `suppliers.services.badges.badges_audit` over every supplier and listing."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    suppliers_checked = models.PositiveIntegerField(_("suppliers checked"), default=0)
    drift_count = models.PositiveIntegerField(
        _("badges found wrong"), default=0, help_text=_("Stored badges that differed from the facts; the target is 0.")
    )

    objects = BadgeAuditQuerySet.as_manager()

    class Meta:
        ordering = ("-started_at", "-id")
        verbose_name = _("badge audit")
        verbose_name_plural = _("badge audits")

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}: {self.drift_count}"


class BadgeDriftQuerySet(models.QuerySet["BadgeDrift"]):
    def counts_by_field(self, *, audit_id: int) -> dict[str, int]:
        """How many badges of each kind (`field`) one audit found wrong (by the audit's index)."""
        rows = self.filter(audit_id=audit_id).values("field").annotate(n=models.Count("id")).order_by("field")
        return {row["field"]: row["n"] for row in rows}


class BadgeDrift(models.Model):
    """A stored badge that the audit found untrue and repaired: what it said, what the facts say."""

    audit = models.ForeignKey(BadgeAudit, on_delete=models.CASCADE, related_name="drifts")
    subject = models.CharField(_("what"), max_length=80)  # "supplier 12", "site 40", "listing 9031"
    field = models.CharField(_("badge"), max_length=40)
    stored = models.CharField(_("stored"), max_length=80, blank=True)
    expected = models.CharField(_("from the facts"), max_length=80, blank=True)

    objects = BadgeDriftQuerySet.as_manager()

    class Meta:
        ordering = ("audit", "id")
        verbose_name = _("badge drift")
        verbose_name_plural = _("badge drifts")

    def __str__(self) -> str:
        return f"{self.subject}.{self.field}: {self.stored} → {self.expected}"
