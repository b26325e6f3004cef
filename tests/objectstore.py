"""An S3 server of the test module's own: moto's, in a thread of the test process, on a loopback
port (15460-15479) that no other run holds. `object_storage` points the settings at fresh buckets
in it and gives the environment that turns object storage on in a worker process."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.outage import free_port, port_lock, wait_for_port

ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "us-east-1"
_names = itertools.count(1)


@dataclass
class ObjectStore:
    endpoint: str
    media_bucket: str
    private_bucket: str
    backup_bucket: str
    client: Any

    def env(self) -> dict[str, str]:
        """The variables that put a process (a worker) on these buckets."""
        return {
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "MEDIA_BUCKET": self.media_bucket,
            "PRIVATE_MEDIA_BUCKET": self.private_bucket,
            "BACKUP_BUCKET": self.backup_bucket,
        }

    def keys(self, bucket: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's S3 server for this test module; its endpoint URL."""
    from moto.server import ThreadedMotoServer  # imported here: only these tests pay for it

    with port_lock():
        port = free_port(15460, 15479)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        wait_for_port(port, up=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def object_storage(s3_server, settings) -> ObjectStore:
    """Object storage on for this test (as MEDIA_BUCKET and its companions turn it on), on three
    buckets of its own; the local media folders stay where they were."""
    import boto3

    n = next(_names)
    store = ObjectStore(
        endpoint=s3_server,
        media_bucket=f"media-{n}",
        private_bucket=f"private-{n}",
        backup_bucket=f"backups-{n}",
        client=boto3.client(
            "s3",
            endpoint_url=s3_server,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        ),
    )
    for bucket in (store.media_bucket, store.private_bucket, store.backup_bucket):
        store.client.create_bucket(Bucket=bucket)
    for name, value in store.env().items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "marketplace.storage.buckets.MediaBucketStorage"},
    }
    return store
