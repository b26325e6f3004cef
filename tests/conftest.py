"""Shared fixtures. The cast, after healthchecks' Alice/Bob/Charlie:

- `supplier_member` acts for `supplier` (a certified manufacturer in `belt`);
- `other_member` acts for `other_supplier` in the same belt, and must never see the first one's drafts;
- `buyer` buys for a company; `operator` operates `belt`; `outsider` is signed-up and nothing else.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from marketplace.celery import app as celery_app
from tests import factories as f
from tests.databases import database_url

pytest_plugins = [
    "tests.outage",  # redis_server, live_app, redis_worker: real servers for outage tests
    "tests.objectstore",  # s3_server, object_storage: moto's S3 on loopback
    "tests.replica",  # replica_pair, replica_app: a primary and a streaming standby, the app on both
]


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Each test starts in English, whatever a previous request or email left activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_outage_remembered():
    """Each test starts with the broker and cache breakers closed, whatever a previous test broke."""
    from marketplace import cache, jobs

    cache.reset()
    jobs.reset()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def belt(db):
    return f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带")


@pytest.fixture
def category(db):
    return f.CategoryFactory(slug="laser-cutters", name_en="Laser cutting machines", name_zh="激光切割机")


@pytest.fixture
def supplier(belt):
    return f.SupplierFactory(belt=belt, name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司")


@pytest.fixture
def supplier_member(supplier):
    return f.SupplierMemberFactory(supplier=supplier).user


@pytest.fixture
def other_supplier(belt):
    return f.SupplierFactory(belt=belt)


@pytest.fixture
def other_member(other_supplier):
    return f.SupplierMemberFactory(supplier=other_supplier).user


@pytest.fixture
def buyer(db):
    return f.BuyerMemberFactory().user


@pytest.fixture
def operator(belt):
    return f.BeltOperatorFactory(belt=belt).user


@pytest.fixture
def outsider(db):
    return f.UserFactory(role=User.Role.BUYER)


@pytest.fixture
def staff(db):
    return User.objects.create_superuser(email="admin@example.test", password="correct-horse-battery")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filesystem_broker(tmp_path):
    """Point this process's Celery app at a private filesystem queue; restore afterwards."""
    queue = tmp_path / "celery"
    options = {
        "data_folder_in": str(queue / "queue"),
        "data_folder_out": str(queue / "queue"),
        "processed_folder": str(queue / "processed"),
        "control_folder": str(queue / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (queue / folder).mkdir(parents=True)
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = "filesystem://"
    celery_app.conf.broker_transport_options = options
    _reset_connections()
    yield tmp_path
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    _reset_connections()


def _reset_connections() -> None:
    """Drop pooled broker connections so the next message uses the broker now configured."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Extra environment for the `worker` process; a test module overrides it to change a setting."""
    return {}


def start_worker(
    folder: Path,
    settings,
    log_name: str = "worker.log",
    extra_env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> subprocess.Popen:
    """Start a `celery worker` process (solo pool) on `folder`'s filesystem queue, the test database
    and the test's media folders, with `extra_env` and `extra_args`; its output goes to
    `folder / log_name`. Without a `-Q` in `extra_args` it consumes every queue, as `make run`'s does."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "REDIS_URL": "",
        "VAR_DIR": str(folder),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        **(extra_env or {}),
    }
    with open(folder / log_name, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo", "-l", "info",
             "--without-mingle", "--without-gossip", "--without-heartbeat", *extra_args],
            cwd=Path(settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


@pytest.fixture
def worker(filesystem_broker, settings, worker_env):
    """A `celery worker` process on the same queue folder, test database and media folder, consuming
    every queue."""
    process = start_worker(filesystem_broker, settings, extra_env=worker_env)
    try:
        yield process, filesystem_broker / "worker.log"
    finally:
        process.terminate()
        process.wait(timeout=20)


def pytest_terminal_summary(terminalreporter):
    """Print the figures tests recorded with `record_property("figure", ...)`, from xdist workers too."""
    figures = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("figures")
        for figure in dict.fromkeys(figures):
            terminalreporter.write_line(figure)
