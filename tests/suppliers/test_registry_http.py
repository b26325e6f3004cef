"""The HTTP registry adapter against a local server that plays the registry, and its guards:
non-public addresses, redirects, slow and oversized answers, the configured host only."""

import datetime
import socket
import ssl
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from suppliers.registry import RegistryError, RegistryStatus, RegistryUnavailable
from suppliers.registry.http import HttpRegistryAdapter
from tests.suppliers.factories import uscc_for
from tests.suppliers.registry_server import Answer, RegistryServer, record

CODE = uscc_for(4242)
LOOPBACK = ["127.0.0.1/32"]


@pytest.fixture
def registry():
    with RegistryServer() as server:
        yield server


def adapter(url: str, **options) -> HttpRegistryAdapter:
    return HttpRegistryAdapter(
        base_url=url, token="t0ken", source="Test registry", **{"allow_networks": LOOPBACK, "timeout": 2, **options}
    )


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


# --- answers ----------------------------------------------------------------------------------


def test_a_known_code_returns_the_record_and_sends_the_token(registry):
    registry.answers[CODE] = record(CODE, status="active")

    found = adapter(registry.url()).lookup(CODE.lower())

    assert (found.uscc, found.legal_name, found.legal_representative) == (CODE, "武汉光谷光电科技有限公司", "Chen Jie")
    assert found.status == RegistryStatus.ACTIVE and found.is_active()
    assert found.source == "Test registry" and found.fetched_at is not None
    [seen] = registry.requests
    assert seen.path == f"/v1/companies/{CODE}" and seen.authorization == "Bearer t0ken"


def test_an_unknown_code_is_none(registry):
    assert adapter(registry.url()).lookup(CODE) is None


@pytest.mark.parametrize(("word", "status"), [("revoked", "revoked"), ("cancelled", "cancelled"), ("moved", "other")])
def test_registry_statuses_are_read(registry, word, status):
    registry.answers[CODE] = record(CODE, status=word)
    found = adapter(registry.url()).lookup(CODE)
    assert found.status == status and not found.is_active()


def test_an_answer_about_another_code_is_refused(registry):
    registry.answers[CODE] = record(uscc_for(1))
    with pytest.raises(RegistryError, match="another credit code"):
        adapter(registry.url()).lookup(CODE)


@pytest.mark.parametrize("body", [b"<html>maintenance</html>", b"[1, 2]", b'{"uscc": 5}'])
def test_a_malformed_answer_is_refused(registry, body):
    registry.answers[CODE] = Answer(body=body)
    with pytest.raises(RegistryError) as caught:
        adapter(registry.url()).lookup(CODE)
    assert not isinstance(caught.value, RegistryUnavailable)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_server_error_is_an_outage(registry, status):
    registry.answers[CODE] = Answer(status=status)
    with pytest.raises(RegistryUnavailable):
        adapter(registry.url()).lookup(CODE)


def test_a_closed_port_is_an_outage(registry):
    url = registry.url()
    registry.shutdown()
    registry.server_close()
    with pytest.raises(RegistryUnavailable):
        adapter(url).lookup(CODE)


# --- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_refused_and_not_followed(registry, status):
    registry.answers[CODE] = Answer(status=status, headers={"Location": registry.url() + "/ELSEWHERE"})
    registry.answers["ELSEWHERE"] = record(CODE)

    with pytest.raises(RegistryError, match="redirect") as caught:
        adapter(registry.url()).lookup(CODE)

    assert not isinstance(caught.value, RegistryUnavailable)
    assert [seen.path for seen in registry.requests] == [f"/v1/companies/{CODE}"]


# --- time -----------------------------------------------------------------------------------------


def test_a_server_that_does_not_answer_times_out_within_the_limit(registry):
    registry.answers[CODE] = Answer(delay=5, body=record(CODE).body)
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable):
        adapter(registry.url(), timeout=0.5).lookup(CODE)
    assert time.monotonic() - started < 1.5


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_deadline_not_per_read(registry):
    # Each byte comes well within the timeout; the whole answer would take 6 s.
    registry.answers[CODE] = Answer(body=record(CODE).body, trickle=0.02)
    assert len(registry.answers[CODE].body) * 0.02 > 4
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable, match="no answer within"):
        adapter(registry.url(), timeout=1).lookup(CODE)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("timeout", [0, -1, 10.5, 60])
def test_a_timeout_over_the_ten_second_ceiling_or_not_positive_is_refused(timeout):
    with pytest.raises(ImproperlyConfigured, match="at most 10"):
        HttpRegistryAdapter(base_url="https://registry.example.com/v1", timeout=timeout)


def test_the_default_timeout_is_the_ceiling():
    assert HttpRegistryAdapter(base_url="https://registry.example.com/v1").timeout == 10


# --- size ---------------------------------------------------------------------------------------


def test_an_oversized_answer_is_refused_by_its_declared_length(registry):
    registry.answers[CODE] = Answer(body=b" " * 5000 + record(CODE).body)
    with pytest.raises(RegistryError, match="over the 4096"):
        adapter(registry.url(), max_bytes=4096).lookup(CODE)


def test_an_oversized_answer_without_a_length_is_cut_off_while_reading(registry):
    registry.answers[CODE] = Answer(body=b" " * 500_000 + record(CODE).body, send_length=False)
    with pytest.raises(RegistryError, match="over the 4096 bytes"):
        adapter(registry.url(), max_bytes=4096).lookup(CODE)


def test_an_answer_just_within_the_limit_is_read(registry):
    body = record(CODE).body
    registry.answers[CODE] = Answer(body=body, send_length=False)
    assert adapter(registry.url(), max_bytes=len(body)).lookup(CODE) is not None


# --- where it may connect -------------------------------------------------------------------------


def test_loopback_is_refused_without_the_allow_list_before_connecting(registry):
    registry.answers[CODE] = record(CODE)
    with pytest.raises(RegistryError, match="not a public address") as caught:
        adapter(registry.url(), allow_networks=()).lookup(CODE)
    assert not isinstance(caught.value, RegistryUnavailable)
    assert registry.requests == []


def test_the_host_is_resolved_once_and_named_in_the_host_header(registry, monkeypatch):
    registry.answers[CODE] = record(CODE)
    asked = fake_dns(monkeypatch, "127.0.0.1")

    assert adapter(registry.url(host="registry.test")).lookup(CODE) is not None

    assert asked == ["registry.test"]  # no second lookup that could answer differently
    assert registry.requests[0].host == f"registry.test:{registry.port}"


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.7"],
        ["169.254.169.254"],  # cloud metadata
        ["::ffff:169.254.169.254"],
        ["::ffff:127.0.0.1"],
        ["fe80::1"],
        ["93.184.216.34", "192.168.1.10"],  # one bad answer among good ones
        ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
    ],
)
def test_a_name_resolving_to_any_non_public_address_is_refused(monkeypatch, addresses):
    fake_dns(monkeypatch, *addresses)
    connected = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connected.append(address))
    with pytest.raises(RegistryError, match="not a public address"):
        HttpRegistryAdapter(base_url="https://registry.example.com/v1", timeout=2).lookup(CODE)
    assert connected == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://registry.example.com/v1", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("registry.example.com/v1", "http:// or https://"),
        ("https://user:secret@registry.example.com/v1", "no user"),
        ("https://registry.example.com/v1?next=http://10.0.0.1/", "no user"),
    ],
)
def test_only_plain_http_and_https_urls_are_accepted(url, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        HttpRegistryAdapter(base_url=url)


def test_the_code_cannot_steer_the_request_elsewhere(registry):
    with pytest.raises(RegistryError, match="credit code"):
        adapter(registry.url()).lookup("../../admin/?x=123456")
    assert registry.requests == []


# --- TLS ------------------------------------------------------------------------------------------


def _self_signed(tmp_path, name: str) -> tuple[str, str]:
    """A certificate for `name` signed by its own key: (certificate file, key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "registry.pem", tmp_path / "registry.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file)


@pytest.fixture
def tls_registry(tmp_path):
    cert_file, key_file = _self_signed(tmp_path, "registry.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    with RegistryServer() as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.server_names = server_names
        server.ca_file = cert_file
        yield server


def test_https_connects_to_the_checked_address_with_the_host_name_in_sni_and_the_certificate(tls_registry, monkeypatch):
    tls_registry.answers[CODE] = record(CODE)
    asked = fake_dns(monkeypatch, "127.0.0.1")
    url = tls_registry.url(host="registry.test", scheme="https")

    assert adapter(url, ca_file=tls_registry.ca_file).lookup(CODE) is not None

    assert asked == ["registry.test"]
    assert tls_registry.server_names == ["registry.test"]
    assert tls_registry.requests[0].host == f"registry.test:{tls_registry.port}"


def test_https_refuses_a_certificate_for_another_name(tls_registry, monkeypatch):
    fake_dns(monkeypatch, "127.0.0.1")
    url = tls_registry.url(host="other.test", scheme="https")
    with pytest.raises(RegistryError, match="certificate was refused") as caught:
        adapter(url, ca_file=tls_registry.ca_file).lookup(CODE)
    assert not isinstance(caught.value, RegistryUnavailable)
    assert tls_registry.requests == []
