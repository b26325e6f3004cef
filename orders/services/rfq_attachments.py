"""The files of an RFQ: received with the post (size and magic bytes checked in the request),
checked in the worker (marketplace.filecheck, kind "rfq_attachment"), offered once clean."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.filecheck.services import checked_name, file_check_later, file_receive, shown_name
from marketplace.uploads import DOCUMENTS, CleanFile, upload_precheck

from ..models import RFQ_ATTACHMENTS_MAX, Rfq, RfqAttachment


def rfq_attachments_precheck(uploads: Sequence["UploadedFile[bytes]"]) -> list[str]:
    """What is wrong with the files sent with an RFQ, before anything is stored: too many, or one
    refused by its size or magic bytes (messages naming the file)."""
    if len(uploads) > RFQ_ATTACHMENTS_MAX:
        return [_("Attach at most %(n)d files.") % {"n": RFQ_ATTACHMENTS_MAX}]
    problems: list[str] = []
    for upload in uploads:
        try:
            upload_precheck(upload, accept=DOCUMENTS)
        except ValidationError as exc:
            problems.extend(f"{upload.name}: {message}" for message in exc.messages)
    return problems


def rfq_attachments_receive(*, rfq: Rfq, actor: User, uploads: Sequence["UploadedFile[bytes]"]) -> list[RfqAttachment]:
    """Keep each file unchecked as a pending attachment of `rfq` and queue its check (call in the
    RFQ's transaction, after `rfq_attachments_precheck` found nothing wrong)."""
    rows = []
    for upload in uploads:
        row = RfqAttachment(rfq=rfq, uploaded_by=actor)
        file_receive(row, upload)
        row.name = shown_name(upload.name or "")
        row.size = upload.size
        row.save()
        rows.append(row)
    for row in rows:
        file_check_later(row)
    return rows


def rfq_attachment_checked(row: RfqAttachment, clean: CleanFile | None, content_type: str) -> None:
    """The check of `row` is over (`on_checked` of the "rfq_attachment" kind, in the transaction
    that records it): a clean copy names the file with its own extension and real size."""
    if clean is not None:
        row.name = checked_name(row.name, clean.name)
        row.size = clean.size
        row.content_type = content_type
    else:
        row.content_type = ""
