from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


def protection_account_is_real(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production buyers must not be shown the fictional demo account to pay into."""
    if settings.PAYMENT_PROTECTION_ACCOUNT == settings.PAYMENT_PROTECTION_ACCOUNT_DEMO:
        return [
            checks.Warning(
                "PAYMENT_PROTECTION_ACCOUNT is the fictional demo account: buyers would be told to pay into it.",
                hint="Set PAYMENT_PROTECTION_ACCOUNT to the platform's real bank account (see .env.example).",
                id="orders.W001",
            )
        ]
    return []


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        checks.register(protection_account_is_real, checks.Tags.security, deploy=True)
        # Celery's autodiscovery imports only `orders.tasks`; the figures job lives with its
        # service in `orders.figures`.
        from . import (
            figures,  # noqa: F401
            panels,
        )

        panels.register()
        # Evidence files of disputes and files attached to RFQs are checked in the worker like
        # every upload (marketplace.filecheck).
        from marketplace.filecheck.services import CheckedKind, register
        from marketplace.uploads import DOCUMENTS

        from .models import DisputeEvidence, RfqAttachment
        from .services.disputes import evidence_checked
        from .services.rfq_attachments import rfq_attachment_checked

        register(
            CheckedKind(
                name="dispute_evidence",
                model=DisputeEvidence,
                field="file",
                accept=DOCUMENTS,
                on_checked=evidence_checked,
            )
        )
        register(
            CheckedKind(
                name="rfq_attachment",
                model=RfqAttachment,
                field="file",
                accept=DOCUMENTS,
                on_checked=rfq_attachment_checked,
            )
        )
