"""The guarded outbound HTTP request: a URL someone else may have chosen, reached safely.

- only http and https, no user or password in the URL (`parse_url`);
- the host is resolved once and refused if any address is outside the caller's allowed networks
  (`addresses.resolve_allowed`); the connection goes to a checked address, with the host's name in
  the Host header and in TLS's SNI and certificate check (`PinnedConnection`);
- redirects are never followed (http.client follows none: the caller sees the 3xx);
- one deadline covers resolving, connecting, TLS, sending and every read, so a server that trickles
  its answer cannot hold the worker past it;
- `read_capped` reads the body in pieces and gives up once it passes the caller's cap.

Each caller keeps its own settings: which networks it allows besides public addresses, its
deadline, its size cap, its certificate authorities.
"""

import http.client
import io
import ipaddress
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .addresses import Deadline, IPNetwork, is_allowed_address, resolve_allowed
from .errors import OutboundRefused, OutboundTimeout, OutboundUnavailable

READ_CHUNK = 16 * 1024


@dataclass(frozen=True)
class Target:
    """Where a request goes: scheme, host (a name or a literal address), port, and the path with
    its query."""

    scheme: str
    host: str
    port: int
    path: str


def parse_url(url: str, *, allow_query: bool = True) -> Target:
    """Split `url`, refusing (OutboundRefused) what is never allowed whatever it resolves to: another
    scheme than http or https, no host, a user or password; with `allow_query=False` a query or a
    fragment too (a base URL the caller appends to)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused("not a valid URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefused("only an http:// or https:// URL with a host")
    if not allow_query and (parts.username or parts.password or parts.query or parts.fragment):
        raise OutboundRefused("no user, password, query or fragment in the URL")
    if parts.username or parts.password:
        raise OutboundRefused("no user or password in the URL")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def check_url(url: str, *, allow_networks: Sequence[IPNetwork], resolve_seconds: float = 3.0) -> Target:
    """Refuse (OutboundRefused) a URL that is not plain http(s) or whose host resolves now to an
    address outside `allow_networks` and the public internet, or does not resolve. For a URL saved
    to be called later; the request checks again when it is made (a name may resolve elsewhere)."""
    target = parse_url(url)
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_allowed_address(literal, allow_networks):
            raise OutboundRefused(f"{literal} is not a public address")
        return target
    try:
        resolve_allowed(target.host, target.port, deadline=Deadline(resolve_seconds), allow_networks=allow_networks)
    except OutboundUnavailable as exc:
        raise OutboundRefused(f"{target.host} could not be resolved") from exc
    return target


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


class PinnedConnection(http.client.HTTPConnection):
    """A connection to addresses checked beforehand (`resolve_allowed`): no lookup of its own, the
    host name kept for the Host header and for TLS (SNI and the certificate's name)."""

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
            except OutboundTimeout:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = _DeadlineSocket(sock, self._deadline)
            return
        raise error or OSError("no address to connect to")


@contextmanager
def outbound_request(
    *,
    method: str,
    target: Target,
    deadline: Deadline,
    allow_networks: Sequence[IPNetwork] = (),
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> Iterator[http.client.HTTPResponse]:
    """Send one request to `target` under the guards above and yield its response (status and
    headers read, the body left to the caller: `read_capped`, or `response.read(n)` for a
    snippet); the connection is closed when the block ends.

    Raises OutboundRefused (an address not allowed, a refused certificate) or OutboundUnavailable
    (no address, no connection, a broken answer; OutboundTimeout once the deadline passes), also for
    what happens while the block reads. An https target without `ssl_context` uses the system's
    certificate authorities."""
    if ssl_context is None and target.scheme == "https":
        ssl_context = ssl.create_default_context()
    connection: PinnedConnection | None = None
    response: http.client.HTTPResponse | None = None
    try:
        targets = resolve_allowed(target.host, target.port, deadline=deadline, allow_networks=allow_networks)
        connection = PinnedConnection(
            target.host, target.port, targets=targets, deadline=deadline, ssl_context=ssl_context
        )
        connection.request(method, target.path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        yield response
    except TimeoutError as exc:
        raise OutboundTimeout(f"no answer within {deadline.seconds:g} s") from exc
    except ssl.SSLCertVerificationError as exc:  # a wrong certificate is not an outage
        raise OutboundRefused(f"the certificate was refused: {exc.verify_message}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise OutboundUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()


def read_capped(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The whole body, read in pieces; OutboundRefused as soon as it is (or says it is) larger than
    `max_bytes`, before reading more."""
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise OutboundRefused(f"the answer is {declared} bytes, over the {max_bytes} allowed")
    body = bytearray()
    while chunk := response.read(min(READ_CHUNK, max_bytes + 1 - len(body))):
        body += chunk
        if len(body) > max_bytes:
            raise OutboundRefused(f"the answer is over the {max_bytes} bytes allowed")
    return bytes(body)
