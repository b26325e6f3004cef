"""Files a buyer attaches to an RFQ (drawings, specifications), checked in the worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import CheckedFile, pending_index
from marketplace.storage import private_storage

from .rfq import Rfq

RFQ_ATTACHMENTS_MAX = 5


def rfq_attachment_path(instance: "RfqAttachment", filename: str) -> str:
    # `filename` was made by the server (marketplace.uploads); never the uploader's.
    return f"rfqs/{instance.rfq_id}/{filename}"


class RfqAttachment(CheckedFile):
    """One file of an RFQ. Received unchecked (`file_quarantine`, "pending") and checked in the
    worker (marketplace.filecheck): `file` holds only the checked copy, offered for download to
    the buying company, the suppliers the RFQ was routed to and staff once "clean"; a refused file
    keeps its name and the refusal, never the bytes. Private storage only."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("RFQ"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=rfq_attachment_path, storage=private_storage, blank=True)
    # What the reader sees and downloads as: the uploader's file name, with the extension of the
    # checked copy once the check passed.
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("RFQ attachment")
        verbose_name_plural = _("RFQ attachments")
        indexes = [pending_index("rfqattachment_filecheck_idx")]

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.name}"

    def is_available(self) -> bool:
        """The checked copy may be offered and downloaded."""
        return self.file_is_clean and bool(self.file)
