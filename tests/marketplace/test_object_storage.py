"""Media on object storage, against moto's S3 server on loopback (tests/objectstore.py).

Public media (listing pictures and their thumbnails) go to the media bucket at plain public URLs;
private files go to the private bucket as private objects, which only a permission-checked view
hands out, as a redirect to a URL signed for PRIVATE_MEDIA_URL_EXPIRY seconds. A real Celery
worker process, on the same buckets through its environment, checks the upload and makes the
thumbnail without any local path. `media_to_buckets` moves a local install's files over.
"""

import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from catalog.pictures import listing_image_create
from suppliers.services import supplier_document_add
from tests import factories as f
from tests.conftest import client_for

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def worker_env(object_storage):
    """The worker process is on the test's buckets, as a deployment's worker would be."""
    return object_storage.env()


def _anonymous_get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback test server)
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", {}


def _public_grants(store, bucket: str, key: str) -> list[str]:
    grants = store.client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return [g["Permission"] for g in grants if g["Grantee"].get("URI") == ALL_USERS]


def _files_under(folder) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()] if Path(folder).exists() else []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_checks_a_listing_picture_in_the_buckets_and_makes_its_public_thumbnail(
    object_storage, worker, settings
):
    """The upload waits in the private bucket; the worker process checks it, writes the clean copy
    and its thumbnail to the media bucket, and their public URLs serve those bytes to anyone."""
    settings.FILE_CHECK_EAGER = False  # as in production: the request only stores the upload
    process, log = worker
    listing = f.ListingFactory()
    image = listing_image_create(listing=listing, upload=f.image_upload(size=(1600, 1200)))
    assert object_storage.keys(object_storage.private_bucket) == [image.file_quarantine.name]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        image.refresh_from_db()
        if image.thumbnail:
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.3)
    else:
        pytest.fail("the worker made no thumbnail within 60 s:\n" + log.read_text())

    media = object_storage.keys(object_storage.media_bucket)
    assert sorted([image.image.name, image.thumbnail.name]) == media
    url = image.thumbnail.url
    assert url.startswith(f"{object_storage.endpoint}/{object_storage.media_bucket}/") and "Signature" not in url
    status, body, _ = _anonymous_get(url)
    assert status == 200
    stored = object_storage.client.get_object(Bucket=object_storage.media_bucket, Key=image.thumbnail.name)
    assert body == stored["Body"].read()
    with Image.open(BytesIO(body)) as picture:
        assert picture.format == "JPEG" and max(picture.size) <= 480
    assert _anonymous_get(image.image.url)[0] == 200
    # The unchecked upload is gone from the private bucket, and nothing was written locally.
    assert object_storage.keys(object_storage.private_bucket) == []
    assert _files_under(settings.MEDIA_ROOT) == [] and _files_under(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.django_db
def test_a_private_document_is_a_private_object_given_out_only_by_the_view_as_a_short_lived_signed_url(
    object_storage, belt, other_member, buyer, client, settings
):
    """A supplier's licence is a private object (no public grant, refused to an unsigned request,
    no URL of its own); the download view refuses other users and sends the supplier's member to
    a URL signed for PRIVATE_MEDIA_URL_EXPIRY seconds that serves the file as an attachment."""
    application = f.DraftApplicationFactory(belt=belt)
    member = f.SupplierMemberFactory(supplier=application).user
    document = supplier_document_add(supplier=application, kind="licence", upload=f.licence_upload())
    key = document.file.name
    bucket = object_storage.private_bucket
    # The checked copy, beside the unchecked upload (deleted once the request's transaction commits).
    assert key in object_storage.keys(bucket) and object_storage.keys(object_storage.media_bucket) == []
    assert all(_public_grants(object_storage, bucket, name) == [] for name in object_storage.keys(bucket))
    assert _anonymous_get(f"{object_storage.endpoint}/{bucket}/{key}")[0] == 403
    with pytest.raises(ValueError, match="no public URL"):
        _ = document.file.url
    assert _files_under(settings.PRIVATE_MEDIA_ROOT) == []

    url = reverse("suppliers:document_download", args=[document.pk])
    for outsider in (other_member, buyer):
        assert client_for(outsider).get(url).status_code == 404
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")

    settings.PRIVATE_MEDIA_URL_EXPIRY = 30
    response = client_for(member).get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{object_storage.endpoint}/{bucket}/{key}?")
    query = {name: values[0] for name, values in parse_qs(urlsplit(signed).query).items()}
    # The lifetime is part of what is signed: the URL stops working 30 s after it was made.
    assert query["X-Amz-Expires"] == "30" and "X-Amz-Signature" in query
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60
    status, body, headers = _anonymous_get(signed)
    assert status == 200
    assert body == object_storage.client.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert headers.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.django_db
def test_media_to_buckets_copies_local_files_resumes_and_never_makes_a_private_file_public(
    object_storage, settings, tmp_path
):
    """Public files go to the media bucket (public), private ones to the private bucket (private),
    even with the private folder inside the media folder; an object already there whole is
    skipped, a partial one is copied again, and a second run copies nothing."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.PRIVATE_MEDIA_ROOT = media / "private"  # as the test settings' default nests them
    files = {
        media / "listings/1/a.jpg": b"a" * 1000,
        media / "listings/1/b.jpg": b"b" * 2000,
        media / "private/suppliers/7/licence.pdf": b"%PDF-1.7 private",
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    client = object_storage.client
    # A run stopped half-way: one object whole, one of another size, as a crash could leave them.
    client.put_object(Bucket=object_storage.media_bucket, Key="listings/1/a.jpg", Body=b"a" * 1000)
    client.put_object(Bucket=object_storage.media_bucket, Key="listings/1/b.jpg", Body=b"b" * 10)

    call_command("media_to_buckets", stdout=(out := StringIO()))
    assert "2 copied, 1 already there" in out.getvalue()
    assert object_storage.keys(object_storage.media_bucket) == ["listings/1/a.jpg", "listings/1/b.jpg"]
    assert object_storage.keys(object_storage.private_bucket) == ["suppliers/7/licence.pdf"]
    b = client.get_object(Bucket=object_storage.media_bucket, Key="listings/1/b.jpg")["Body"].read()
    assert b == b"b" * 2000
    assert _public_grants(object_storage, object_storage.media_bucket, "listings/1/b.jpg") == ["READ"]
    assert _public_grants(object_storage, object_storage.private_bucket, "suppliers/7/licence.pdf") == []
    assert _anonymous_get(f"{object_storage.endpoint}/{object_storage.media_bucket}/listings/1/b.jpg")[0] == 200
    # The fields' names are unchanged, so the storages read the moved files under them.
    from django.core.files.storage import default_storage

    from marketplace.storage import private_storage

    assert default_storage.open("listings/1/b.jpg").read() == b"b" * 2000
    assert private_storage().open("suppliers/7/licence.pdf").read() == b"%PDF-1.7 private"

    call_command("media_to_buckets", stdout=(again := StringIO()))
    assert "0 copied, 3 already there" in again.getvalue()


def test_object_storage_settings_need_two_buckets_and_open_the_csp_to_the_media_host_only():
    """MEDIA_BUCKET without a separate PRIVATE_MEDIA_BUCKET stops the start (private files must
    never land in the public bucket); with both, media use the bucket backend, /media/ is no
    longer served by Django, and pages may show images from the media bucket's host."""
    from tests.marketplace.test_settings import PRODUCTION, _manage

    for buckets in ({"MEDIA_BUCKET": "media"}, {"MEDIA_BUCKET": "same", "PRIVATE_MEDIA_BUCKET": "same"}):
        refused = _manage("check", env={**PRODUCTION, **buckets})
        assert refused.returncode != 0 and "PRIVATE_MEDIA_BUCKET" in refused.stderr

    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND'], s.SERVE_MEDIA, *s.SECURE_CSP['img-src'][2:])"
    )
    env = {**PRODUCTION, "MEDIA_BUCKET": "media", "PRIVATE_MEDIA_BUCKET": "private"}
    on = _manage("shell", "--no-imports", "-c", code, env={**env, "AWS_S3_ENDPOINT_URL": "https://oss.example.com"})
    assert on.returncode == 0, on.stderr
    assert on.stdout.split() == [
        "marketplace.storage.buckets.MediaBucketStorage",
        "False",
        "https://oss.example.com",
        "https://media.oss.example.com",
    ]
    cdn = _manage("shell", "--no-imports", "-c", code, env={**env, "AWS_S3_CUSTOM_DOMAIN": "img.example.com"})
    assert cdn.stdout.split()[2:] == ["https://img.example.com"], cdn.stderr
