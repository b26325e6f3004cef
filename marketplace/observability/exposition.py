"""Serving the metrics: who may read them, what a scrape answers, and the worker's own endpoint.

Metrics name views, tasks and failure rates: not for the public. A scrape is let in with
`Authorization: Bearer <METRICS_TOKEN>`, or from an address in METRICS_ALLOW_NETWORKS (the
connecting address, never a forwarded header, which a client could write).
"""

import hmac
import ipaddress
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """CIDRs (or single addresses) as networks; ValueError names the first bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an address or network") from exc
    return networks


def scrape_allowed(*, remote_addr: str, authorization: str, token: str, networks: Sequence[Network]) -> bool:
    """Whether a scrape from `remote_addr` with this Authorization header may read the metrics."""
    scheme, _space, credentials = authorization.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in networks)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def render(extra: Collector | None = None) -> bytes:
    """The text exposition of this process's metrics (every process's, in multiprocess mode) and
    of `extra`, whose values are computed now."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        if extra is not None:
            registry.register(extra)
        return generate_latest(registry)
    output = generate_latest(REGISTRY)
    if extra is not None:
        own = CollectorRegistry(auto_describe=False)
        own.register(extra)
        output += generate_latest(own)
    return output


CONTENT_TYPE = CONTENT_TYPE_LATEST


def empty_multiprocess_dir() -> None:
    """Remove the files of processes that ran before this start (their counts would be added)."""
    folder = multiprocess_dir()
    if not folder:
        return
    path = Path(folder)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)


# --- The worker's endpoint ------------------------------------------------------------------------


def _metrics_app(*, token: str, networks: Sequence[Network]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        allowed = scrape_allowed(
            remote_addr=environ.get("REMOTE_ADDR", ""),
            authorization=environ.get("HTTP_AUTHORIZATION", ""),
            token=token,
            networks=networks,
        )
        if not allowed:
            start_response("401 Unauthorized", [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
            return [b"metrics need a bearer token or an allowed address\n"]
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [render()]

    return app


def serve_worker_metrics(*, listen: str, token: str, networks: Sequence[Network]) -> WSGIServer:
    """Serve GET /metrics on `listen` ("host:port") from a daemon thread of this process: Celery's
    main process, whose children's values reach it through the multiprocess directory."""
    host, _colon, port = listen.rpartition(":")
    server = make_server(
        host.strip("[]"),
        int(port),
        _metrics_app(token=token, networks=networks),
        ThreadingWSGIServer,
        handler_class=_SilentHandler,
    )
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    logger.info("worker metrics served on %s (multiprocess: %s)", listen, multiprocess_dir() or "off")
    return server
