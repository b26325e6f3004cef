"""Signing a webhook delivery and POSTing it to a URL someone else chose (no database here).

The signature: `X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed
with the endpoint's secret>` (docs/api.md, "Webhooks", has the receiver's check).

The target is guarded as the supplier registry's adapter guards its own (suppliers.registry): only
http and https, no user or password in the URL; the host is resolved at send time and refused if
any address is private, loopback, link-local, multicast, reserved or unspecified (unless inside
`WEBHOOK_ALLOW_NETWORKS`, which tests open for a local receiver); the connection goes to a checked
address (no second lookup to rebind); redirects are not followed; one deadline covers the request;
at most `MAX_RESPONSE_BYTES` of the answer are read.
"""

import hashlib
import hmac
import http.client
import ipaddress
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from suppliers.registry.addresses import Deadline, IPNetwork, is_allowed_address, parse_networks, resolve_allowed
from suppliers.registry.base import RegistryError, RegistryUnavailable
from suppliers.registry.http import _PinnedConnection as PinnedConnection  # checked addresses, one deadline

SIGNATURE_HEADER = "X-Webhook-Signature"
MAX_RESPONSE_BYTES = 4096  # the status decides; the start of the body is kept for the owner's log
USER_AGENT = "belt-marketplace-webhooks/1"


class TargetRefused(Exception):
    """The URL may not be posted to (scheme, credentials, a non-public address)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def parse_target(url: str) -> Target:
    """Split a webhook URL, refusing what is never allowed whatever it resolves to."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused("not a valid URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("only http:// and https:// URLs with a host")
    if parts.username or parts.password:
        raise TargetRefused("no user or password in the URL")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def check_target(url: str, *, allow_networks: Sequence[str], resolve_seconds: float = 3.0) -> Target:
    """Refuse a URL that is not http(s) or whose host resolves (now) to a non-public address. Run
    when an endpoint is saved, and again at every send (a name may resolve elsewhere later)."""
    target = parse_target(url)
    networks = parse_networks(allow_networks)
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_allowed_address(literal, networks):
            raise TargetRefused(f"{literal} is not a public address")
        return target
    try:
        resolve_allowed(target.host, target.port, deadline=Deadline(resolve_seconds), allow_networks=networks)
    except RegistryError as exc:
        raise TargetRefused(str(exc)) from exc
    except (RegistryUnavailable, TimeoutError) as exc:
        raise TargetRefused(f"{target.host} could not be resolved") from exc
    return target


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
    deadline = Deadline(timeout)
    try:
        target = parse_target(url)
        networks: tuple[IPNetwork, ...] = parse_networks(allow_networks)
        targets = resolve_allowed(target.host, target.port, deadline=deadline, allow_networks=networks)
    except TargetRefused as exc:
        return SendResult(None, f"refused: {exc}")
    except RegistryError as exc:
        return SendResult(None, f"refused: {exc}")
    except (RegistryUnavailable, TimeoutError) as exc:
        return SendResult(None, f"{type(exc).__name__}: {exc}")
    context = ssl.create_default_context() if target.scheme == "https" else None
    connection = PinnedConnection(target.host, target.port, targets=targets, deadline=deadline, ssl_context=context)
    sent_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    response: http.client.HTTPResponse | None = None
    try:
        connection.request("POST", target.path, body=body, headers=sent_headers)
        response = connection.getresponse()
        snippet = response.read(MAX_RESPONSE_BYTES)
        if 300 <= response.status < 400:
            return SendResult(response.status, "answered with a redirect, which is not followed")
        if not 200 <= response.status < 300:
            text = snippet.decode("utf-8", "replace").strip()
            return SendResult(response.status, f"answered {response.status}" + (f": {text[:200]}" if text else ""))
        return SendResult(response.status, "")
    except TimeoutError:
        return SendResult(None, f"no answer within {timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        return SendResult(None, f"{type(exc).__name__}: {exc}")
    finally:
        if response is not None:
            response.close()
        connection.close()
