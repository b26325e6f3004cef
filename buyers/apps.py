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
