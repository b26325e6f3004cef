from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FileCheckConfig(AppConfig):
    name = "marketplace.filecheck"
    label = "filecheck"
    verbose_name = _("File checks")
