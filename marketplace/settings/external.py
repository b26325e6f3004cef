"""Settings of the services outside the marketplace it talks to: the mail server and the business
registry. Read from the environment like base.py's, which imports every name here."""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# --- Email ------------------------------------------------------------------------------------
# Django 6.1's MAILERS; the console backend prints mail locally.
MAILERS = {
    "default": {
        "BACKEND": env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        # Seconds before a silent mail server is given up: a hung SMTP must not hang a worker.
        # (MAILERS forbids the old EMAIL_TIMEOUT setting; the env var keeps its name.)
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Belt Marketplace <noreply@localhost>")
# Every email goes through the outbox (marketplace.mail): written with the change, sent after commit
# by a task, or, when this is on, in the committing process itself (tests; a machine without a worker).
MAIL_SEND_EAGER = env.bool("MAIL_SEND_EAGER", default=False)

# --- Business registry lookup (suppliers.registry) -------------------------------------------
# Off unless SUPPLIER_REGISTRY_ADAPTER names an adapter class: then the verification job looks each
# credit code up and certification can cite the registry's record. The adapter gets OPTIONS.
SUPPLIER_REGISTRY_TIMEOUT_CEILING = 10.0  # seconds: no registry request may hold a worker longer
_registry_adapter = env.str("SUPPLIER_REGISTRY_ADAPTER", default="")
_registry_url = env.str("SUPPLIER_REGISTRY_URL", default="")
_registry_timeout = env.float("SUPPLIER_REGISTRY_TIMEOUT", default=SUPPLIER_REGISTRY_TIMEOUT_CEILING)
_registry_max_bytes = env.int("SUPPLIER_REGISTRY_MAX_BYTES", default=256 * 1024)
if not 0 < _registry_timeout <= SUPPLIER_REGISTRY_TIMEOUT_CEILING:
    raise ImproperlyConfigured(
        f"SUPPLIER_REGISTRY_TIMEOUT must be more than 0 and at most {SUPPLIER_REGISTRY_TIMEOUT_CEILING:g} seconds."
    )
if _registry_max_bytes <= 0:
    raise ImproperlyConfigured("SUPPLIER_REGISTRY_MAX_BYTES must be a positive number of bytes.")
if _registry_adapter.endswith("HttpRegistryAdapter") and not _registry_url:
    raise ImproperlyConfigured("SUPPLIER_REGISTRY_ADAPTER is the HTTP adapter: set SUPPLIER_REGISTRY_URL too.")
SUPPLIER_REGISTRY: dict[str, object] = (
    {
        "ADAPTER": _registry_adapter,
        "OPTIONS": {
            "base_url": _registry_url,
            "token": env.str("SUPPLIER_REGISTRY_TOKEN", default=""),
            "source": env.str("SUPPLIER_REGISTRY_SOURCE", default=""),
            "timeout": _registry_timeout,
            "max_bytes": _registry_max_bytes,
        },
    }
    if _registry_adapter
    else {}
)
