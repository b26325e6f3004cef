"""Webhooks: a buying company's or a supplier's HTTP endpoints, and the outbox of deliveries to them.

A delivery row is written in the transaction of the change it reports (orders.webhooks.emit), so a
rolled-back change sends nothing and a committed one always has its delivery; the send runs after
commit and the sweep retries what failed (orders.webhooks.delivery).
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.i18n import ChoiceLabel


class WebhookEventType(models.TextChoices):
    """What a webhook may subscribe to. Order and dispute events go to both parties' endpoints;
    RFQ events to the buying company's, and an accepted quote also to its supplier's;
    `rfq.received` to each supplier an RFQ is routed to."""

    ORDER_PLACED = "order.placed", _("Order placed")
    ORDER_TERMS_PROPOSED = "order.terms_proposed", _("Order terms proposed")
    ORDER_CONFIRMED = "order.confirmed", _("Order confirmed")
    ORDER_DEPOSIT_PAID = "order.deposit_paid", _("Order deposit paid")
    ORDER_PAID = "order.paid", _("Order paid")
    ORDER_SHIPPED = "order.shipped", _("Order shipped")
    ORDER_DELIVERED = "order.delivered", _("Order delivered")
    ORDER_COMPLETED = "order.completed", _("Order completed")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    DISPUTE_OPENED = "dispute.opened", _("Dispute opened")
    DISPUTE_ANSWERED = "dispute.answered", _("Dispute answered")
    DISPUTE_DECIDED = "dispute.decided", _("Dispute decided")
    RFQ_PUBLISHED = "rfq.published", _("RFQ published")
    RFQ_RECEIVED = "rfq.received", _("RFQ received")
    RFQ_QUOTED = "rfq.quoted", _("RFQ quoted")
    RFQ_AWARDED = "rfq.awarded", _("RFQ awarded")
    RFQ_CANCELLED = "rfq.cancelled", _("RFQ cancelled")


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def for_owner(self, *, buyer_id: int | None = None, supplier_id: int | None = None) -> "WebhookEndpointQuerySet":
        """The endpoints of one buying company or one supplier (exactly one of the two is given)."""
        if (buyer_id is None) == (supplier_id is None):
            raise ValueError("give a buyer or a supplier")
        return self.filter(buyer_id=buyer_id) if buyer_id is not None else self.filter(supplier_id=supplier_id)


class WebhookEndpoint(models.Model):
    """A URL a buying company or a supplier wants its events POSTed to, signed with `secret`
    (shown to its owner once, when made; kept here because every delivery is signed with it)."""

    buyer = models.ForeignKey(
        "buyers.BuyerCompany",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buying company"),
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = ArrayField(
        models.CharField(max_length=32, choices=WebhookEventType.choices), verbose_name=_("events"), size=32
    )
    secret = models.CharField(_("signing secret"), max_length=80)
    secret_prefix = models.CharField(_("secret prefix"), max_length=16)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(buyer__isnull=True, supplier__isnull=False) | Q(buyer__isnull=False, supplier__isnull=True),
                name="webhookendpoint_one_owner",
            )
        ]
        indexes = [
            models.Index(fields=["buyer"], condition=Q(buyer__isnull=False), name="webhookendpoint_buyer_idx"),
            models.Index(fields=["supplier"], condition=Q(supplier__isnull=False), name="webhookendpoint_supplier_idx"),
        ]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEventType.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDeliveryQuerySet(models.QuerySet["WebhookDelivery"]):
    def due(self, *, now: datetime.datetime) -> "WebhookDeliveryQuerySet":
        """Pending deliveries whose next attempt is due, to active endpoints, oldest first."""
        return self.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        ).order_by("next_attempt_at", "id")


class WebhookDelivery(models.Model):
    """One event for one endpoint, and the log of sending it: pending until a 2xx answer
    (delivered) or until it was tried for `WEBHOOK_RETRY_HOURS` (failed). A manual redelivery is a
    new row with the same event id (`redelivery_of` the row it repeats)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    event_type = models.CharField(_("event"), max_length=32, choices=WebhookEventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("redelivery of")
    )

    objects = WebhookDeliveryQuerySet.as_manager()

    status_label = ChoiceLabel("status", Status)
    event_label = ChoiceLabel("event_type", WebhookEventType)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-id")
        constraints = [
            # An event reaches an endpoint once, whatever retries the emitting code makes.
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=Q(redelivery_of__isnull=True),
                name="webhookdelivery_event_once",
            )
        ]
        indexes = [
            # The sweep's query: only the (few) pending rows are in this index.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhookdelivery_pending_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhookdelivery_endpoint_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
