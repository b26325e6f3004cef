"""Settings come from the environment, and incomplete production settings fail loudly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-real-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "market.example.com",
    "DJANGO_USE_HTTPS": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DATABASE_URL": "postgres://user:pw@db.example.com:5432/marketplace",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    # The test settings' fixed key (marketplace/settings/test.py puts it in the environment).
    "CERTIFICATE_SIGNING_KEYS": os.environ["CERTIFICATE_SIGNING_KEYS"],
    "PAYMENT_PROTECTION_ACCOUNT": '{"bank_name": "Bank of Example", "account_name": "Belt Marketplace Ltd.", '
    '"account_number": "0123456789", "swift": "EXAMCNSHXXX"}',
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CERTIFICATE_", "SITE_URL", "API_SCHEMA_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "marketplace.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_or_hosts_stops_with_a_message_naming_them():
    result = _manage("check", env={"DJANGO_DEBUG": "false"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_without_certificate_signing_keys_stops_with_a_message_naming_them():
    env = {k: v for k, v in PRODUCTION.items() if k != "CERTIFICATE_SIGNING_KEYS"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_KEYS" in result.stderr


def test_a_certificate_signing_key_that_is_not_a_key_stops_with_a_message():
    bad = '[{"kid": "2027-01", "active": true, "private_key": "not a PEM"}]'
    result = _manage("check", env={**PRODUCTION, "CERTIFICATE_SIGNING_KEYS": bad})
    assert result.returncode != 0
    assert "'2027-01': not a readable unencrypted PEM key" in result.stderr


def test_certificate_signing_keys_that_are_not_json_stop_with_a_message():
    result = _manage("check", env={**PRODUCTION, "CERTIFICATE_SIGNING_KEYS": "kid=2027-01"})
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_KEYS is not valid JSON" in result.stderr


def test_site_url_defaults_to_the_first_allowed_host_over_https():
    code = "from django.conf import settings as s; print(s.SITE_URL)"
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://market.example.com"]


def test_sqlite_is_refused():
    result = _manage("check", env={**PRODUCTION, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_complete_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_check_deploy_refuses_uploads_checked_in_the_request():
    result = _manage("check", "--deploy", env={**PRODUCTION, "FILE_CHECK_EAGER": "true"})
    assert result.returncode != 0
    assert "filecheck.E001" in result.stderr


def test_check_deploy_warns_while_buyers_would_be_told_to_pay_into_the_demo_account():
    """The fictional protection account is the default: fine locally, flagged for production."""
    env = {k: v for k, v in PRODUCTION.items() if k != "PAYMENT_PROTECTION_ACCOUNT"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "orders.W001" in result.stderr


def test_a_protection_account_without_its_fields_stops_with_a_message():
    result = _manage("check", env={**PRODUCTION, "PAYMENT_PROTECTION_ACCOUNT": '{"bank_name": "Bank of Example"}'})
    assert result.returncode != 0
    assert "PAYMENT_PROTECTION_ACCOUNT must be a JSON object" in result.stderr
    result = _manage("check", env={**PRODUCTION, "PAYMENT_PROTECTION_ACCOUNT": "Bank of Example"})
    assert result.returncode != 0
    assert "PAYMENT_PROTECTION_ACCOUNT is not valid JSON" in result.stderr


def test_production_keeps_the_api_schema_private_unless_a_setting_opens_it():
    code = "from django.conf import settings as s; print(s.API_SCHEMA_PUBLIC)"
    closed = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    opened = _manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, "API_SCHEMA_PUBLIC": "true"})
    assert (closed.stdout.split(), opened.stdout.split()) == (["False"], ["True"]), closed.stderr + opened.stderr


def test_redis_url_makes_redis_the_broker_and_the_fail_open_cache():
    code = "from django.conf import settings as s; print(s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://cache.example.com:6379/0", "marketplace.cache.FailOpenRedisCache"]


def test_redis_calls_and_job_publishing_are_bounded_to_about_a_second():
    """A hung Redis costs a request at most one socket timeout per call, and a publish one retry."""
    code = (
        "from django.conf import settings as s; "
        "c, b = s.CACHES['default']['OPTIONS'], s.CELERY_BROKER_TRANSPORT_OPTIONS; "
        "print(c['socket_timeout'], c['socket_connect_timeout'], b['socket_timeout'], b['socket_connect_timeout'], "
        "s.CELERY_TASK_PUBLISH_RETRY_POLICY['max_retries'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert [float(x) for x in result.stdout.split()] == [0.5, 0.5, 0.5, 0.5, 1]


def test_without_redis_url_celery_uses_the_filesystem_transport_under_var(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, env={**env, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["filesystem://", f"{tmp_path}/celery/queue"]


def test_celery_acknowledges_late_and_prefetches_one():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_api_denies_by_default():
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == ["rest_framework.permissions.IsAuthenticated"]


def test_database_connections_run_without_jit(db):
    """JIT compiling cost the catalog's queries 10–60 ms each at a million listings: it is off."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_every_periodic_job_names_a_task_the_worker_registers():
    """A typo in CELERY_BEAT_SCHEDULE, or a task module the worker never imports, would only show
    as an "unregistered task" error in the worker's log at the scheduled hour."""
    from django.conf import settings

    from marketplace.celery import app

    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    missing = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks
    }
    assert missing == {}


def test_smtp_gives_up_on_a_silent_mail_server_after_a_short_timeout():
    """A hung SMTP server must not hang a worker (or a sweep) for the socket's default of forever."""
    code = "from django.conf import settings as s; print(s.MAILERS['default']['OPTIONS']['timeout'], s.MAIL_SEND_EAGER)"
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["10", "False"]
    result = _manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, "EMAIL_TIMEOUT": "3"})
    assert result.stdout.split() == ["3", "False"]


def test_the_business_registry_is_off_unless_an_adapter_is_named():
    code = "from django.conf import settings as s; print(repr(s.SUPPLIER_REGISTRY))"
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{}"


def test_a_registry_timeout_over_the_ten_second_ceiling_stops_the_start():
    for timeout in ("30", "10.5", "0"):
        result = _manage("check", env={**PRODUCTION, "SUPPLIER_REGISTRY_TIMEOUT": timeout})
        assert result.returncode != 0
        assert "SUPPLIER_REGISTRY_TIMEOUT" in result.stderr and "at most 10" in result.stderr


def test_the_http_registry_adapter_is_configured_from_the_environment():
    env = {
        **PRODUCTION,
        "SUPPLIER_REGISTRY_ADAPTER": "suppliers.registry.http.HttpRegistryAdapter",
        "SUPPLIER_REGISTRY_URL": "https://registry.example.com/v1/companies",
        "SUPPLIER_REGISTRY_TIMEOUT": "4",
    }
    code = "from suppliers.registry import registry_adapter as r; a = r(); print(a.host, a.timeout, a.max_bytes)"
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["registry.example.com", "4.0", "262144"]


@pytest.mark.parametrize(
    ("module", "examples"),
    [("operations", {"METRICS_ALLOW_NETWORKS", "MEDIA_BUCKET"}), ("external", {"MAILERS", "SUPPLIER_REGISTRY"})],
)
def test_base_settings_take_every_setting_of_the_modules_it_imports(module, examples):
    """Every setting marketplace/settings/operations.py (object storage, backups, logs, metrics) and
    external.py (mail, business registry) define reaches django.conf.settings through base.py."""
    import ast
    from pathlib import Path

    from django.conf import settings

    source = Path(settings.BASE_DIR, "marketplace", "settings", f"{module}.py").read_text()
    names = set()
    for node in ast.walk(ast.parse(source)):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper() and t.id != "VAR_DIR"}
    assert examples <= names
    missing = sorted(name for name in names if not hasattr(settings, name))
    assert not missing, f"base.py does not import {missing} from {module}.py"
