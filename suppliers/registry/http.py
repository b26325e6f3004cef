"""A business registry reached over HTTP(S), guarded for a URL that points at the open internet.

The request: `GET <base_url>/<USCC>` with `Authorization: Bearer <token>` when a token is set.
200 with a JSON object is a record, 404 is "no such company", anything else is an error. The guards
(the kernel's outbound client, marketplace.outbound, with the registry's own settings):

- only http and https, only the configured host and port (the path is built here, never taken from
  an answer);
- the host is resolved once and refused if any address is private, loopback, link-local, multicast,
  reserved or unspecified (IPv4 and IPv6, IPv4-mapped included); the connection goes to a checked
  address, with the host's name in the Host header and in TLS's SNI and certificate check;
- redirects are not followed: a 3xx answer is an error;
- one deadline (at most 10 s) covers resolving, connecting, TLS, sending and every read, so a server
  that trickles its answer cannot hold the worker past it;
- the body is read in pieces and the request is abandoned once it passes `max_bytes`.
"""

import json
import re
import ssl
from collections.abc import Sequence
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from marketplace.outbound import (
    Deadline,
    IPNetwork,
    OutboundRefused,
    OutboundUnavailable,
    Target,
    outbound_request,
    parse_networks,
    parse_url,
    read_capped,
)

from .base import RegistryError, RegistryRecord, RegistryStatus, RegistryUnavailable

MAX_TIMEOUT = 10.0  # seconds: the hard ceiling, whatever the settings say
DEFAULT_MAX_BYTES = 256 * 1024
USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
STATUS_WORDS = {
    "active": RegistryStatus.ACTIVE,
    "revoked": RegistryStatus.REVOKED,
    "cancelled": RegistryStatus.CANCELLED,
    "canceled": RegistryStatus.CANCELLED,
}


class HttpRegistryAdapter:
    """Looks companies up in a registry's HTTP API (see the module docstring for the contract)."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str = "",
        source: str = "",
        timeout: float = MAX_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_networks: Sequence[str] = (),
        ca_file: str | None = None,
    ) -> None:
        """`allow_networks` opens given private networks (a test's local server, never production's
        default); `ca_file` trusts a certificate authority besides the system's."""
        try:
            target = parse_url(base_url, allow_query=False)
        except OutboundRefused as exc:
            raise ImproperlyConfigured(f"The registry URL: {exc}.") from exc
        if not 0 < timeout <= MAX_TIMEOUT:
            raise ImproperlyConfigured(f"The registry timeout must be more than 0 and at most {MAX_TIMEOUT:g} s.")
        if max_bytes <= 0:
            raise ImproperlyConfigured("The registry response limit must be a positive number of bytes.")
        self.scheme, self.host, self.port = target.scheme, target.host, target.port
        self.path = target.path.rstrip("/")
        self.token, self.timeout, self.max_bytes = token, float(timeout), max_bytes
        self.source = source or self.host
        self.allow_networks: tuple[IPNetwork, ...] = parse_networks(allow_networks)
        self.ssl_context = ssl.create_default_context(cafile=ca_file) if target.scheme == "https" else None

    def lookup(self, uscc: str) -> RegistryRecord | None:
        code = uscc.strip().upper()
        if not USCC_SHAPE.fullmatch(code):
            raise RegistryError("not an 18-character credit code")
        try:
            status, body = self._get(f"{self.path}/{quote(code, safe='')}")
        except OutboundUnavailable as exc:
            raise RegistryUnavailable(str(exc)) from exc
        except OutboundRefused as exc:
            raise RegistryError(str(exc)) from exc
        if status == 404:
            return None
        if 300 <= status < 400:
            raise RegistryError(f"answered with a redirect ({status}), which is not followed")
        if status == 429 or status >= 500:
            raise RegistryUnavailable(f"answered {status}")
        if status != 200:
            raise RegistryError(f"answered {status}")
        return self._record(code, body)

    def _get(self, path: str) -> tuple[int, bytes]:
        """The answer's status, and its body when the status is 200 (nothing else is read)."""
        headers = {"Accept": "application/json", "User-Agent": "belt-marketplace-registry/1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        with outbound_request(
            method="GET",
            target=Target(self.scheme, self.host, self.port, path),
            deadline=Deadline(self.timeout),
            allow_networks=self.allow_networks,
            headers=headers,
            ssl_context=self.ssl_context,
        ) as response:
            if response.status != 200:
                return response.status, b""
            return 200, read_capped(response, self.max_bytes)

    def _record(self, code: str, body: bytes) -> RegistryRecord:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise RegistryError("the answer is not JSON") from exc
        if not isinstance(data, dict):
            raise RegistryError("the answer is not a JSON object")

        def text(key: str) -> str:
            value = data.get(key) or ""
            if not isinstance(value, str):
                raise RegistryError(f"{key} is not a string")
            return value.strip()

        if text("uscc").upper() != code:
            raise RegistryError("the answer is about another credit code")
        return RegistryRecord(
            uscc=code,
            legal_name=text("name"),
            legal_name_en=text("name_en"),
            legal_representative=text("legal_representative"),
            status=STATUS_WORDS.get(text("status").lower(), RegistryStatus.OTHER),
            registered_address=text("registered_address"),
            business_scope=text("business_scope"),
            source=self.source,
            fetched_at=timezone.now(),
        )
