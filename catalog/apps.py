from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from suppliers.hooks import belt_listing_count, certification_changed

        from . import panels
        from .figures import belt_figures_refresh_after_certification
        from .selectors.public import belt_listing_count_in_categories

        certification_changed.connect(belt_figures_refresh_after_certification)
        belt_listing_count.provide(belt_listing_count_in_categories)
        panels.register()
