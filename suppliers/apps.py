from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        # accounts' supplier_required asks suppliers which supplier a user acts for (accounts cannot import us).
        from accounts.decorators import register_company_lookup

        from . import slots  # noqa: F401 (the places on this app's pages that higher apps fill)
        from .filechecks import register_checked_kinds
        from .selectors import supplier_for_member

        register_company_lookup("supplier", supplier_for_member)
        register_checked_kinds()  # uploads checked in the worker (marketplace.filecheck)
