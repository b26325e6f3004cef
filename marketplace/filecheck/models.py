"""The state of an uploaded file's check, as fields any model that stores uploads inherits."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.storage import private_storage
from marketplace.uploads import refusal_message


class FileCheck(models.TextChoices):
    PENDING = "pending", _("Being checked")
    CLEAN = "clean", _("Checked")
    REFUSED = "refused", _("Refused")


def quarantine_path(instance: models.Model, filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads.upload_precheck).
    return f"quarantine/{instance._meta.label_lower}/{uuid.uuid4().hex[:2]}/{filename}"


def pending_index(name: str) -> models.Index:
    """The partial index that the sweep reads: pending rows by arrival. Each checked model lists it."""
    return models.Index(fields=["file_received_at"], condition=models.Q(file_check="pending"), name=name)


class CheckedFile(models.Model):
    """An upload waiting for, passed or refused by its check (marketplace.filecheck).

    `file_quarantine` holds the unchecked bytes in private storage (never served) while the check
    is pending; the model's own file field is filled only with the checked copy.
    """

    file_check = models.CharField(
        _("file check"), max_length=8, choices=FileCheck.choices, default=FileCheck.PENDING, editable=False
    )
    file_quarantine = models.FileField(
        _("unchecked upload"), upload_to=quarantine_path, storage=private_storage, blank=True, editable=False
    )
    file_received_at = models.DateTimeField(_("file received"), null=True, blank=True, editable=False)
    file_checked_at = models.DateTimeField(_("file checked"), null=True, blank=True, editable=False)
    file_check_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0, editable=False)
    # A key of marketplace.uploads.REFUSALS and its params: the message is made when it is read.
    file_refusal = models.CharField(_("why the file was refused"), max_length=40, blank=True, editable=False)
    file_refusal_params = models.JSONField(_("refusal details"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def file_is_clean(self) -> bool:
        return self.file_check == FileCheck.CLEAN

    @property
    def file_is_pending(self) -> bool:
        return self.file_check == FileCheck.PENDING

    @property
    def file_is_refused(self) -> bool:
        return self.file_check == FileCheck.REFUSED

    def file_refusal_message(self) -> str:
        """Why the file was refused, in the active language ("" unless refused)."""
        if self.file_check != FileCheck.REFUSED:
            return ""
        return refusal_message(self.file_refusal, self.file_refusal_params)
