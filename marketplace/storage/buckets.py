"""The object store's buckets (django-storages' S3 backend, any S3-compatible service): one public
bucket for listing pictures and other public media, one private bucket for documents, one for
database backups. Everything is read from settings when a storage is made, never at import, so a
test that opts in with its own settings gets its own buckets."""

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from storages.backends.s3 import S3Storage


def _connection_options() -> dict[str, Any]:
    """Endpoint, credentials and region shared by every bucket (None: boto3's own defaults)."""
    return {
        "endpoint_url": settings.AWS_S3_ENDPOINT_URL or None,
        "access_key": settings.AWS_ACCESS_KEY_ID or None,
        "secret_key": settings.AWS_SECRET_ACCESS_KEY or None,
        "region_name": settings.AWS_S3_REGION_NAME or None,
        "addressing_style": settings.AWS_S3_ADDRESSING_STYLE or None,
    }


class MediaBucketStorage(S3Storage):
    """Public media (listing pictures, thumbnails, logos) in MEDIA_BUCKET, at plain unsigned URLs.

    Objects are written with MEDIA_BUCKET_ACL (public-read by default; empty when a bucket policy
    makes the bucket readable instead). Names never overwrite: a second upload of the same name
    gets a suffix, as on the local disk.
    """

    def __init__(self, **overrides: Any) -> None:
        options: dict[str, Any] = {
            **_connection_options(),
            "bucket_name": settings.MEDIA_BUCKET,
            "default_acl": settings.MEDIA_BUCKET_ACL or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "custom_domain": settings.AWS_S3_CUSTOM_DOMAIN or None,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        }
        super().__init__(**{**options, **overrides})


class PrivateBucketStorage(S3Storage):
    """Private files in PRIVATE_MEDIA_BUCKET: written private, read only through URLs signed for
    PRIVATE_MEDIA_URL_EXPIRY seconds, which a permission-checked view hands out."""

    def __init__(self, **overrides: Any) -> None:
        options: dict[str, Any] = {
            **_connection_options(),
            "bucket_name": settings.PRIVATE_MEDIA_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": settings.PRIVATE_MEDIA_URL_EXPIRY,
            "signature_version": "s3v4",  # the URL carries its date and lifetime (X-Amz-Date, X-Amz-Expires)
            "file_overwrite": False,
            "custom_domain": None,  # a CDN host would serve them unsigned
        }
        super().__init__(**{**options, **overrides})


def backup_bucket_storage() -> Storage:
    """BACKUP_BUCKET, private: database dumps are written and read by the app only."""
    storage: Storage = PrivateBucketStorage(bucket_name=settings.BACKUP_BUCKET, file_overwrite=True)
    return storage


def bucket_client() -> Any:
    """A boto3 S3 client on the configured endpoint with the configured credentials."""
    return MediaBucketStorage().connection.meta.client
