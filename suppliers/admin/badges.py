"""The nightly badge audits in the admin: each run's count of stored badges it found untrue (the
target is 0) and what each one said against what the facts say. Read-only: the audit writes them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import BadgeAudit, BadgeDrift


class BadgeDriftInline(admin.TabularInline):
    model = BadgeDrift
    fields = ("subject", "field", "stored", "expected")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BadgeAudit)
class BadgeAuditAdmin(admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "suppliers_checked", "drift_display")
    readonly_fields = ("started_at", "finished_at", "suppliers_checked", "drift_count")
    inlines = (BadgeDriftInline,)
    date_hierarchy = "started_at"

    @admin.display(description=_("badges found wrong"), ordering="drift_count")
    def drift_display(self, audit: BadgeAudit) -> str:
        colour = "#1a7f37" if audit.drift_count == 0 else "#b42318"
        return format_html('<strong data-testid="drift-count" style="color:{}">{}</strong>', colour, audit.drift_count)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
