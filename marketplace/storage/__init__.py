"""Where private files live: documents and audit reports are never under the public MEDIA_URL.

Locally they are files under PRIVATE_MEDIA_ROOT; with object storage on (MEDIA_BUCKET and
PRIVATE_MEDIA_BUCKET set) they are private objects in their own bucket. Either way only a
permission-checked view gives them out (`private_file_response`).
"""

import os
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header


class LocalPrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, with no URL.

    The folder is read from settings on every use (not fixed at start-up), so a test that
    points PRIVATE_MEDIA_ROOT at its own folder gets its own files.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use a permission-checked view.")


_local = LocalPrivateStorage()
_buckets: dict[tuple[object, ...], Storage] = {}


def _bucket_key() -> tuple[object, ...]:
    return (
        settings.PRIVATE_MEDIA_BUCKET,
        settings.PRIVATE_MEDIA_URL_EXPIRY,
        settings.AWS_S3_ENDPOINT_URL,
        settings.AWS_ACCESS_KEY_ID,
        settings.AWS_SECRET_ACCESS_KEY,
        settings.AWS_S3_REGION_NAME,
        settings.AWS_S3_ADDRESSING_STYLE,
    )


@deconstructible(path="marketplace.storage.PrivateStorage")
class PrivateStorage(Storage):
    """The storage of private files: the private bucket when object storage is on, else the local
    folder. Chosen from settings at each use, so fields made at import follow a test's settings;
    the bucket's client is made once per configuration (it keeps a connection pool)."""

    def backend(self) -> Storage:
        if not settings.PRIVATE_MEDIA_BUCKET:
            return _local
        key = _bucket_key()
        if key not in _buckets:
            from .buckets import PrivateBucketStorage

            _buckets[key] = PrivateBucketStorage()
        return _buckets[key]

    @property
    def in_bucket(self) -> bool:
        return bool(settings.PRIVATE_MEDIA_BUCKET)

    def _open(self, name: str, mode: str = "rb") -> "File[Any]":
        return self.backend().open(name, mode)

    def _save(self, name: str, content: IO[Any]) -> str:
        return self.backend()._save(name, content)  # type: ignore[attr-defined]

    def get_valid_name(self, name: str) -> str:
        return self.backend().get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend().get_available_name(name, max_length)

    def generate_filename(self, filename: "str | os.PathLike[str]") -> str:
        return self.backend().generate_filename(filename)

    def delete(self, name: str) -> None:
        self.backend().delete(name)

    def exists(self, name: str) -> bool:
        return self.backend().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend().listdir(path)

    def size(self, name: str) -> int:
        return self.backend().size(name)

    def path(self, name: str) -> str:
        return self.backend().path(name)  # NotImplementedError in a bucket: code opens files instead

    def get_modified_time(self, name: str) -> datetime:
        return self.backend().get_modified_time(name)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use a permission-checked view.")

    def signed_url(self, name: str, *, filename: str, content_type: str, as_attachment: bool = True) -> str:
        """A URL of the private bucket's object that works for PRIVATE_MEDIA_URL_EXPIRY seconds and
        makes the browser save it as `filename` (S3 sends the headers the signature names)."""
        if not self.in_bucket:
            raise ValueError("Local private files have no URL; stream them.")
        parameters = {
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename) or "attachment",
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        }
        return self.backend().url(name, parameters=parameters, expire=settings.PRIVATE_MEDIA_URL_EXPIRY)  # type: ignore[call-arg]


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of supplier documents and audit reports (a callable, so migrations stay stable)."""
    return _private


def private_file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    cache_control: str = "private, no-store",
) -> HttpResponseBase:
    """Give out a private file the caller has already allowed this request to read.

    From the private bucket: a redirect to a URL signed for a minute, so the object store, not a
    web worker, sends the bytes; the redirect itself is never cached, and the URL names one object
    for one minute. A picture shown inline is streamed instead: pages allow images from our own
    origin only. Locally: the file streamed, as a download unless `as_attachment` is off.
    """
    storage = file.storage
    if as_attachment and isinstance(storage, PrivateStorage) and storage.in_bucket:
        url = storage.signed_url(file.name or "", filename=filename, content_type=content_type)
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"  # a kept redirect would outlive its URL
        redirect["Referrer-Policy"] = "no-referrer"
        return redirect
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("File missing from storage") from exc
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
