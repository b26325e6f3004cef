"""The versions that key the cache of public pages (marketplace.pagecache)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageVersion(models.Model):
    """The version of one scope of public pages ("site", "search", "belt:<slug>").

    Written only by the SQL function `pagecache_bump(scopes)`, which the apps' triggers call in the
    transaction that changes what a page shows; each bump takes a new number from one sequence, so a
    version is never reused, not even after a rolled-back transaction."""

    scope = models.CharField(_("scope"), max_length=200, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self) -> str:
        return f"{self.scope} v{self.version}"
