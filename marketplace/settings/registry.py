"""The business registry lookup (suppliers.registry), read from the environment like base.py's,
which imports every name here.

Off unless SUPPLIER_REGISTRY_ADAPTER names an adapter class: then the verification job looks each
credit code up and certification can cite the registry's record. The adapter gets OPTIONS.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

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
