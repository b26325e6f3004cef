"""The nightly audit of the stored badges: each run, and each stored badge it found untrue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeAudit(models.Model):
    """One pass of `suppliers.services.badges.badges_audit` over every supplier and listing."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    suppliers_checked = models.PositiveIntegerField(_("suppliers checked"), default=0)
    drift_count = models.PositiveIntegerField(
        _("badges found wrong"), default=0, help_text=_("Stored badges that differed from the facts; the target is 0.")
    )

    class Meta:
        ordering = ("-started_at", "-id")
        verbose_name = _("badge audit")
        verbose_name_plural = _("badge audits")

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}: {self.drift_count}"


class BadgeDrift(models.Model):
    """A stored badge that the audit found untrue and repaired: what it said, what the facts say."""

    audit = models.ForeignKey(BadgeAudit, on_delete=models.CASCADE, related_name="drifts")
    subject = models.CharField(_("what"), max_length=80)  # "supplier 12", "site 40", "listing 9031"
    field = models.CharField(_("badge"), max_length=40)
    stored = models.CharField(_("stored"), max_length=80, blank=True)
    expected = models.CharField(_("from the facts"), max_length=80, blank=True)

    class Meta:
        ordering = ("audit", "id")
        verbose_name = _("badge drift")
        verbose_name_plural = _("badge drifts")

    def __str__(self) -> str:
        return f"{self.subject}.{self.field}: {self.stored} → {self.expected}"
