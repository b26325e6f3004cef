"""Moving the files of a local install to the object store's buckets (`manage.py media_to_buckets`)."""

import hashlib
import logging
import mimetypes
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.conf import settings

from .buckets import bucket_client

logger = logging.getLogger(__name__)

# Files up to this size go up in one request, so their ETag is their MD5 and a re-run can compare
# contents; larger ones (multipart, ETag not an MD5) are compared by size only.
SINGLE_PART_MAX = 64 * 1024 * 1024


@dataclass
class CopyTally:
    copied: int = 0
    skipped: int = 0


def _files(root: Path, leave_out: Path | None) -> Iterator[Path]:
    """Regular files under `root` in a stable order, none under `leave_out`, no symlinks followed."""
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if leave_out is None or (here / d).resolve() != leave_out)
        for name in sorted(names):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _already_there(client: Any, bucket: str, key: str, path: Path) -> bool:
    """The bucket holds `key` with the file's size and, for a single-part object, its MD5."""
    try:
        head = client.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    if head["ContentLength"] != path.stat().st_size:
        return False
    etag = head.get("ETag", "").strip('"')
    return "-" in etag or etag == _md5(path)


def media_copy_to_buckets(*, dry_run: bool = False, say: Callable[[str], None] = logger.info) -> CopyTally:
    """Copy MEDIA_ROOT to MEDIA_BUCKET and PRIVATE_MEDIA_ROOT to PRIVATE_MEDIA_BUCKET under the same
    names (so the database's file names stay right). Resumable: an object already there with the same
    size and checksum is skipped, and each object appears whole or not at all, so a run that was
    stopped is simply run again. Private files never go to the public bucket, even when their folder
    is inside MEDIA_ROOT."""
    if not (settings.MEDIA_BUCKET and settings.PRIVATE_MEDIA_BUCKET):
        raise ValueError("Set MEDIA_BUCKET and PRIVATE_MEDIA_BUCKET first.")
    client = bucket_client()
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    plan = [
        (Path(settings.MEDIA_ROOT).resolve(), settings.MEDIA_BUCKET, settings.MEDIA_BUCKET_ACL, private_root),
        (private_root, settings.PRIVATE_MEDIA_BUCKET, "private", None),
    ]
    config = TransferConfig(multipart_threshold=SINGLE_PART_MAX + 1)
    tally = CopyTally()
    for root, bucket, acl, leave_out in plan:
        if not root.is_dir():
            continue
        for path in _files(root, leave_out):
            key = path.relative_to(root).as_posix()
            if _already_there(client, bucket, key, path):
                tally.skipped += 1
                continue
            say(f"{'would copy' if dry_run else 'copying'} {key} to {bucket}")
            if not dry_run:
                extra = {"ContentType": mimetypes.guess_type(key)[0] or "application/octet-stream"}
                if acl:
                    extra["ACL"] = acl
                client.upload_file(str(path), bucket, key, ExtraArgs=extra, Config=config)
            tally.copied += 1
    return tally
