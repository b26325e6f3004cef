"""Which addresses an outbound request may reach, and name resolution under a deadline.

A URL's host name is resolved by DNS, which someone else may control. Every address a name resolves
to is checked, and the request then connects to a checked address itself (`client.PinnedConnection`),
so a second lookup answering differently (DNS rebinding) is never made.
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import OutboundRefused, OutboundTimeout, OutboundUnavailable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64).
NAT64_PREFIXES = (ipaddress.IPv6Network("64:ff9b::/96"),)


class Deadline:
    """A point in time every step of one request must finish by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises OutboundTimeout once none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise OutboundTimeout(f"no answer within {self.seconds:g} s")
        return left


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    embedded = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
    if any(address in prefix for prefix in NAT64_PREFIXES):
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in embedded if a is not None]


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address; False for private, loopback, link-local,
    multicast, reserved, unspecified and shared addresses, and for IPv6 addresses that carry such an
    IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local or not all(map(is_public_address, _embedded_ipv4(address))):
            return False
        if address.ipv4_mapped is not None:
            return True  # judged by the IPv4 address it stands for, just above
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_allowed_address(address: IPAddress, allow_networks: Sequence[IPNetwork] = ()) -> bool:
    """Public, or inside a network the caller's configuration explicitly allows (a test's local server)."""
    if is_public_address(address):
        return True
    candidates: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        candidates += _embedded_ipv4(address)
    return any(candidate in network for candidate in candidates for network in allow_networks)


def parse_networks(networks: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks written as text ("127.0.0.1/32", "::1/128"); ValueError for anything else."""
    return tuple(ipaddress.ip_network(network) for network in networks)


@dataclass
class _Lookup:
    host: str
    port: int
    infos: list[Any] = field(default_factory=list)
    error: OSError | None = None

    def run(self) -> None:
        try:
            self.infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            self.error = exc


def resolve_allowed(
    host: str, port: int, *, deadline: Deadline, allow_networks: Sequence[IPNetwork] = ()
) -> list[tuple[int, Any]]:
    """Resolve `host` and return (family, socket address) pairs to connect to.

    Refuses (OutboundRefused) when ANY resolved address is not allowed: one bad answer among good
    ones is reason enough to distrust the name. The system resolver has no timeout of its own, so it
    runs in a daemon thread that the deadline stops waiting for (OutboundTimeout).
    """
    lookup = _Lookup(host, port)
    thread = threading.Thread(target=lookup.run, name="outbound-resolve", daemon=True)
    thread.start()
    thread.join(deadline.remaining())
    if thread.is_alive():
        raise OutboundTimeout(f"resolving {host} timed out")
    if lookup.error is not None:
        raise OutboundUnavailable(f"cannot resolve {host}: {lookup.error}")
    targets: list[tuple[int, Any]] = []
    for family, _type, _proto, _canonname, sockaddr in lookup.infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0])
        if not is_allowed_address(address, allow_networks):
            raise OutboundRefused(f"{host} resolves to {address}, which is not a public address")
        if (family, sockaddr) not in targets:
            targets.append((family, sockaddr))
    if not targets:
        raise OutboundUnavailable(f"{host} has no address")
    return targets
