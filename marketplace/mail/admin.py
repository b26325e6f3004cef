"""Staff view of the outbox: read-only, with a resend action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboundMail
from .services import mail_resend


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return (("yes", _("Sent")), ("no", _("Not sent")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        return queryset


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "recipients", "subject", "sent_at", "attempts", "language")
    list_filter = (SentFilter, "kind", "language")
    search_fields = ("subject", "to", "dedupe_key")
    date_hierarchy = "created_at"
    actions = ("resend",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboundMail | None = None) -> bool:
        return False

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutboundMail) -> str:
        return ", ".join(obj.to)

    @admin.action(description=_("Send the selected mails again"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundMail]) -> None:
        count = 0
        for mail in queryset:
            mail_resend(mail=mail)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d mail queued to be sent again.", "%(count)d mails queued to be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
