from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


def uploads_checked_in_the_worker(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production an upload is never parsed in a request: FILE_CHECK_EAGER is for tests."""
    if settings.FILE_CHECK_EAGER:
        return [
            checks.Error(
                "FILE_CHECK_EAGER is on: uploads would be parsed in the web request.",
                hint="Unset FILE_CHECK_EAGER; the worker checks uploads (marketplace.filecheck).",
                id="filecheck.E001",
            )
        ]
    return []


class FileCheckConfig(AppConfig):
    name = "marketplace.filecheck"
    label = "filecheck"
    verbose_name = _("File checks")

    def ready(self) -> None:
        checks.register(uploads_checked_in_the_worker, checks.Tags.security, deploy=True)
