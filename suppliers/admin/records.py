"""Certifications, audit checklists, the audit trail and belt operators in the admin."""

import mimetypes
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import ApplicationError
from marketplace.filecheck.models import FileCheck

from ..models import (
    AuditChecklist,
    AuditChecklistPoint,
    AuditPointResult,
    BeltOperator,
    Certification,
    CertificationLevel,
    EvidenceItem,
    SupplierEvent,
)
from ..services import audit_checklist_save_points, certification_audit_report_replace
from .common import ReadOnlyInline, audit_report_link, level_label, private_file_response
from .forms import AuditReportReplaceForm


class CertificationLevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in CertificationLevel.choices if value != CertificationLevel.NONE]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Certification]) -> QuerySet[Certification]:
        return queryset.filter(level=self.value()) if self.value() else queryset


class AuditPointResultInline(ReadOnlyInline):
    model = AuditPointResult
    fields = ("code", "text_en", "text_zh", "outcome", "note")


class EvidenceItemInline(ReadOnlyInline):
    model = EvidenceItem
    fields = ("kind", "title_en", "title_zh", "method_en", "performed_by", "performed_at", "valid_until")


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    """Read-only: certifications are made, superseded and downgraded by the services only."""

    list_display = (
        "code", "supplier", "level_display", "status", "valid_from", "valid_until", "decided_by", "decided_at",
        "public_page",
    )  # fmt: skip
    list_filter = (CertificationLevelFilter, "status")
    list_select_related = ("supplier", "decided_by")
    search_fields = ("=code", "supplier__name_en", "supplier__name_zh")
    search_help_text = _("The verification code, or the supplier's legal name")
    fields = (
        "supplier", "level_display", "status", "public_page", "valid_from", "valid_until", "decided_by",
        "decided_at", "reason", "checklist", "checklist_version", "report",
    )  # fmt: skip
    readonly_fields = fields
    inlines = (AuditPointResultInline, EvidenceItemInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("level"), ordering="level")
    def level_display(self, certification: Certification) -> str:
        return level_label(certification.level)

    @admin.display(description=_("public verification page"))
    def public_page(self, certification: Certification) -> str:
        url = certification.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("audit report"))
    def report(self, certification: Certification) -> str:
        return audit_report_link(certification)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:certification_id>/audit-report/",
                self.admin_site.admin_view(self.audit_report_view),
                name="suppliers_certification_audit_report",
            ),
            path(
                "<int:certification_id>/audit-report/replace/",
                self.admin_site.admin_view(self.audit_report_replace_view),
                name="suppliers_certification_audit_report_replace",
            ),
            *super().get_urls(),
        ]

    def audit_report_view(self, request: HttpRequest, certification_id: int) -> HttpResponseBase:
        """The audit report behind an audited-factory certification, for staff only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        certification = get_object_or_404(Certification, pk=certification_id, file_check=FileCheck.CLEAN)
        if not certification.audit_report:
            raise Http404("No audit report")
        content_type = mimetypes.guess_type(certification.audit_report.name or "")[0] or ""
        return private_file_response(certification.audit_report, content_type)

    def audit_report_replace_view(self, request: HttpRequest, certification_id: int) -> HttpResponse:
        """Hand in another audit report when the certification's report was refused by its check.
        For the staff who may decide on suppliers (the rights of the decision pages)."""
        if not request.user.has_perm("suppliers.change_supplier"):
            raise PermissionDenied
        certification = get_object_or_404(Certification.objects.select_related("supplier"), pk=certification_id)
        change_url = reverse("admin:suppliers_certification_change", args=[certification.pk])
        if not certification.file_is_refused:
            self.message_user(request, gettext("This audit report was not refused: nothing to replace."), messages.INFO)
            return HttpResponseRedirect(change_url)
        form = AuditReportReplaceForm(
            request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                certification_audit_report_replace(
                    certification=certification,
                    actor=request.user,  # type: ignore[arg-type]
                    upload=form.cleaned_data["audit_report"],
                )
            except ValidationError as exc:  # its type or size was refused outright
                form.add_error("audit_report", exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request, gettext("The new audit report was received and is being checked."), messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Replace the refused audit report"),
            "certification": certification,
            "refusal": certification.file_refusal_message(),
            "form": form,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "admin/suppliers/certification/audit_report_replace.html", context)


class AuditChecklistPointInline(admin.TabularInline):
    model = AuditChecklistPoint
    extra = 1
    fields = ("position", "code", "text_en", "text_zh")


@admin.register(AuditChecklist)
class AuditChecklistAdmin(admin.ModelAdmin):
    """Audit checklists are data: admins edit the points; any change makes a new version."""

    list_display = ("industry_en", "industry_zh", "slug", "version", "point_count", "used", "updated_at")
    search_fields = ("industry_en", "industry_zh", "slug")
    fields = ("industry_en", "industry_zh", "slug", "version", "belts", "updated_at")
    filter_horizontal = ("belts",)
    readonly_fields = ("version", "updated_at")
    prepopulated_fields = {"slug": ("industry_en",)}
    inlines = (AuditChecklistPointInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditChecklist]:
        used = Certification.objects.filter(checklist=OuterRef("pk"))
        return super().get_queryset(request).annotate(point_count=Count("points"), is_used=Exists(used))

    @admin.display(description=_("points"), ordering="point_count")
    def point_count(self, checklist: AuditChecklist) -> int:
        return checklist.point_count  # type: ignore[attr-defined]

    @admin.display(description=_("used by certifications"), boolean=True, ordering="is_used")
    def used(self, checklist: AuditChecklist) -> bool:
        return checklist.is_used  # type: ignore[attr-defined]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not AuditChecklistPoint:
            super().save_formset(request, form, formset, change)
            return
        # The points are written by the service, not by the formset: it compares old and new
        # points and bumps the version when they differ, so certifications keep theirs.
        points = [
            {field: f.cleaned_data[field] for field in ("code", "text_en", "text_zh", "position")}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if audit_checklist_save_points(checklist=form.instance, points=points):
            form.instance.refresh_from_db(fields=["version", "updated_at"])
            self.message_user(
                request,
                gettext("The points changed: the checklist is now version %(version)s.")
                % {"version": form.instance.version},
                messages.INFO,
            )
        # construct_change_message() reads what a formset.save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(SupplierEvent)
class SupplierEventAdmin(admin.ModelAdmin):
    """The audit trail, list only: a database trigger refuses UPDATE and DELETE besides."""

    list_display = ("created_at", "supplier", "kind", "from_level_display", "to_level_display", "actor", "reason")
    list_filter = ("kind",)
    list_select_related = ("supplier", "actor")
    search_fields = ("supplier__name_en", "supplier__name_zh", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("from level"), ordering="from_level")
    def from_level_display(self, event: SupplierEvent) -> str:
        return level_label(event.from_level) if event.from_level else ""

    @admin.display(description=_("to level"), ordering="to_level")
    def to_level_display(self, event: SupplierEvent) -> str:
        return level_label(event.to_level) if event.to_level else ""


@admin.register(BeltOperator)
class BeltOperatorAdmin(admin.ModelAdmin):
    list_display = ("user", "belt", "organisation")
    list_filter = ("belt",)
    raw_id_fields = ("user",)
