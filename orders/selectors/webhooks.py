"""Reads of webhooks, scoped by the company the asking user acts for."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from accounts.models import User
from buyers.models import BuyerCompany
from buyers.selectors.inquiries import buyer_company_for_user
from suppliers.models import Supplier
from suppliers.selectors import supplier_for_member

from ..models import WebhookDelivery, WebhookEndpoint


@dataclass(frozen=True)
class WebhookOwner:
    """The company whose endpoints a user manages: a supplier or a buying company, never both."""

    buyer: BuyerCompany | None = None
    supplier: Supplier | None = None

    @property
    def name(self) -> str:
        company = self.supplier or self.buyer
        return company.name if company is not None else ""


def webhook_owner_for_user(*, user: User) -> WebhookOwner | None:
    """The supplier a supplier's member acts for, else the buying company a buyer buys for, else
    None (operators, staff and people of neither have no webhooks). One or two queries."""
    if user.role == User.Role.SUPPLIER:
        supplier = supplier_for_member(user=user)
        return WebhookOwner(supplier=supplier) if supplier is not None else None
    buyer = buyer_company_for_user(user=user)
    return WebhookOwner(buyer=buyer) if buyer is not None else None


def webhook_endpoint_list_for_owner(*, owner: WebhookOwner) -> QuerySet[WebhookEndpoint]:
    """The owner's endpoints, newest first (no joins: a row holds what the lists show)."""
    return WebhookEndpoint.objects.for_owner(
        buyer_id=owner.buyer.pk if owner.buyer else None, supplier_id=owner.supplier.pk if owner.supplier else None
    ).order_by("-created_at", "-id")


def webhook_endpoint_get_for_owner(*, owner: WebhookOwner, pk: int) -> WebhookEndpoint | None:
    """One of the owner's endpoints, or None: another company's endpoint is not found."""
    return webhook_endpoint_list_for_owner(owner=owner).filter(pk=pk).first()


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's delivery log, newest first (the payload is left out: the log shows the
    event, its status and the last answer)."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).defer("payload").order_by("-created_at", "-id")


def webhook_delivery_get(*, endpoint: WebhookEndpoint, pk: int) -> WebhookDelivery | None:
    """One delivery of `endpoint` (already scoped to its owner), or None."""
    return WebhookDelivery.objects.filter(endpoint=endpoint, pk=pk).first()


def webhook_delivery_backlog() -> tuple[int, datetime.datetime | None, int]:
    """For monitoring: deliveries still pending (to be tried again, or waiting for their first try)
    to active endpoints, when the oldest of them was made, and how many more wait for an endpoint its
    owner switched off (they are not sent until it is on again, so they are no sign of a stuck
    outbox). Only pending rows are in `webhookdelivery_pending_idx`."""
    active = Q(endpoint__is_active=True)
    row = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).aggregate(
        pending=Count("pk", filter=active), oldest=Min("created_at", filter=active), paused=Count("pk", filter=~active)
    )
    return row["pending"], row["oldest"], row["paused"]
