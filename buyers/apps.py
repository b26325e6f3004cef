from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from . import (
            panels,
            slots,  # noqa: F401 (the places on this app's pages that higher apps fill)
        )

        panels.register()
        # accounts' buyer_required asks buyers which company a user buys for (accounts cannot import us).
        from accounts.decorators import register_company_lookup

        from .selectors import buyer_company_for_user

        register_company_lookup("buyer", buyer_company_for_user)
        # Attachments of inquiry messages are checked in the worker (marketplace.filecheck).
        from marketplace.filecheck.services import CheckedKind, register
        from marketplace.uploads import DOCUMENTS

        from .models import InquiryMessage
        from .services.inquiries import inquiry_attachment_checked

        register(
            CheckedKind(
                name="inquiry_attachment",
                model=InquiryMessage,
                field="attachment",
                accept=DOCUMENTS,
                on_checked=inquiry_attachment_checked,
            )
        )
