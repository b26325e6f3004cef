from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import BeltOperator, CertificationLevel, Supplier, SupplierEvent, SupplierMember
from .services import supplier_certify


class SupplierMemberInline(admin.TabularInline):
    model = SupplierMember
    extra = 0
    raw_id_fields = ("user",)


class SupplierEventInline(admin.TabularInline):
    """The audit trail, read-only: records are never edited or deleted."""

    model = SupplierEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_level", "to_level", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _certify_action(level: str, label: str):  # type: ignore[no-untyped-def]
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Supplier]) -> None:
        # Fixed pk order: two admins certifying overlapping selections lock rows in one order.
        for supplier in queryset.order_by("pk"):
            supplier_certify(supplier=supplier, level=level, actor=request.user, reason=str(label))
        count = queryset.count()
        message = ngettext("%(n)d supplier certified.", "%(n)d suppliers certified.", count) % {"n": count}
        modeladmin.message_user(request, message, messages.SUCCESS)

    action.__name__ = f"certify_{level}"
    return action


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "belt", "business_type", "status", "certification_level", "certified_until")
    list_filter = ("status", "certification_level", "belt", "business_type")
    search_fields = ("name_en", "name_zh", "uscc", "slug")
    list_select_related = ("belt",)
    prepopulated_fields = {"slug": ("name_en",)}
    # Certification changes only through the actions below, so each is on record.
    readonly_fields = ("status", "certification_level", "certified_at", "certified_until")
    inlines = (SupplierMemberInline, SupplierEventInline)
    actions = [
        _certify_action(CertificationLevel.VERIFIED, _("Certify as verified")),
        _certify_action(CertificationLevel.CERTIFIED_ORIGIN, _("Certify as certified origin manufacturer")),
        _certify_action(CertificationLevel.AUDITED_FACTORY, _("Certify as audited factory")),
    ]


@admin.register(SupplierEvent)
class SupplierEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "supplier", "kind", "from_level", "to_level", "actor")
    list_filter = ("kind",)
    list_select_related = ("supplier", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BeltOperator)
class BeltOperatorAdmin(admin.ModelAdmin):
    list_display = ("user", "belt", "organisation")
    list_filter = ("belt",)
    raw_id_fields = ("user",)
