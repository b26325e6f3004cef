"""The kernel's guarded outbound HTTP client (marketplace.outbound), which the registry adapter and
the webhooks both use: which addresses it may reach, URLs it refuses, the name resolved once and
the connection pinned to the checked address, redirects not followed, one deadline, the size cap."""

import contextlib
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.outbound import (
    Deadline,
    OutboundRefused,
    OutboundTimeout,
    OutboundUnavailable,
    check_url,
    is_allowed_address,
    is_public_address,
    outbound_request,
    parse_networks,
    parse_url,
    read_capped,
    resolve_allowed,
)

LOOPBACK = parse_networks(["127.0.0.1/32"])


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, self.headers["Host"]))
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        body = b"x" * int(self.path.rsplit("/", 1)[-1] or 0) if self.path.startswith("/bytes/") else b"hello"
        self.send_response(200)
        if not self.path.startswith("/bytes/"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may give up at its deadline or its size cap, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def fake_dns(monkeypatch, *addresses: str) -> list[str]:
    """Make every name resolve to `addresses`; returns the names asked for, in order."""
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _get(url: str, *, seconds: float = 2, allow=LOOPBACK, cap: int = 1024) -> tuple[int, bytes]:
    with outbound_request(method="GET", target=parse_url(url), deadline=Deadline(seconds), allow_networks=allow) as r:
        return r.status, read_capped(r, cap)


# --- requests -------------------------------------------------------------------------------------


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(server, monkeypatch):
    asked = fake_dns(monkeypatch, "127.0.0.1")
    port = server.server_address[1]
    assert _get(f"http://hooks.test:{port}/hello") == (200, b"hello")
    assert asked == ["hooks.test"]  # no second lookup that could answer differently
    assert server.seen == [("/hello", f"hooks.test:{port}")]


def test_loopback_is_refused_without_the_allow_list_before_connecting(server):
    with pytest.raises(OutboundRefused, match="not a public address"):
        _get(f"http://127.0.0.1:{server.server_address[1]}/hello", allow=())
    assert server.seen == []


def test_a_redirect_is_answered_to_the_caller_not_followed(server):
    status, _body = _get(f"http://127.0.0.1:{server.server_address[1]}/redirect")
    assert status == 302 and [path for path, _host in server.seen] == ["/redirect"]


def test_the_size_cap_refuses_an_answer_over_it_and_reads_one_just_within(server):
    port = server.server_address[1]
    assert _get(f"http://127.0.0.1:{port}/bytes/1024") == (200, b"x" * 1024)
    with pytest.raises(OutboundRefused, match="over the 1024 bytes"):
        _get(f"http://127.0.0.1:{port}/bytes/5000")


def test_one_deadline_covers_the_request(server):
    started = time.monotonic()
    with pytest.raises(OutboundTimeout, match=r"no answer within 0\.5 s"):
        _get(f"http://127.0.0.1:{server.server_address[1]}/slow", seconds=0.5)
    assert time.monotonic() - started < 1.2


def test_a_closed_port_is_unavailable_not_refused():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(OutboundUnavailable, match="ConnectionRefusedError"):
        _get(f"http://127.0.0.1:{port}/")


# --- URLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/hook", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("example.com/hook", "http:// or https://"),
        ("http://user:pass@example.com/hook", "no user"),
        ("http://example.com:99999/hook", "not a valid URL"),
    ],
)
def test_only_plain_http_and_https_urls_are_accepted(url, problem):
    with pytest.raises(OutboundRefused, match=problem):
        parse_url(url)


def test_a_base_url_takes_no_query_and_a_request_url_keeps_it():
    with pytest.raises(OutboundRefused, match="no user, password, query or fragment"):
        parse_url("https://registry.example.com/v1?next=http://10.0.0.1/", allow_query=False)
    target = parse_url("https://hooks.example.com/in?src=mkt#part")
    assert (target.scheme, target.host, target.port, target.path) == ("https", "hooks.example.com", 443, "/in?src=mkt")


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://[::ffff:127.0.0.1]/x", "http://10.1.2.3/x"])
def test_check_url_refuses_a_literal_private_address_unless_its_network_is_allowed(url):
    with pytest.raises(OutboundRefused, match="not a public address"):
        check_url(url, allow_networks=())
    if "127.0.0.1" in url:
        assert check_url(url, allow_networks=LOOPBACK).host in ("127.0.0.1", "::ffff:127.0.0.1")


def test_check_url_refuses_a_name_that_does_not_resolve(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(OutboundRefused, match="could not be resolved"):
        check_url("https://nowhere.test/hook", allow_networks=())


# --- addresses ------------------------------------------------------------------------------------


def test_the_allow_list_opens_only_its_networks(monkeypatch):
    fake_dns(monkeypatch, "127.0.0.1", "10.0.0.7")
    allow = [ipaddress.ip_network("127.0.0.1/32")]
    with pytest.raises(OutboundRefused, match=r"10\.0\.0\.7"):
        resolve_allowed("hooks.test", 80, deadline=Deadline(2), allow_networks=allow)


# --- the address table --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:8.8.8.8", True),  # IPv4-mapped: judged by the IPv4 address
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("169.254.169.254", False),  # link-local: cloud metadata
        ("0.0.0.0", False),  # noqa: S104 (an address to refuse, not one to bind)
        ("224.0.0.1", False),
        ("224.0.1.1", False),  # multicast, though "global"
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("192.0.2.1", False),  # documentation
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),  # unique local
        ("fec0::1", False),  # site-local
        ("ff02::1", False),
        ("ff0e::1", False),  # global-scope multicast
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("::ffff:0.0.0.0", False),
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2001:db8::1", False),  # documentation
    ],
)
def test_address_table(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_allowed_networks_match_mapped_addresses_too():
    allow = [ipaddress.ip_network("127.0.0.1/32")]
    assert is_allowed_address(ipaddress.ip_address("127.0.0.1"), allow)
    assert is_allowed_address(ipaddress.ip_address("::ffff:127.0.0.1"), allow)
    assert not is_allowed_address(ipaddress.ip_address("127.0.0.2"), allow)
    assert not is_allowed_address(ipaddress.ip_address("::1"), allow)
