"""Test settings: speed overrides only. Everything else is base.py, on real PostgreSQL."""

import json
import os
from pathlib import Path

from suppliers.signing import private_key_from_seed, private_key_pem

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("API_SCHEMA_PUBLIC", "true")  # the tests read the schema as a developer does
# A fixed certificate signing key, derived from a constant: the same in every test process.
os.environ.setdefault(
    "CERTIFICATE_SIGNING_KEYS",
    json.dumps(
        [
            {
                "kid": "test-1",
                "active": True,
                "private_key": private_key_pem(private_key_from_seed(b"certificate signing key of the test suite")),
            }
        ]
    ),
)

from .base import *  # noqa: F403
from .base import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FILE_CHECK_EAGER = True  # uploads are checked as they are received; tests of the job set it False
MAIL_SEND_EAGER = True  # outbox mails are sent on commit, so tests read them in django.core.mail.outbox
# Webhook receivers in tests listen on loopback; production's default refuses it
# (tests/orders/test_webhook_delivery.py checks that default with this emptied).
WEBHOOK_ALLOW_NETWORKS = ["127.0.0.0/8", "::1/128"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or VAR_DIR / "test-media")
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT") or MEDIA_ROOT / "private")
# Media on the local disk unless MEDIA_BUCKET is set: the object-storage tests set it for their worker.
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ANALYTICS_VIEW_BUFFER_THREAD = False  # views stay buffered until a test flushes them
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
SEARCH_THROTTLE_RATE = "100000/minute"  # off, like the API's; tests/catalog/test_search_throttle.py sets its own
if LOG_FORMAT != "json":  # noqa: F405 (a test starts a worker with LOG_FORMAT=json to read its lines)
    LOGGING = {"version": 1, "disable_existing_loggers": False}
# A test's transaction is rolled back, never committed: page versions change at the change instead
# of at commit (marketplace.pagecache.sql), so a page read after a change in the same test is fresh.
DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
DATABASES["default"]["OPTIONS"]["options"] = (  # noqa: F405
    DATABASES["default"]["OPTIONS"].get("options", "") + " -c pagecache.immediate=on"  # noqa: F405
).strip()
if "replica" in DATABASES:  # noqa: F405
    # The replica's test database is the primary's: created once, never migrated itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
