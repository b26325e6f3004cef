"""Signing a webhook delivery and POSTing it to a URL someone else chose (no database here).

The signature: `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed
with the endpoint's secret>` (docs/api.md, "Webhooks", has the receiver's check).

The target is guarded by the kernel's outbound client (marketplace.outbound), with the webhooks' own
settings: only http and https, no user or password in the URL; the host is resolved at send time
and refused if any address is private, loopback, link-local, multicast, reserved or unspecified
(unless inside `WEBHOOK_ALLOW_NETWORKS`, which tests open for a local receiver); the connection goes
to a checked address (no second lookup to rebind); redirects are not followed; one deadline
(`WEBHOOK_TIMEOUT`) covers the request; at most `MAX_RESPONSE_BYTES` of the answer are read.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from marketplace.outbound import (
    Deadline,
    OutboundRefused,
    OutboundUnavailable,
    outbound_request,
    parse_networks,
    parse_url,
)

SIGNATURE_HEADER = "X-Webhook-Signature"
MAX_RESPONSE_BYTES = 4096  # the status decides; the start of the body is kept for the owner's log
USER_AGENT = "belt-marketplace-webhooks/1"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(
    *, url: str, body: bytes, headers: dict[str, str], timeout: float, allow_networks: Sequence[str]
) -> SendResult:
    """POST `body` to `url` under the guards above; never raises for the receiver's failures."""
    sent_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        with outbound_request(
            method="POST",
            target=parse_url(url),
            deadline=Deadline(timeout),
            allow_networks=parse_networks(allow_networks),
            headers=sent_headers,
            body=body,
        ) as response:
            snippet = response.read(MAX_RESPONSE_BYTES)
            status = response.status
    except OutboundRefused as exc:
        return SendResult(None, f"refused: {exc}")
    except OutboundUnavailable as exc:
        return SendResult(None, str(exc))
    if 300 <= status < 400:
        return SendResult(status, "answered with a redirect, which is not followed")
    if not 200 <= status < 300:
        text = snippet.decode("utf-8", "replace").strip()
        return SendResult(status, f"answered {status}" + (f": {text[:200]}" if text else ""))
    return SendResult(status, "")
