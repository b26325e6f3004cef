"""Upload: a file checked whole, stored privately, and its job queued after commit."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation

from marketplace.jobs import enqueue_on_commit

from ..models import ListingImport
from .reading import read_capped, read_sheet, sniff_format


@dataclass(frozen=True)
class CheckedUpload:
    format: str
    data: bytes
    rows: int


def check_upload(upload: "UploadedFile[bytes] | Any") -> CheckedUpload:
    """Size cap → content sniffing → the table read; ValidationError with the reason.

    A CSV is read whole (plain text under the size cap). An xlsx is never opened with openpyxl
    here: its zip directory is checked and its header and declared size read with a bounded
    parser; its cells are read by the job, which fails with the reason (a row over a cap, too many
    rows, a header beyond the upload check's budget) if the file cannot be imported.
    """
    data = read_capped(upload)
    fmt = sniff_format(data)
    sheet = read_sheet(data, fmt, header_only=True)
    rows = sheet.declared_rows if sheet.declared_rows is not None else len(sheet.rows)
    return CheckedUpload(format=fmt, data=data, rows=rows)


@transaction.atomic
def listing_import_create(
    *, supplier: Any, actor: Any, upload: "UploadedFile[bytes]", language: str = ""
) -> ListingImport:
    """Check an uploaded file, store it privately and queue its import job after commit.

    Raises ValidationError (nothing stored, nothing queued) when the file cannot be imported.
    """
    from ..tasks import listing_import_run_task

    checked = check_upload(upload)
    job = ListingImport(
        supplier=supplier,
        created_by=actor,
        original_name=(getattr(upload, "name", "") or "listings").rsplit("/", 1)[-1][:200],
        format=checked.format,
        total_rows=checked.rows,
    )
    # A server-made name; the supplier's file name is only shown, never used as a path.
    job.file.save(f"{uuid.uuid4().hex}.{checked.format}", ContentFile(checked.data), save=False)
    job.save()
    # With the broker down the job stays pending and the import sweep queues it.
    enqueue_on_commit(listing_import_run_task, job.pk, language or translation.get_language() or "en")
    return job
