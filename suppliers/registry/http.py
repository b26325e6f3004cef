"""A business registry reached over HTTP(S), guarded for a URL that points at the open internet.

The request: `GET <base_url>/<USCC>` with `Authorization: Bearer <token>` when a token is set.
200 with a JSON object is a record, 404 is "no such company", anything else is an error. The guards:

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

import http.client
import io
import json
import re
import socket
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .addresses import Deadline, IPNetwork, parse_networks, resolve_allowed
from .base import RegistryError, RegistryRecord, RegistryStatus, RegistryUnavailable

MAX_TIMEOUT = 10.0  # seconds: the hard ceiling, whatever the settings say
DEFAULT_MAX_BYTES = 256 * 1024
READ_CHUNK = 16 * 1024
USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
STATUS_WORDS = {
    "active": RegistryStatus.ACTIVE,
    "revoked": RegistryStatus.REVOKED,
    "cancelled": RegistryStatus.CANCELLED,
    "canceled": RegistryStatus.CANCELLED,
}


class _DeadlineReader(io.RawIOBase):
    """Socket reads that each wait only for what is left of the deadline."""

    def __init__(self, owner: "_DeadlineSocket") -> None:
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self._owner.sock
        sock.settimeout(self._owner.deadline.remaining())
        return sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.reader_closed()
        super().close()


class _DeadlineSocket:
    """The parts of a socket http.client uses, each bounded by the request's deadline.

    Like a real socket's makefile(), an open reader keeps the socket open: http.client closes the
    connection as soon as it has read the headers of a `Connection: close` answer, before the body.
    """

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock, self.deadline = sock, deadline
        self._readers = 0
        self._closing = False

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(self.deadline.remaining())
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def reader_closed(self) -> None:
        self._readers -= 1
        if self._closing and self._readers <= 0:
            self.sock.close()

    def close(self) -> None:
        self._closing = True
        if self._readers <= 0:
            self.sock.close()


class _PinnedConnection(http.client.HTTPConnection):
    """A connection to addresses checked beforehand: no lookup of its own, the host name kept for
    the Host header and for TLS (SNI and the certificate's name)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        targets: list[tuple[int, Any]],
        deadline: Deadline,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port, timeout=deadline.remaining())
        self._targets, self._deadline, self._ssl_context = targets, deadline, ssl_context

    def connect(self) -> None:
        error: OSError | None = None
        for family, sockaddr in self._targets:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self._deadline.remaining())
                sock.connect(sockaddr)
                if self._ssl_context is not None:
                    # The handshake as a whole is bounded by the socket's timeout.
                    sock.settimeout(self._deadline.remaining())
                    sock = self._ssl_context.wrap_socket(sock, server_hostname=self.host)
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = _DeadlineSocket(sock, self._deadline)
            return
        raise error or OSError("no address to connect to")


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
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured("The registry URL must be an http:// or https:// URL with a host.")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ImproperlyConfigured("The registry URL takes no user, password, query or fragment.")
        if not 0 < timeout <= MAX_TIMEOUT:
            raise ImproperlyConfigured(f"The registry timeout must be more than 0 and at most {MAX_TIMEOUT:g} s.")
        if max_bytes <= 0:
            raise ImproperlyConfigured("The registry response limit must be a positive number of bytes.")
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = parts.path.rstrip("/")
        self.token, self.timeout, self.max_bytes = token, float(timeout), max_bytes
        self.source = source or self.host
        self.allow_networks: tuple[IPNetwork, ...] = parse_networks(allow_networks)
        self.ssl_context = ssl.create_default_context(cafile=ca_file) if parts.scheme == "https" else None

    def lookup(self, uscc: str) -> RegistryRecord | None:
        code = uscc.strip().upper()
        if not USCC_SHAPE.fullmatch(code):
            raise RegistryError("not an 18-character credit code")
        deadline = Deadline(self.timeout)
        try:
            status, body = self._get(f"{self.path}/{quote(code, safe='')}", deadline)
        except TimeoutError as exc:
            raise RegistryUnavailable(f"no answer within {self.timeout:g} s") from exc
        except ssl.SSLCertVerificationError as exc:  # a wrong certificate is not an outage
            raise RegistryError(f"the registry's certificate was refused: {exc.verify_message}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise RegistryUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if status == 404:
            return None
        if 300 <= status < 400:
            raise RegistryError(f"answered with a redirect ({status}), which is not followed")
        if status == 429 or status >= 500:
            raise RegistryUnavailable(f"answered {status}")
        if status != 200:
            raise RegistryError(f"answered {status}")
        return self._record(code, body)

    def _get(self, path: str, deadline: Deadline) -> tuple[int, bytes]:
        targets = resolve_allowed(self.host, self.port, deadline=deadline, allow_networks=self.allow_networks)
        connection = _PinnedConnection(
            self.host, self.port, targets=targets, deadline=deadline, ssl_context=self.ssl_context
        )
        headers = {"Accept": "application/json", "User-Agent": "belt-marketplace-registry/1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response: http.client.HTTPResponse | None = None
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status != 200:
                return response.status, b""
            declared = response.getheader("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise RegistryError(f"the answer is {declared} bytes, over the {self.max_bytes} allowed")
            body = bytearray()
            while chunk := response.read(min(READ_CHUNK, self.max_bytes + 1 - len(body))):
                body += chunk
                if len(body) > self.max_bytes:
                    raise RegistryError(f"the answer is over the {self.max_bytes} bytes allowed")
            return 200, bytes(body)
        finally:
            if response is not None:
                response.close()
            connection.close()

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
