"""Settings for every environment.

Every environment variable is read here, once (or in the modules this imports: operations.py,
object storage, backups, logs and metrics; external.py, mail and the business registry), and a
bad value fails loudly. Production
differs from local use only by the environment (see `.env.example`). With `DATABASE_URL`
unset the embedded PostgreSQL under `var/` is used; with `REDIS_URL` unset Celery runs on
kombu's filesystem transport under `var/` and the cache is per process.
"""

import datetime
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from suppliers.signing import SigningConfigError, private_key_from_seed, private_key_pem, signing_keys_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# --- Secrets and hosts: local defaults only while DEBUG is on --------------------------------
_DEV_SECRET = "django-insecure-local-development-only"  # noqa: S105 (refused below unless DEBUG)  # nosec B105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Ed25519 keys that sign certificates (suppliers.signing): a JSON list of {"kid", "active", and
# "private_key" (PEM), "private_key_file" or, for a retired key, "public_key"}; exactly one active.
# While DEBUG is on and none are given, a development key derived from the secret key signs.
try:
    _CERTIFICATE_KEYS_RAW = env.json("CERTIFICATE_SIGNING_KEYS", default=None)
except ValueError as exc:
    raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEYS is not valid JSON. See .env.example.") from exc
if not DEBUG:
    _missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("CERTIFICATE_SIGNING_KEYS", _CERTIFICATE_KEYS_RAW),
        )
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Production settings are incomplete: set "
            + ", ".join(_missing)
            + " (or DJANGO_DEBUG=true for local use). See .env.example."
        )
    if SECRET_KEY == _DEV_SECRET:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is the local development key; set a real one.")
if _CERTIFICATE_KEYS_RAW is None:
    _dev_key = private_key_from_seed(f"certificate signing, local development only: {SECRET_KEY}".encode())
    _CERTIFICATE_KEYS_RAW = [{"kid": "dev-local", "active": True, "private_key": private_key_pem(_dev_key)}]
try:
    CERTIFICATE_SIGNING_KEYS = signing_keys_config(_CERTIFICATE_KEYS_RAW)
except SigningConfigError as exc:
    raise ImproperlyConfigured(f"{exc}. See .env.example.") from exc

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_bootstrap5",
    "axes",  # login lockout after repeated failures
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS served from our own origin
    # Our apps, lowest layer first (see README, "Architecture"); the kernel's outbox first.
    "marketplace.mail",
    "marketplace.health",  # the worker's heartbeat, read by /readyz
    "marketplace.filecheck",  # uploads checked in the worker: status fields and the job
    "marketplace.pagecache",  # versions that key the cache of public pages
    "marketplace.idempotency",  # the API's Idempotency-Key rows (marketplace/idempotency)
    "marketplace.storage",  # local folders or the object store's buckets; `media_to_buckets`
    "marketplace.backups",  # the nightly pg_dump and `backup_database`
    "accounts",
    "belts",
    "suppliers",
    "catalog",
    "buyers",
    "orders",
    "analytics",  # daily aggregates and charts over the apps below; reads them through their selectors/models
    "demo",  # the demo world and the scale-test generator: the top layer, no domain app imports it
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (X-Request-ID, answered back).
    "marketplace.observability.requestid.RequestIdMiddleware",
    # Times each request by view for /metrics, the middleware below included.
    "marketplace.observability.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts views of listing pages and supplier profiles after the response, the page cache's
    # answers included (analytics.middleware says what counts); it never touches the database.
    "analytics.middleware.ViewCountMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # The API's query parameters are one value each: a repeated one answers 400.
    "marketplace.apiparams.SingleQueryValuesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Renders an ApplicationError a page left uncaught with its message and status (the API has its handler).
    "marketplace.exceptions.ApplicationErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.api_docs",  # the footer's API link, when the docs are readable
                "marketplace.pagecache.context_processors.csrf",  # no token in a page rendered for the cache
                "catalog.context_processors.compare",  # the menu's compare count
                "catalog.context_processors.prices",  # the currency prices are shown in
            ],
            # Not an app: the kernel's tag libraries. `panels`: where lower pages leave room for
            # higher apps; `site_urls`: absolute links for mails and documents; `figures`: large
            # amounts in each language's units.
            "libraries": {
                "figures": "marketplace.templatetags.figures",
                "panels": "marketplace.templatetags.panels",
                "site_urls": "marketplace.templatetags.site_urls",
            },
        },
    },
]

# --- Database: PostgreSQL only ----------------------------------------------------------------
# Unset DATABASE_URL means the embedded server that `marketplace.devstack` starts under var/.
EMBEDDED_PG_DIR = VAR_DIR / "postgres"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"postgres://postgres@/marketplace?host={EMBEDDED_PG_DIR}")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL: search and constraints need it.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The catalog's queries are short and index-driven; PostgreSQL's JIT spent 10–60 ms compiling the
# heavier ones at a million listings (p95 of the search page 2.0 s with it, 213 ms without: see
# docs/performance.md), so connections turn it off unless DATABASE_JIT=true.
if not env.bool("DATABASE_JIT", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# A streaming replica (hot standby) of that database, optional: anonymous visitors' reads and every
# search go to it, everything else stays on the primary (marketplace.dbrouter says which; docs/architecture.md,
# "Read replica"). Unset: no replica alias, no router, every query on DATABASE_URL.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# Seconds after a write (or any POST) during which the same browser reads the primary.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=15)
# Replay lag (seconds) above which reads leave the replica for the primary: how long at most an
# anonymous visitor may see a revoked badge, plus the second between two measurements.
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=5.0)
if DATABASE_REPLICA_PIN_SECONDS < 1 or not DATABASE_REPLICA_MAX_LAG_SECONDS > 0:
    raise ImproperlyConfigured("DATABASE_REPLICA_PIN_SECONDS must be 1 or more, DATABASE_REPLICA_MAX_LAG_SECONDS > 0")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL replica of DATABASE_URL.")
    _replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica_options = _replica.setdefault("OPTIONS", {})
    if "options" in DATABASES["default"].get("OPTIONS", {}):
        _replica_options["options"] = DATABASES["default"]["OPTIONS"]["options"]
    # A replica that does not answer the connection within this many seconds is skipped and the
    # request reads the primary (marketplace.dbrouter.replica_available).
    _replica_options.setdefault("connect_timeout", 2)
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["marketplace.dbrouter.PrimaryReplicaRouter"]
    # Before every middleware that may read (sessions, authentication, axes): it chooses where
    # the request's reads go, and pins a browser that wrote to the primary.
    _after = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    MIDDLEWARE.insert(_after, "marketplace.dbrouter.ReplicaReadsMiddleware")

# --- Redis: broker and cache when given -------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Seconds a Redis call may take before it counts as an outage: Redis answers in a millisecond, and a
# hung Redis must cost a request no more than this (cache and broker alike).
REDIS_SOCKET_TIMEOUT = 0.5
if REDIS_URL:
    # Fails open (marketplace.cache): Redis down is a cache miss with a logged warning, never a 500.
    CACHES = {
        "default": {
            "BACKEND": "marketplace.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_SOCKET_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # else kombu writes ./control
        "store_processed": False,
        # The worker looks for new message files this often (kombu's default, 1 s, takes one
        # message a second: an upload's check waited a minute behind the demo seed's jobs).
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than any task may run, so a slow task is not delivered twice (acks_late below).
        "visibility_timeout": 3600,
        # A broker that refuses or hangs fails a publish within a second; the job waits for its
        # sweep (marketplace.jobs). The worker's own long-lived connection reconnects as usual.
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
# Publishing a job retries once, at once: a request never waits on a broker that is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's own text lines (LOG_FORMAT=text) carry the request id a job was enqueued under, as the
# web's lines do (marketplace/celery.py adds the filter that supplies it).
CELERY_WORKER_LOG_FORMAT = "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = (
    "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(task_name)s[%(task_id)s]: %(message)s"
)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_TIME_LIMIT = 600
# A worker child whose resident memory ends a task above this (KiB) is replaced before the next
# one, so memory a large job left fragmented is given back. 0 turns it off.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000) or None
# The address space (MiB) a job may add to the worker process that runs it (RLIMIT_AS, set when the
# process starts: marketplace.celery). A job past it gets a MemoryError and fails with a message;
# the worker lives on. 0 turns it off.
WORKER_JOB_MEMORY_MB = env.int("WORKER_JOB_MEMORY_MB", default=1024)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_QUEUE_DIR / "beat-schedule")
# Every periodic job, in one place: marketplace/settings/beat.py.
from .beat import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# The queues (verification, imports, mail, figures and the default) and every task's route, for
# worker hosts that each consume some of them: marketplace/settings/queues.py.
from .queues import (  # noqa: E402, F401
    CELERY_TASK_CREATE_MISSING_QUEUES,
    CELERY_TASK_DEFAULT_QUEUE,
    CELERY_TASK_QUEUES,
    CELERY_TASK_ROUTES,
)

# --- Analytics ----------------------------------------------------------------------------------
# Days recomputed by the hourly job (late replies, cancellations and quotes change recent days).
ANALYTICS_RECOMPUTE_DAYS = env.int("ANALYTICS_RECOMPUTE_DAYS", default=35)
# Without Redis (`make run`) each web process buffers views and writes them by one batched upsert
# every this many seconds, or sooner once this many views wait (analytics.counters).
ANALYTICS_VIEW_BUFFER_SECONDS = env.int("ANALYTICS_VIEW_BUFFER_SECONDS", default=10)
ANALYTICS_VIEW_BUFFER_MAX = env.int("ANALYTICS_VIEW_BUFFER_MAX", default=500)
if ANALYTICS_RECOMPUTE_DAYS < 1 or ANALYTICS_VIEW_BUFFER_SECONDS < 1 or ANALYTICS_VIEW_BUFFER_MAX < 1:
    raise ImproperlyConfigured(
        "ANALYTICS_RECOMPUTE_DAYS, ANALYTICS_VIEW_BUFFER_SECONDS and ANALYTICS_VIEW_BUFFER_MAX must be 1 or more"
    )
# The buffer's writer thread; the tests write the buffer themselves (analytics.counters.flush_buffer).
ANALYTICS_VIEW_BUFFER_THREAD = True

# Every worker's main process records that it is alive every HEALTH_WORKER_HEARTBEAT_SECONDS
# (marketplace.health.worker); /readyz reports a queue's worker down when none did for
# HEALTH_WORKER_STALE_AFTER seconds (four beats missed), and the queue busy when the beat's
# heartbeat job has not run on it for as long.
HEALTH_WORKER_HEARTBEAT_SECONDS = env.int("HEALTH_WORKER_HEARTBEAT_SECONDS", default=30)
HEALTH_WORKER_STALE_AFTER = env.int("HEALTH_WORKER_STALE_AFTER", default=120)
if not 0 < HEALTH_WORKER_HEARTBEAT_SECONDS < HEALTH_WORKER_STALE_AFTER:
    raise ImproperlyConfigured(
        "HEALTH_WORKER_HEARTBEAT_SECONDS must be at least 1 and less than HEALTH_WORKER_STALE_AFTER"
    )

# --- Authentication ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out sign-ins before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
# Lock an account + address pair after 5 failures for 15 minutes; success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # Django's AuthenticationForm names the email field "username"
# One lock per normalised email and address, for the form and HTTP Basic auth alike (accounts.lockout).
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "catalog:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "marketplace" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Chinese numbers grouped by three like English ones (Django's zh_Hans formats do not group).
FORMAT_MODULE_PATH = ["marketplace.formats"]
# The currencies a buyer may see prices in (the header's chooser, kept in this cookie); a listing
# is sold in its own currency, the others are approximations at the rates staff set
# (catalog.prices). Public pages are cached per chosen currency (marketplace.pagecache).
PRICE_CURRENCIES = ["CNY", "USD", "EUR"]
CURRENCY_COOKIE_NAME = "currency"

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Business licences, certificates, audit reports: no public URL (marketplace.storage.PrivateStorage).
PRIVATE_MEDIA_ROOT = Path(env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Object storage for media, private files and backups (any S3 API), when MEDIA_BUCKET is set:
# marketplace/settings/operations.py, with backups, logs and metrics. Unset, media stay the local
# folders here.
from .operations import (  # noqa: E402, F401
    AWS_ACCESS_KEY_ID,
    AWS_S3_ADDRESSING_STYLE,
    AWS_S3_CUSTOM_DOMAIN,
    AWS_S3_ENDPOINT_URL,
    AWS_S3_REGION_NAME,
    AWS_SECRET_ACCESS_KEY,
    BACKUP_BUCKET,
    BACKUP_DIR,
    BACKUP_KEEP,
    BACKUP_PG_BIN_DIR,
    LOG_FORMAT,
    LOGGING,
    MEDIA_BUCKET,
    MEDIA_BUCKET_ACL,
    MEDIA_ORIGINS,
    METRICS_ALLOW_NETWORKS,
    METRICS_TOKEN,
    METRICS_WORKER_LISTEN,
    PRIVATE_MEDIA_BUCKET,
    PRIVATE_MEDIA_URL_EXPIRY,
    PROMETHEUS_MULTIPROC_DIR,
)

STORAGES = {
    "default": {
        "BACKEND": "marketplace.storage.buckets.MediaBucketStorage"
        if MEDIA_BUCKET
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=not MEDIA_BUCKET)

# Uploads: Django refuses bodies past these; our validators check each file's content.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_IMAGE_MAX_BYTES = env.int("UPLOAD_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=40_000_000)
# Rows of a listing import written in one transaction; the progress bar moves after each batch.
LISTING_IMPORT_BATCH_SIZE = env.int("LISTING_IMPORT_BATCH_SIZE", default=500)
# Payment protection: days after shipping until held funds go to the supplier unless the buyer has
# confirmed the delivery earlier or opened a dispute (the buyer's window to dispute).
PROTECTION_AUTO_RELEASE_DAYS = env.int("PROTECTION_AUTO_RELEASE_DAYS", default=30)
if PROTECTION_AUTO_RELEASE_DAYS < 1:
    raise ImproperlyConfigured("PROTECTION_AUTO_RELEASE_DAYS must be at least 1")
# The platform's bank account buyers pay protected orders into, quoting the order number as the
# payment reference (shown on the order page and the purchase order). The default is a fictional
# account for local use and the demo; `check --deploy` warns while it is in use.
PAYMENT_PROTECTION_ACCOUNT_DEMO = {
    "bank_name": "Example Demo Bank (fictional, do not pay)",
    "account_name": "Belt Marketplace Protection Account (demo)",
    "account_number": "0000-DEMO-0000-0000",
    "swift": "DEMOCNSHXXX",
}
try:
    PAYMENT_PROTECTION_ACCOUNT = env.json("PAYMENT_PROTECTION_ACCOUNT", default=PAYMENT_PROTECTION_ACCOUNT_DEMO)
except ValueError as exc:
    raise ImproperlyConfigured("PAYMENT_PROTECTION_ACCOUNT is not valid JSON. See .env.example.") from exc
if not isinstance(PAYMENT_PROTECTION_ACCOUNT, dict) or any(
    not isinstance(PAYMENT_PROTECTION_ACCOUNT.get(key), str) or not PAYMENT_PROTECTION_ACCOUNT[key].strip()
    for key in PAYMENT_PROTECTION_ACCOUNT_DEMO
):
    raise ImproperlyConfigured(
        "PAYMENT_PROTECTION_ACCOUNT must be a JSON object with the texts "
        + ", ".join(PAYMENT_PROTECTION_ACCOUNT_DEMO)
        + ". See .env.example."
    )
# Check uploads in-process right after they are received instead of in the worker (the test settings).
FILE_CHECK_EAGER = env.bool("FILE_CHECK_EAGER", default=False)

# --- Email and the business registry: marketplace/settings/external.py -------------------------
from .external import (  # noqa: E402, F401
    DEFAULT_FROM_EMAIL,
    MAIL_SEND_EAGER,
    MAILERS,
    SUPPLIER_REGISTRY,
    SUPPLIER_REGISTRY_TIMEOUT_CEILING,
)

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
USE_HTTPS = env.bool("DJANGO_USE_HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = USE_HTTPS
SECURE_SSL_REDIRECT = USE_HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if USE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = USE_HTTPS
SECURE_HSTS_PRELOAD = USE_HTTPS and env.bool("DJANGO_HSTS_PRELOAD", default=False)
# Preloading is the operator's decision, not a defect: its warning is silenced unless it is on.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if USE_HTTPS else None
# Scheme and host of the site as people reach it, for addresses that leave a request behind: the QR
# codes of certificates, signed certificates, the purchase order PDF. Default: the first allowed host
# (http://127.0.0.1:8000 while DEBUG is on).
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")), "localhost")
_site_default = "http://127.0.0.1:8000" if DEBUG else f"{'https' if USE_HTTPS else 'http'}://{_first_host}"
SITE_URL = env.str("SITE_URL", default=_site_default).rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://")
# A refused CSRF check answers JSON under /api/, the usual page elsewhere.
CSRF_FAILURE_VIEW = "marketplace.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # Swagger UI sets inline styles
    # Pictures in the media bucket come from its host (or its CDN's).
    "img-src": [CSP.SELF, "data:", *(MEDIA_ORIGINS if MEDIA_BUCKET else [])],
    "font-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Deny by default: public endpoints open themselves one by one.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.BasicAuthentication",
        "accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
    "EXCEPTION_HANDLER": "marketplace.exceptions.api_exception_handler",
    # Proxies in front of the app that append to X-Forwarded-For: the rate limits (API and search)
    # count the address that many hops back. 0 counts REMOTE_ADDR, so a client cannot pick its
    # own address with the header; behind one reverse proxy set DJANGO_NUM_PROXIES=1.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
}
# API tokens record their last use at most this often (one conditional UPDATE, not one per request).
API_TOKEN_LAST_USED_INTERVAL = datetime.timedelta(minutes=env.int("API_TOKEN_LAST_USED_MINUTES", default=5))
# Webhooks (orders.webhooks): each delivery is tried for this long with growing waits, then given up.
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", default=24)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)  # seconds for one delivery, at most 10
if not 0 < WEBHOOK_TIMEOUT <= 10.0:
    raise ImproperlyConfigured("WEBHOOK_TIMEOUT must be more than 0 and at most 10 seconds.")
# Networks webhook targets may be in besides public addresses: empty in production (private,
# loopback and link-local targets are refused); the test settings open loopback for a local receiver.
WEBHOOK_ALLOW_NETWORKS = env.list("WEBHOOK_ALLOW_NETWORKS", default=[])
WEBHOOK_SEND_EAGER = env.bool("WEBHOOK_SEND_EAGER", default=False)
# The public search page (/search/): searches per client address (catalog.throttles; fails open without a cache).
SEARCH_THROTTLE_RATE = env.str("SEARCH_THROTTLE_RATE", default="30/minute")

# --- Public pages cached for anonymous visitors (marketplace.pagecache) -------------------------
# How long a cached page is kept; its key changes the moment what it shows changes, so this only
# bounds the cache's memory. 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_ALIAS = "default"
# Part of every key: set it per deploy (e.g. the commit), or leave it empty for a digest of the code.
PAGE_CACHE_RELEASE = env.str("PAGE_CACHE_RELEASE", default="")
# Settings whose values public pages show: part of every key, so changing one needs no flush.
PAGE_CACHE_SETTINGS = ["API_SCHEMA_PUBLIC", "SITE_URL"]
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", SEARCH_THROTTLE_RATE):
    raise ImproperlyConfigured("SEARCH_THROTTLE_RATE must read like 30/minute (per second, minute, hour or day).")
# The OpenAPI schema and its Swagger UI (/api/schema/, /api/docs/): public when on, staff only when off.
API_SCHEMA_PUBLIC = env.bool("API_SCHEMA_PUBLIC", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Belt Marketplace API",
    "DESCRIPTION": "Certified-origin wholesale marketplace for China's industrial belts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Every operation states its error statuses and their JSON bodies (marketplace.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.schema.document_errors",
    ],
    # Stable names for choice sets whose field names repeat across models ("status", "kind").
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.Order.Status",
        "OrderKindEnum": "orders.models.OrderKind",
        "OrderEventKindEnum": "orders.models.OrderEvent.Kind",
        "ListingStatusEnum": "catalog.models.Listing.Status",
        "RfqStatusEnum": "orders.models.Rfq.Status",
        "QuoteStatusEnum": "orders.models.Quote.Status",
        "FileCheckEnum": "marketplace.filecheck.models.FileCheck",
        "OrderPartyEnum": "orders.models.Party",
        "OrderActionEnum": "orders.api.orders.ORDER_ACTIONS",
        "OrderChargeEnum": "orders.api.orders.ORDER_CHARGES",
        "WebhookEventTypeEnum": "orders.models.WebhookEventType",
        "ImportStatusEnum": "catalog.models.ListingImport.Status",  # the same as InvitationImport.Status
        "SupplierStatusEnum": "suppliers.models.Supplier.Status",
        "PublicLevelEnum": "suppliers.levels.PUBLIC_LEVEL_CHOICES",
        "StaffDecisionLevelEnum": "suppliers.api.staff.DECISION_LEVELS",
        "LotStatusEnum": "catalog.lots.models.Lot.Status",
        "LotCertificateKindEnum": "catalog.lots.models.LotCertificate.Kind",
        "ExportCertificateKindEnum": "catalog.tradedata.CertificateKind",
        "BrandLicenceKindEnum": "suppliers.models.BrandLicence.Kind",
        "IncotermEnum": "catalog.incoterms.Incoterm",
        "ProvinceEnum": "belts.regions.PROVINCE_CHOICES",
    },
}
