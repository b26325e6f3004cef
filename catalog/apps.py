from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from suppliers.hooks import certification_changed

        from . import panels, slots  # noqa: F401 (slots: declared before any page renders)
        from .figures import belt_figures_refresh_after_certification

        certification_changed.connect(belt_figures_refresh_after_certification)
        panels.register()
