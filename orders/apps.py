from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
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
