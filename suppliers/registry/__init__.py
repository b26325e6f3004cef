"""Business-registry lookups: an adapter interface, off by default, and an HTTP adapter (`.http`)."""

from .base import (
    RegistryAdapter,
    RegistryError,
    RegistryRecord,
    RegistryStatus,
    RegistryUnavailable,
    registry_adapter,
    registry_enabled,
)

__all__ = [
    "RegistryAdapter",
    "RegistryError",
    "RegistryRecord",
    "RegistryStatus",
    "RegistryUnavailable",
    "registry_adapter",
    "registry_enabled",
]
