from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Celery's autodiscovery imports `analytics.tasks`; the panels link the analytics pages
        # from the suppliers' and operators' dashboards and the belt page.
        from . import panels

        panels.register()
