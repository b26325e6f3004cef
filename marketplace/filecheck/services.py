"""Receive an upload unchecked, check it in the worker, record the outcome: one function each."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from marketplace.jobs import enqueue_on_commit
from marketplace.uploads import (
    IMAGES,
    CleanFile,
    clean_document_upload,
    clean_image_upload,
    refusal_of,
    upload_precheck,
)

from .models import CheckedFile, FileCheck, pending_index

__all__ = ["CheckedKind", "file_check", "file_check_later", "file_receive", "pending_index", "register"]

logger = logging.getLogger(__name__)

# A file whose check killed its worker this many times (memory cap, time limit) is refused.
MAX_ATTEMPTS = 3
STALLED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class CheckedKind:
    """A kind of checked upload: the model that stores it, its field for the checked copy, what it
    accepts (`marketplace.uploads.IMAGES` or `DOCUMENTS`), and what follows the check.

    `on_checked(row, clean, content_type)` runs inside the transaction that records the outcome,
    before the row is saved; `clean` is None when the file was refused. It sets the fields derived
    from the file (size, hash, type) and queues what must follow (a thumbnail, a notice).
    """

    name: str
    model: type[CheckedFile]
    field: str
    accept: str
    on_checked: Callable[[Any, CleanFile | None, str], None] | None = None


_KINDS: dict[str, CheckedKind] = {}


def register(kind: CheckedKind) -> None:
    """Declare a kind of checked upload (from the owning app's AppConfig.ready)."""
    _KINDS[kind.name] = kind


def kinds() -> dict[str, CheckedKind]:
    return dict(_KINDS)


def _kind_of(model: type[models.Model]) -> CheckedKind:
    for kind in _KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a registered kind of checked file")


def file_receive(row: CheckedFile, upload: "UploadedFile[bytes]") -> None:
    """In the request: check `upload`'s size and magic bytes and keep it, unchecked, as `row`'s
    pending file. Raises ValidationError (nothing stored) when it is refused outright. The caller
    saves `row` and then calls `file_check_later(row)`."""
    kind = _kind_of(type(row))
    name = upload_precheck(upload, accept=kind.accept)
    row.file_quarantine.save(name, upload, save=False)
    row.file_check = FileCheck.PENDING
    row.file_received_at = timezone.now()
    row.file_checked_at = None
    row.file_check_attempts = 0
    row.file_refusal, row.file_refusal_params = "", {}


def shown_name(uploaded: str, *, fallback: str = "attachment") -> str:
    """The name a received file is shown under until checked: the sender's name without folders,
    its stem cut to 100 characters, its extension kept when it looks like one."""
    path = PurePath(uploaded or "")
    suffix = path.suffix if len(path.suffix) <= 10 else ""
    return (path.stem.strip()[:100] or fallback) + suffix


def checked_name(shown: str, clean_name: str, *, fallback: str = "attachment") -> str:
    """The name of a file once checked: its shown stem with the extension of the checked copy."""
    return f"{PurePath(shown or '').stem.strip()[:100] or fallback}.{clean_name.rsplit('.', 1)[-1]}"


def file_check_later(row: CheckedFile) -> None:
    """Queue the check of `row`'s pending file once the row is committed (at once in-process with
    FILE_CHECK_EAGER, as the test settings do). With the broker down, the sweep queues it."""
    kind = _kind_of(type(row))
    if settings.FILE_CHECK_EAGER:
        file_check(kind=kind.name, pk=row.pk)
        row.refresh_from_db()
        return
    from .tasks import file_check_task

    enqueue_on_commit(file_check_task, kind.name, row.pk)


def _claim(kind: CheckedKind, pk: int) -> str | None:
    """Count one attempt at the check of a pending row; its unchecked file's name, or None when
    there is nothing to check. A row whose checks keep killing the worker is refused here."""
    with transaction.atomic():
        row = kind.model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None or row.file_check != FileCheck.PENDING:
            return None
        if row.file_check_attempts >= MAX_ATTEMPTS or not row.file_quarantine:
            logger.warning("File check of %s %s gave up after %s attempts", kind.name, pk, row.file_check_attempts)
            _record(kind, row, None, "", ("uncheckable", {}))
            return None
        row.file_check_attempts += 1
        row.save(update_fields=["file_check_attempts"])
        return row.file_quarantine.name


def file_check(*, kind: str, pk: int) -> str | None:
    """Check the pending file of row `pk` of `kind` and record the outcome; the row's check status
    afterwards (None when the row is gone). Safe to run twice, or for a row checked already.

    The parse runs outside any transaction and lock (it may take seconds); the outcome is written
    under the row's lock, and only if the row still waits for the same file.
    """
    spec = _KINDS[kind]
    name = _claim(spec, pk)
    if name is None:
        row = spec.model._default_manager.filter(pk=pk).only("file_check").first()
        return row.file_check if row else None
    storage = spec.model._meta.get_field("file_quarantine").storage
    clean: CleanFile | None = None
    content_type = ""
    refusal: tuple[str, dict[str, object]] | None = None
    try:
        with storage.open(name, "rb") as unchecked:
            if spec.accept == IMAGES:
                clean = clean_image_upload(unchecked)
                content_type = "image/png" if clean.name.endswith(".png") else "image/jpeg"
            else:
                clean, content_type = clean_document_upload(unchecked)
    except ValidationError as exc:
        refusal = refusal_of(exc)
    except FileNotFoundError:
        refusal = ("uncheckable", {})
    with transaction.atomic():
        row = spec.model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None or row.file_check != FileCheck.PENDING or row.file_quarantine.name != name:
            return row.file_check if row else None  # deleted, or another upload replaced it
        _record(spec, row, clean, content_type, refusal)
        return row.file_check


def _record(
    kind: CheckedKind,
    row: CheckedFile,
    clean: CleanFile | None,
    content_type: str,
    refusal: tuple[str, dict[str, object]] | None,
) -> None:
    """Write the outcome of a check on the locked `row` and drop its unchecked file after commit."""
    if refusal is None and clean is not None:
        getattr(row, kind.field).save(clean.name, clean, save=False)
        row.file_check = FileCheck.CLEAN
        row.file_refusal, row.file_refusal_params = "", {}
    else:
        key, params = refusal or ("uncheckable", {})
        row.file_check = FileCheck.REFUSED
        row.file_refusal, row.file_refusal_params = key, params
        clean = None
        logger.info("Upload refused: %s %s (%s)", kind.name, row.pk, key)
    unchecked, storage = row.file_quarantine.name, row.file_quarantine.storage
    row.file_quarantine = ""
    row.file_checked_at = timezone.now()
    if kind.on_checked is not None:
        kind.on_checked(row, clean, content_type)
    row.save()
    if unchecked:
        transaction.on_commit(lambda: storage.delete(unchecked))


def file_checks_stalled(limit: int = 500) -> list[tuple[str, int]]:
    """Pending checks whose job was lost (worker killed, broker emptied): (kind, pk) for the sweep."""
    before = timezone.now() - STALLED_AFTER
    stalled: list[tuple[str, int]] = []
    for kind in _KINDS.values():
        pks = (
            kind.model._default_manager.filter(file_check=FileCheck.PENDING, file_received_at__lt=before)
            .order_by("file_received_at")
            .values_list("pk", flat=True)[:limit]
        )
        stalled.extend((kind.name, pk) for pk in pks)
    return stalled
