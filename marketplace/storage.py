"""Where private files live: documents and audit reports are never under the public MEDIA_URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, with no URL: served only through permission-checked views.

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


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of supplier documents and audit reports (a callable, so migrations stay stable)."""
    return _private
