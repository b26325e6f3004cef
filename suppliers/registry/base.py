"""What a business-registry lookup returns, the interface every adapter meets, and how one is chosen.

The lookup is off unless `settings.SUPPLIER_REGISTRY["ADAPTER"]` names an adapter class; its
`OPTIONS` are passed to the class as keyword arguments. With no adapter there is no lookup, no
registry check row and no registry evidence anywhere.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class RegistryError(Exception):
    """The lookup was refused or its answer is unusable (a redirect, a private address, an
    oversized or malformed body, a rejected token): trying again will not help."""


class RegistryUnavailable(RegistryError):
    """The registry could not be reached or did not answer in time: try again later."""


class RegistryStatus(models.TextChoices):
    ACTIVE = "active", _("In business")
    REVOKED = "revoked", _("Licence revoked")
    CANCELLED = "cancelled", _("Deregistered")
    OTHER = "other", _("Other status")


@dataclass(frozen=True)
class RegistryRecord:
    """A company's entry in a business registry, as one source returned it at one time."""

    uscc: str
    legal_name: str  # as registered: the Chinese name for a mainland company
    legal_name_en: str
    legal_representative: str
    status: str  # a RegistryStatus value
    registered_address: str
    business_scope: str
    source: str  # the registry's name, shown in the evidence ("Looked up in <source>")
    fetched_at: datetime.datetime

    def is_active(self) -> bool:
        return self.status == RegistryStatus.ACTIVE


class RegistryAdapter(Protocol):
    """Looks a company up by its unified social credit code.

    Returns None when the registry has no such company; raises RegistryUnavailable on an outage
    and RegistryError when the answer cannot be used.
    """

    def lookup(self, uscc: str) -> RegistryRecord | None: ...


def registry_enabled() -> bool:
    """Whether an adapter is configured (without building it)."""
    return bool((getattr(settings, "SUPPLIER_REGISTRY", None) or {}).get("ADAPTER"))


def registry_adapter() -> RegistryAdapter | None:
    """The configured adapter, or None when the lookup is off (the default)."""
    config: dict[str, Any] = getattr(settings, "SUPPLIER_REGISTRY", None) or {}
    path = config.get("ADAPTER")
    if not path:
        return None
    try:
        adapter_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SUPPLIER_REGISTRY adapter {path!r} cannot be imported: {exc}") from exc
    adapter: RegistryAdapter = adapter_class(**config.get("OPTIONS", {}))
    return adapter
