"""The automatic checks a background job runs on an application: one run, one row per check."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationRun(models.Model):
    """One pass of every automatic check over an application."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")

    class Trigger(models.TextChoices):
        SUBMITTED = "submitted", _("Application submitted")
        RERUN = "rerun", _("Re-run by an admin")
        RESUBMITTED = "resubmitted", _("Application resubmitted")
        RENEWAL = "renewal", _("Re-verification asked by the company")
        SCHEDULED = "scheduled", _("Yearly re-verification")

    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.CASCADE, related_name="verification_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    def worst_outcome(self) -> str | None:
        """fail > warn > pass over the checks recorded so far (checks must be prefetched)."""
        outcomes = {c.outcome for c in self.checks.all()}
        for outcome in (VerificationCheck.Outcome.FAIL, VerificationCheck.Outcome.WARN, VerificationCheck.Outcome.PASS):
            if outcome in outcomes:
                return outcome
        return None


class VerificationCheck(models.Model):
    """The outcome of one check in one run. The message is rendered in the reader's language."""

    class Name(models.TextChoices):
        USCC = "uscc", _("Credit code format and check character")
        LICENCE = "licence", _("Business licence document")
        CERTIFICATES = "certificates", _("Certificates are current")
        REGION = "region", _("Factory inside the belt's region")
        DUPLICATES = "duplicates", _("Not already on the platform")
        PHOTOS = "photos", _("Factory photos are real images")
        REGISTRY = "registry", _("Business registry record")

    class Outcome(models.TextChoices):
        PASS = "pass", _("Passed")
        WARN = "warn", _("Needs a look")
        FAIL = "fail", _("Failed")

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="checks")
    name = models.CharField(_("check"), max_length=20, choices=Name.choices)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    # A message code and its parameters; suppliers.verification turns them into words.
    detail_code = models.CharField(_("detail"), max_length=40)
    detail_params = models.JSONField(_("detail parameters"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))

    class Meta:
        ordering = ("run", "id")
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        constraints = [
            # A re-delivered job finds the check done and skips it: no duplicate rows.
            models.UniqueConstraint(fields=["run", "name"], name="verificationcheck_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.get_outcome_display()}"

    @property
    def duration_ms(self) -> int:
        return int((self.finished_at - self.started_at).total_seconds() * 1000)

    @property
    def staff_note(self) -> str:
        """Details only platform staff see: the other companies a duplicate check found, or why a
        registry answer was refused."""
        if self.name == self.Name.DUPLICATES:
            return str(self.detail_params.get("names", ""))
        if self.name == self.Name.REGISTRY:
            return str(self.detail_params.get("reason", ""))
        return ""

    @property
    def message(self) -> str:
        from suppliers.verification import check_message

        return check_message(self.detail_code, self.detail_params)
