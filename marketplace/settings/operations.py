"""Settings of running the marketplace on hosts of its own, read from the environment like
base.py's, which imports every name here: object storage, backups, logs and metrics.

Object storage (django-storages' S3 backend, any S3-compatible service: AWS, MinIO, OSS...) is on
when MEDIA_BUCKET is set: public media there, private files in
PRIVATE_MEDIA_BUCKET behind signed URLs that expire after PRIVATE_MEDIA_URL_EXPIRY seconds
(marketplace.storage). Unset, both stay local folders (base.py's MEDIA_ROOT and PRIVATE_MEDIA_ROOT).
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from marketplace.observability.exposition import parse_networks
from marketplace.observability.logs import LOG_FORMATS, logging_config

env = environ.Env()
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(Path(__file__).resolve().parent.parent.parent / "var")))

AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="")
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="")
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="")
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="")
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="")  # "path" for MinIO; empty: boto3's choice
AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="")  # a CDN host in front of MEDIA_BUCKET
MEDIA_BUCKET = env.str("MEDIA_BUCKET", default="")
MEDIA_BUCKET_ACL = env.str("MEDIA_BUCKET_ACL", default="public-read")
PRIVATE_MEDIA_BUCKET = env.str("PRIVATE_MEDIA_BUCKET", default="")
PRIVATE_MEDIA_URL_EXPIRY = env.int("PRIVATE_MEDIA_URL_EXPIRY", default=60)
if bool(MEDIA_BUCKET) != bool(PRIVATE_MEDIA_BUCKET) or (MEDIA_BUCKET and MEDIA_BUCKET == PRIVATE_MEDIA_BUCKET):
    raise ImproperlyConfigured("Set MEDIA_BUCKET and PRIVATE_MEDIA_BUCKET together, to two different buckets.")
if not 1 <= PRIVATE_MEDIA_URL_EXPIRY <= 3600:
    raise ImproperlyConfigured("PRIVATE_MEDIA_URL_EXPIRY must be 1 to 3600 seconds.")
# Where media pictures come from, for the CSP: the CDN, else the bucket by path and by host name.
_store = urlsplit(AWS_S3_ENDPOINT_URL or f"https://s3.{AWS_S3_REGION_NAME or 'us-east-1'}.amazonaws.com")
MEDIA_ORIGINS = (
    [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    if AWS_S3_CUSTOM_DOMAIN
    else [f"{_store.scheme}://{_store.netloc}", f"{_store.scheme}://{MEDIA_BUCKET}.{_store.netloc}"]
)

# --- Backups (marketplace.backups) ----------------------------------------------------------------
# pg_dump archives (custom format) go to BACKUP_BUCKET, or BACKUP_DIR while it is unset; the newest
# BACKUP_KEEP are kept. BACKUP_PG_BIN_DIR: where pg_dump/pg_restore of the server's major version are,
# when not on PATH or under /usr/lib/postgresql/<major>/bin.
BACKUP_BUCKET = env.str("BACKUP_BUCKET", default="")
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
BACKUP_PG_BIN_DIR = env.str("BACKUP_PG_BIN_DIR", default="")
if BACKUP_KEEP < 1:
    raise ImproperlyConfigured("BACKUP_KEEP must be 1 or more")

# --- Logging ---------------------------------------------------------------------------------
# Plain text lines, or one JSON object a line for a log collector; both carry the request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# --- Metrics (docs/observability.md) ------------------------------------------------------------
# /metrics answers a scrape with `Authorization: Bearer <METRICS_TOKEN>`, or from an address in
# METRICS_ALLOW_NETWORKS (the connecting address: behind a proxy, the proxy's). Neither set: nobody.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters (or empty).")
try:
    METRICS_ALLOW_NETWORKS = parse_networks(env.list("METRICS_ALLOW_NETWORKS", default=[]))
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOW_NETWORKS: {exc}.") from exc
# "host:port" where the Celery worker's main process serves its jobs' metrics; empty: not served.
METRICS_WORKER_LISTEN = env.str("METRICS_WORKER_LISTEN", default="")
if METRICS_WORKER_LISTEN and not re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[^:\s]+):[0-9]{1,5}", METRICS_WORKER_LISTEN):
    raise ImproperlyConfigured("METRICS_WORKER_LISTEN must read like 0.0.0.0:9808.")
# Where the processes of one gunicorn or one Celery worker keep their metrics so a scrape adds them
# up; prometheus_client reads the variable itself, when it is imported (docs/observability.md).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
