"""Real servers for outage tests: a redis-server of the test's own, and the app served by gunicorn
with the production settings (marketplace.settings.base: Redis as cache and broker, API throttles on).

The servers listen on ports of their own (Redis 6381-6389, the app 15440-15449), never the
machine's Redis on 6379. A test stops and starts its Redis to make the outage.
"""

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from kombu import pools as kombu_pools

from tests.databases import database_url

REDIS_SERVER = "/usr/bin/redis-server"
CSRF_SECRET = "k" * 32
# A client gives up after this long (a load balancer would answer 504); gunicorn kills a worker
# stuck twice as long.
REQUEST_TIMEOUT = 10  # a CSRF secret of the right length: sent as cookie and header alike


@contextlib.contextmanager
def port_lock() -> Iterator[None]:
    """Held from choosing a free port until the server listens on it, so two test processes
    (pytest-xdist workers) never pick the same one."""
    with open(Path(tempfile.gettempdir()) / "marketplace-outage-tests-ports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def free_port(first: int, last: int) -> int:
    """The first port in [first, last] nobody listens on (other test runs may hold some)."""
    for port in range(first, last + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As the servers bind (SO_REUSEADDR): a port whose last connections are in TIME_WAIT
            # is free for them, and only a listening socket makes the bind fail.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


def wait_for_port(port: int, *, up: bool, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            listening = probe.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} still {'closed' if up else 'open'} after {seconds} s")


@dataclass
class RedisServer:
    """A redis-server process without persistence, in its own folder, that a test stops and starts."""

    folder: Path
    port: int = 0  # chosen by the first start
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start on a free port the first time, on the same port after a stop."""
        with port_lock():
            self.port = self.port or free_port(6381, 6389)
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_for_port(self.port, up=True)
        assert self.process.poll() is None, f"redis-server could not listen on {self.port}"

    def freeze(self) -> None:
        """Stop the server's process (SIGSTOP): connections are accepted by the kernel and never
        answered, as when Redis hangs or the network drops its packets."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def outage(self, kind: str) -> None:
        """ "killed": the port refuses connections; "frozen": connections hang."""
        self.stop() if kind == "killed" else self.freeze()

    def recover(self, kind: str) -> None:
        self.start() if kind == "killed" else self.thaw()

    def stop(self) -> None:
        """Kill the server (SIGKILL: an outage, not a polite shutdown) and wait until the port is closed."""
        if self.process is not None:
            self.process.kill()  # a frozen process dies too
            self.process.wait(timeout=10)
            self.process = None
        wait_for_port(self.port, up=False)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(folder=tmp_path)
    server.start()
    yield server
    server.stop()


def app_env(redis: RedisServer, folder: Path) -> dict[str, str]:
    """The environment of a production-like process of this test run: its database, its Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "VAR_DIR": str(folder / "var"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MAIL_SEND_EAGER": "false",
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "LOG_LEVEL": "WARNING",
    }


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if a request or job stuck on a frozen Redis holds it up."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class LiveApp:
    """The marketplace served by gunicorn; `request` answers (status, body) and never raises for 4xx/5xx."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def request(
        self, method: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))
        try:
            with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except TimeoutError:
            return 0, b"no answer within the timeout"
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return 0, b"no answer within the timeout"
            raise

    def location(self, path: str, *, headers: dict[str, str]) -> str:
        """Where a GET of `path` redirects to ("" when it does not redirect)."""
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=REQUEST_TIMEOUT):
                return ""
        except urllib.error.HTTPError as answer:
            return answer.headers.get("Location", "") if 300 <= answer.code < 400 else ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def session_headers(user, *, json: bool = False) -> dict[str, str]:
    """Headers that sign `user` in on the live app: a session row in the database (committed by a
    transactional test) and a CSRF secret sent as cookie and header, as a browser's page would."""
    client = Client()
    client.force_login(user)
    headers = {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
    }
    if json:
        headers["Content-Type"] = "application/json"
    return headers


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files collected once with the production settings' manifest storage, which pages
    rendered by `live_app` need for their {% static %} addresses."""
    folder = tmp_path_factory.mktemp("collected-static")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.base", "DJANGO_STATIC_ROOT": str(folder)}
    env["DJANGO_DEBUG"] = "false"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=Path(settings.BASE_DIR), env=env, check=True,
    )  # fmt: skip
    return folder


def start_gunicorn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn (1 worker, 2 threads) serving marketplace.wsgi with `env` on a free loopback port of
    15440-15449, its output in `log`; returned once the port listens."""
    with port_lock(), open(log, "wb") as out:
        port = free_port(15440, 15449)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "2", "--timeout", str(2 * REQUEST_TIMEOUT), "--graceful-timeout", "2",
             "--no-control-socket"],
            cwd=Path(settings.BASE_DIR), stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        wait_for_port(port, up=True, seconds=30)
    return process, port


@pytest.fixture
def live_app(redis_server, tmp_path, collected_static):
    """gunicorn (2 threads) with production settings on this run's database and `redis_server`."""
    log = tmp_path / "gunicorn.log"
    env = {**app_env(redis_server, tmp_path), "DJANGO_STATIC_ROOT": str(collected_static)}
    process, port = start_gunicorn(env, log)
    try:
        assert process.poll() is None, log.read_text()
        yield LiveApp(base=f"http://127.0.0.1:{port}", process=process, log=log)
    finally:
        stop_process(process)


@pytest.fixture
def redis_worker(redis_server, tmp_path):
    """A `celery worker` process consuming from `redis_server`, on this run's test database."""
    env = {
        **app_env(redis_server, tmp_path),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "REDIS_URL": "",
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo", "-l", "info",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=Path(settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield process, log
    finally:
        stop_process(process)


@pytest.fixture
def redis_broker(redis_server):
    """Point this process's Celery app at `redis_server` (with the production transport options);
    restore afterwards."""
    from marketplace.celery import app as celery_app
    from tests.conftest import _reset_connections

    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = redis_server.url
    celery_app.conf.broker_transport_options = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": settings.REDIS_SOCKET_TIMEOUT,
        "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
    }
    _reset_connections()
    yield redis_server
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    _reset_connections()
    # kombu keeps producer pools by broker address in a registry of its own: the next test's Redis
    # on the same port must not get this test's closed pool.
    kombu_pools.reset()
