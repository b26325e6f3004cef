"""Outbound HTTP to a URL the marketplace does not control (a business registry, a webhook
receiver): only http(s), only to addresses the caller allows (public ones, plus networks its
settings open), pinned to the address that was checked, under one deadline, with a size cap.

    target = parse_url(url)
    with outbound_request(method="GET", target=target, deadline=Deadline(5), allow_networks=nets) as r:
        body = read_capped(r, 64 * 1024)

Errors: OutboundRefused (trying again will not help), OutboundUnavailable (it may; OutboundTimeout).
"""

from .addresses import (
    Deadline,
    IPAddress,
    IPNetwork,
    is_allowed_address,
    is_public_address,
    parse_networks,
    resolve_allowed,
)
from .client import PinnedConnection, Target, check_url, outbound_request, parse_url, read_capped
from .errors import OutboundRefused, OutboundTimeout, OutboundUnavailable

__all__ = [
    "Deadline",
    "IPAddress",
    "IPNetwork",
    "OutboundRefused",
    "OutboundTimeout",
    "OutboundUnavailable",
    "PinnedConnection",
    "Target",
    "check_url",
    "is_allowed_address",
    "is_public_address",
    "outbound_request",
    "parse_networks",
    "parse_url",
    "read_capped",
    "resolve_allowed",
]
