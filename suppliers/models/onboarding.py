"""Belt operators bring their companies on board as a group: invitations and their CSV imports."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.storage import private_storage


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An operator's invitation of one company; its link opens a pre-filled application."""

    belt = models.ForeignKey("belts.Belt", on_delete=models.CASCADE, related_name="invitations")
    company_name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100)
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=40, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    supplier = models.OneToOneField(
        "suppliers.Supplier", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["belt", "email"], name="invitation_unique_email_per_belt")]

    def __str__(self) -> str:
        return f"{self.company_name} <{self.email}>"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:apply_invited", args=[self.token])


def invitation_import_path(instance: "InvitationImport", filename: str) -> str:
    # `filename` is made by the server (suppliers.services.invitation_imports).
    return f"invitation-imports/{instance.belt_id}/{filename}"


class InvitationImport(models.Model):
    """An operator's CSV of companies to invite to a belt, read and imported by a background job.

    The request only stores the file; the job reads it, creates the invitations and stores the row
    report. Reasons are stored as codes and params (`problems`, `failure`), never as words: they are
    put into words when read, in the reader's language.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    belt = models.ForeignKey(
        "belts.Belt", on_delete=models.CASCADE, related_name="invitation_imports", verbose_name=_("belt")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    file = models.FileField(_("file"), upload_to=invitation_import_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("invitations created"), default=0)
    problem_count = models.PositiveIntegerField(_("rows not imported"), default=0)
    # [{"line": 4, "company": "...", "email": "...", "codes": ["invalid_email"], "params": {"email": "..."}}, ...]
    problems = models.JSONField(_("rows not imported"), default=list, blank=True)
    # A key of suppliers.services.onboarding.FILE_MESSAGES and its params ("" unless failed).
    failure = models.CharField(_("why the import stopped"), max_length=40, blank=True)
    failure_params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("invitation import")
        verbose_name_plural = _("invitation imports")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="invitation_import_pending",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
