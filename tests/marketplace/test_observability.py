"""Observability in the web process: /metrics (who may read it, request latency by view, database
figures read at scrape time), the request id (header round trip, on every log line) and JSON logs.
The jobs' metrics and the id carried into a job are in test_observability_worker.py."""

import io
import json
import logging
import logging.config

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from marketplace.mail.models import OutboundMail
from marketplace.observability.logs import logging_config
from marketplace.observability.requestid import HEADER, MAX_LENGTH, request_id
from orders.models import WebhookDelivery, WebhookEndpoint, WebhookEventType
from suppliers.models import Supplier
from suppliers.services import badges_audit
from tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-of-the-test-suite"


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the sample `name` whose labels include `labels` (None when there is none)."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


@pytest.fixture
def scrape(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW_NETWORKS = []

    def read() -> str:
        response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/plain; version=")
        return response.content.decode()

    return read


# --- who may read /metrics ------------------------------------------------------------------------


def test_metrics_refuse_a_request_without_the_token_or_with_a_wrong_one(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW_NETWORKS = []
    anonymous = Client().get("/metrics")
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all"})
    basic = Client().get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
    for response in (anonymous, wrong, basic):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"django_http" not in response.content


def test_metrics_are_closed_to_everyone_when_neither_token_nor_networks_are_set(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_NETWORKS = []
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_metrics_open_to_an_allowed_network_by_the_connecting_address_not_a_forwarded_one(settings):
    from marketplace.observability.exposition import parse_networks

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_NETWORKS = parse_networks(["10.0.0.0/8"])
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    outside = Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert outside.status_code == 401


def test_metrics_settings_refuse_a_short_token_and_a_bad_network():
    import os
    import subprocess
    import sys

    for variable, value in (("METRICS_TOKEN", "short"), ("METRICS_ALLOW_NETWORKS", "10.0.0.0/8,not-a-net")):
        run = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings.test", variable: value},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert run.returncode != 0 and variable in run.stderr, run.stderr[-500:]


# --- what /metrics shows --------------------------------------------------------------------------


def test_metrics_show_a_requests_latency_under_its_view_name(scrape):
    before = scrape()
    count_before = sample(before, "django_http_request_duration_seconds_count", view="catalog:home", method="GET") or 0
    responses_before = sample(before, "django_http_responses_total", view="catalog:home", method="GET", status="200")

    assert Client().get("/").status_code == 200

    after = scrape()
    assert sample(after, "django_http_request_duration_seconds_count", view="catalog:home", method="GET") == (
        count_before + 1
    )
    assert sample(after, "django_http_request_duration_seconds_sum", view="catalog:home", method="GET") > 0
    assert sample(after, "django_http_responses_total", view="catalog:home", method="GET", status="200") == (
        (responses_before or 0) + 1
    )
    # The home page queried the database: its statements were timed.
    assert sample(after, "django_db_query_duration_seconds_count", alias="default") > 0


def test_an_unknown_address_is_counted_under_one_label_not_its_path(scrape):
    Client().get("/no-such-page-xyz/")
    text = scrape()
    assert "no-such-page-xyz" not in text
    assert sample(text, "django_http_responses_total", view="<unresolved>", status="404") >= 1


def test_outbox_backlog_gauge_counts_a_mail_row_added_and_its_sending(scrape):
    before = sample(scrape(), "marketplace_outbox_backlog", outbox="mail", state="waiting")
    mail = OutboundMail.objects.create(to=["someone@example.com"], subject="Hello", body="Body")

    text = scrape()
    assert sample(text, "marketplace_outbox_backlog", outbox="mail", state="waiting") == before + 1
    assert sample(text, "marketplace_outbox_oldest_age_seconds", outbox="mail") >= 0
    assert sample(text, "marketplace_database_figures_up") == 1

    OutboundMail.objects.filter(pk=mail.pk).update(attempts=30)  # given up after its last attempt
    text = scrape()
    assert sample(text, "marketplace_outbox_backlog", outbox="mail", state="waiting") == before
    assert sample(text, "marketplace_outbox_backlog", outbox="mail", state="given_up") >= 1


def test_outbox_backlog_gauge_counts_a_pending_webhook_delivery(scrape):
    before = sample(scrape(), "marketplace_outbox_backlog", outbox="webhook", state="waiting")
    endpoint = WebhookEndpoint.objects.create(
        buyer=f.BuyerCompanyFactory(), url="https://hooks.example.com/in", events=[WebhookEventType.ORDER_PLACED],
        secret="s" * 40, secret_prefix="ssss",
    )  # fmt: skip
    WebhookDelivery.objects.create(endpoint=endpoint, event_type=WebhookEventType.ORDER_PLACED, payload={})
    assert sample(scrape(), "marketplace_outbox_backlog", outbox="webhook", state="waiting") == before + 1


def test_webhook_deliveries_to_a_switched_off_endpoint_are_paused_not_waiting(scrape):
    """They are not sent while the owner keeps the endpoint off: counted apart, so an alert on the
    waiting backlog is not raised by an endpoint its owner switched off."""
    text = scrape()
    waiting = sample(text, "marketplace_outbox_backlog", outbox="webhook", state="waiting")
    paused = sample(text, "marketplace_outbox_backlog", outbox="webhook", state="paused")
    endpoint = WebhookEndpoint.objects.create(
        buyer=f.BuyerCompanyFactory(), url="https://hooks.example.com/in", events=[WebhookEventType.ORDER_PLACED],
        secret="s" * 40, secret_prefix="ssss", is_active=False,
    )  # fmt: skip
    WebhookDelivery.objects.create(endpoint=endpoint, event_type=WebhookEventType.ORDER_PLACED, payload={})
    text = scrape()
    assert sample(text, "marketplace_outbox_backlog", outbox="webhook", state="waiting") == waiting
    assert sample(text, "marketplace_outbox_backlog", outbox="webhook", state="paused") == paused + 1


def test_stale_badge_gauges_show_the_last_finished_audits_findings(scrape, belt):
    assert badges_audit().drift_count == 0
    text = scrape()
    assert sample(text, "marketplace_badge_audit_stale_badges") == 0
    assert sample(text, "marketplace_badge_audit_finished_timestamp_seconds") > 0

    supplier = f.SupplierFactory(belt=belt)
    # A stored badge made untrue behind the services' back: the audit finds and repairs it.
    Supplier.objects.filter(pk=supplier.pk).update(certification_level="audited_factory")
    audit = badges_audit()
    assert audit.drift_count >= 1

    text = scrape()
    assert sample(text, "marketplace_badge_audit_stale_badges") == audit.drift_count
    assert sample(text, "marketplace_badge_audit_stale_badges_by_field", field="certification_level") >= 1
    assert sample(text, "marketplace_badge_audit_suppliers_checked") == audit.suppliers_checked


# --- request id -----------------------------------------------------------------------------------


def test_a_request_id_sent_comes_back_and_one_is_made_when_none_is_sent():
    sent = Client().get("/healthz", headers={HEADER: "edge-4f2a.17"})
    assert sent[HEADER] == "edge-4f2a.17"
    made = Client().get("/healthz")
    other = Client().get("/healthz")
    assert len(made[HEADER]) == 32 and made[HEADER] != other[HEADER]


@pytest.mark.parametrize(
    "bad", ["has space", "line\nbreak", 'quote"d', "x" * (MAX_LENGTH + 1), "-starts-with-a-dash", "ünï"]
)
def test_a_malformed_or_too_long_request_id_is_replaced(bad):
    response = Client().get("/healthz", headers={HEADER: bad})
    assert response[HEADER] != bad and len(response[HEADER]) == 32


def test_the_longest_valid_request_id_is_kept():
    rid = "a" * MAX_LENGTH
    assert Client().get("/healthz", headers={HEADER: rid})[HEADER] == rid


def _json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.fixture
def json_log():
    """The JSON logging of LOG_FORMAT=json, its handler writing to a string; restored afterwards."""
    config = logging_config(log_format="json", level="INFO")
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_json_log_lines_carry_the_request_id_of_the_request_that_logged_them(json_log):
    """Django logs every 404 (logger django.request) from inside the middleware chain: the line is
    one JSON object with the id the request came with; a line logged outside a request has "-"."""
    response = Client().get("/no-such-page-abc/", headers={HEADER: "trace-abc-123"})
    logging.getLogger("marketplace.test").warning("outside any request", extra={"detail": 42})

    lines = _json_lines(json_log)
    not_found = next(line for line in lines if line["logger"] == "django.request")
    outside = next(line for line in lines if line["message"] == "outside any request")
    assert response.status_code == 404 and response[HEADER] == "trace-abc-123"
    assert not_found["request_id"] == "trace-abc-123"
    assert not_found["level"] == "WARNING" and "/no-such-page-abc/" in not_found["message"]
    assert "time" in not_found and isinstance(not_found["pid"], int)
    assert outside["request_id"] == "-" and outside["detail"] == 42
    assert request_id.get() is None  # reset once the response left


def test_healthz_is_liveness_without_a_database_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
