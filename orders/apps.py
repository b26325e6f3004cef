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
