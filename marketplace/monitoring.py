"""/metrics: the process metrics (marketplace.observability) and figures read from the database
when Prometheus scrapes: the outboxes' backlog and the last badge audit's findings.

The database figures are a few aggregates over partial indexes and one audit's rows: cheap enough
for a scrape every 15 seconds. They are the same whichever web process answers, so a dashboard
takes their max() over instances, not their sum().
"""

import logging
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from marketplace.mail.selectors import outbound_mail_backlog
from marketplace.mail.services import MAX_ATTEMPTS
from marketplace.observability.exposition import CONTENT_TYPE, render, scrape_allowed
from orders.selectors.webhooks import webhook_delivery_backlog
from suppliers.models import BadgeAudit, BadgeDrift

logger = logging.getLogger(__name__)


class DatabaseFigures(Collector):
    """Gauges computed from the database at scrape time."""

    def describe(self) -> list[Metric]:
        return []  # registering must not query: the figures exist only when scraped

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("marketplace_database_figures_up", "1 when the figures below could be read")
        try:
            figures = list(self._figures())
        except Exception:  # a database that is down must not fail the scrape of the process metrics
            logger.exception("the database figures of /metrics could not be read")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterator[Metric]:
        now = timezone.now()
        backlog = GaugeMetricFamily(
            "marketplace_outbox_backlog", "Outbox rows not sent yet, by outbox and state", labels=["outbox", "state"]
        )
        oldest = GaugeMetricFamily(
            "marketplace_outbox_oldest_age_seconds",
            "Age of the oldest outbox row still to be sent (0 when none waits)",
            labels=["outbox"],
        )
        mail = outbound_mail_backlog(max_attempts=MAX_ATTEMPTS)
        backlog.add_metric(["mail", "waiting"], mail.waiting)
        backlog.add_metric(["mail", "given_up"], mail.given_up)
        oldest.add_metric(["mail"], (now - mail.oldest_waiting).total_seconds() if mail.oldest_waiting else 0)
        pending, oldest_pending, paused = webhook_delivery_backlog()
        backlog.add_metric(["webhook", "waiting"], pending)
        backlog.add_metric(["webhook", "paused"], paused)
        oldest.add_metric(["webhook"], (now - oldest_pending).total_seconds() if oldest_pending else 0)
        yield backlog
        yield oldest

        audit = BadgeAudit.objects.finished().only("pk", "finished_at", "drift_count", "suppliers_checked").first()
        stale = GaugeMetricFamily(
            "marketplace_badge_audit_stale_badges",
            "Stored badges the last finished badge audit found untrue (and repaired)",
        )
        by_field = GaugeMetricFamily(
            "marketplace_badge_audit_stale_badges_by_field",
            "Stored badges the last finished badge audit found untrue, by badge",
            labels=["field"],
        )
        checked = GaugeMetricFamily(
            "marketplace_badge_audit_suppliers_checked", "Suppliers the last finished badge audit checked"
        )
        finished = GaugeMetricFamily(
            "marketplace_badge_audit_finished_timestamp_seconds",
            "When the last badge audit finished (Unix time; 0 when none has)",
        )
        if audit is None:
            stale.add_metric([], 0)
            checked.add_metric([], 0)
            finished.add_metric([], 0)
        else:
            stale.add_metric([], audit.drift_count)
            checked.add_metric([], audit.suppliers_checked)
            finished.add_metric([], audit.finished_at.timestamp() if audit.finished_at else 0)
            for field, count in BadgeDrift.objects.counts_by_field(audit_id=audit.pk).items():
                by_field.add_metric([field], count)
        yield from (stale, by_field, checked, finished)


DATABASE_FIGURES = DatabaseFigures()


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition, for a bearer of METRICS_TOKEN or an address in
    METRICS_ALLOW_NETWORKS only; anyone else gets 401."""
    allowed = scrape_allowed(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        authorization=request.headers.get("Authorization", ""),
        token=settings.METRICS_TOKEN,
        networks=settings.METRICS_ALLOW_NETWORKS,
    )
    if not allowed:
        response = HttpResponse("Metrics need a bearer token or an allowed address.\n", status=401)
        response["Content-Type"] = "text/plain; charset=utf-8"
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(render(DATABASE_FIGURES), content_type=CONTENT_TYPE)
