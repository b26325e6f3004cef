"""The supplier admin: the certification queue and the read-only application page."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.filecheck.models import FileCheck

from ..models import (
    Certification,
    CertificationLevel,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierEvent,
    SupplierMember,
)
from .common import ReadOnlyInline, audit_report_link, level_label, outcome_badge, private_file_response
from .decisions import SupplierDecisionsMixin
from .queue import CHECK_OUTCOME_ORDER, CheckOutcomeFilter, QueueStatusFilter, annotate_queue


class SupplierDocumentInline(ReadOnlyInline):
    model = SupplierDocument
    fields = ("preview", "kind", "standard", "number", "issuer", "valid_from", "valid_until", "uploaded_at")

    @admin.display(description=_("file"))
    def preview(self, document: SupplierDocument) -> str:
        if document.file_is_refused:
            return format_html(
                '<strong style="color:#ba2121">{}</strong>',
                gettext("refused: %(message)s") % {"message": document.file_refusal_message()},
            )
        if not document.file_is_clean:
            return format_html('<span style="color:#666">{}</span>', gettext("being checked"))
        # Through a staff-only view, never the MEDIA URL: documents are not public.
        url = reverse("admin:suppliers_supplier_document", args=[document.supplier_id, document.pk])
        if document.is_image():
            return format_html(
                '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" '
                'style="max-height:120px;max-width:200px;border:1px solid #ccc"></a>',
                url,
                url,
                document.get_kind_display(),
            )
        return format_html(
            '<a href="{}">{}</a>',
            url,
            gettext("Download PDF (%(size)s KB)") % {"size": max(1, (document.size or 0) // 1024)},
        )


class ProductionSiteInline(ReadOnlyInline):
    model = ProductionSite
    fields = ("name", "address", "province", "city", "products", "is_verified", "verified_at")


class CertificationInline(ReadOnlyInline):
    model = Certification
    fields = (
        "level_display", "status", "code_link", "valid_from", "valid_until", "decided_by", "decided_at",
        "checklist_display", "report_link", "reason",
    )  # fmt: skip
    verbose_name_plural = _("certifications (newest first)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Certification]:
        return super().get_queryset(request).select_related("decided_by", "checklist")

    @admin.display(description=_("level"))
    def level_display(self, certification: Certification) -> str:
        return level_label(certification.level)

    @admin.display(description=_("verification code"))
    def code_link(self, certification: Certification) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', certification.get_absolute_url(), certification.code
        )

    @admin.display(description=_("audit checklist"))
    def checklist_display(self, certification: Certification) -> str:
        if certification.checklist is None:
            return "—"
        return f"{certification.checklist.industry_en} v{certification.checklist_version}"

    @admin.display(description=_("audit report"))
    def report_link(self, certification: Certification) -> str:
        return audit_report_link(certification)


class SupplierEventInline(ReadOnlyInline):
    """The audit trail: a database trigger refuses UPDATE and DELETE; the admin offers neither."""

    model = SupplierEvent
    fields = ("created_at", "kind", "actor", "from_level_display", "to_level_display", "reason")
    ordering = ("-created_at", "-id")
    verbose_name_plural = _("audit trail (newest first)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupplierEvent]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("from level"))
    def from_level_display(self, event: SupplierEvent) -> str:
        return level_label(event.from_level) if event.from_level else ""

    @admin.display(description=_("to level"))
    def to_level_display(self, event: SupplierEvent) -> str:
        return level_label(event.to_level) if event.to_level else ""


class SupplierMemberInline(ReadOnlyInline):
    model = SupplierMember
    fields = ("user", "role")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupplierMember]:
        return super().get_queryset(request).select_related("user")


@admin.register(Supplier)
class SupplierAdmin(SupplierDecisionsMixin, admin.ModelAdmin):
    list_display = (
        "names", "belt", "status", "submitted_at", "check_outcome_display", "certification_display",
        "recommendation_display",
    )  # fmt: skip
    list_display_links = ("names",)
    list_filter = (QueueStatusFilter, "belt", "business_type", CheckOutcomeFilter, "certification_level")
    list_select_related = ("belt",)
    search_fields = ("name_en", "name_zh", "uscc", "slug")
    search_help_text = _("Legal name in English or Chinese, USCC or slug")
    # The queue is first come, first served; drafts (never submitted) come last.
    ordering = ("submitted_at", "pk")
    list_per_page = 50
    change_form_template = "admin/suppliers/supplier/change_form.html"
    fieldsets = (
        (
            _("Application"),
            {
                "fields": (
                    ("name_en", "name_zh"),
                    ("uscc", "legal_representative"),
                    ("business_type", "belt", "slug"),
                    "main_categories",
                    ("year_founded", "staff_count", "factory_area_m2"),
                )
            },
        ),
        (_("Address"), {"fields": ("registered_address", ("province", "city_en", "city_zh"))}),
        (
            _("Contact"),
            {"fields": (("contact_name", "contact_email", "contact_phone"), ("phone", "website"))},
        ),
        (_("About"), {"fields": ("description_en", "description_zh"), "classes": ("collapse",)}),
        (
            _("Certification (changed only by the decisions above)"),
            {
                "fields": (
                    ("status", "certification_level", "current_certification"),
                    ("certified_at", "certified_until"),
                    ("created_at", "submitted_at", "decided_at"),
                )
            },
        ),
    )
    inlines = (
        SupplierDocumentInline,
        ProductionSiteInline,
        CertificationInline,
        SupplierEventInline,
        SupplierMemberInline,
    )
    actions = (
        "certify_verified",
        "certify_certified_origin",
        "certify_audited_factory",
        "reject",
        "request_info",
        "rerun_verification",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Supplier]:
        return annotate_queue(super().get_queryset(request))

    # No supplier is added, edited or deleted here: applicants apply, services decide, and the
    # audit trail protects the row. Staff with change permission decide through the actions
    # (called with obj=None); the change page itself is view-only for everyone.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- columns

    @admin.display(description=_("name"), ordering="name_en")
    def names(self, supplier: Supplier) -> str:
        return format_html('{}<br><span lang="zh">{}</span>', supplier.name_en, supplier.name_zh)

    @admin.display(description=_("checks"), ordering=CHECK_OUTCOME_ORDER)
    def check_outcome_display(self, supplier: Supplier) -> str:
        return outcome_badge(supplier.check_outcome)  # type: ignore[attr-defined]

    @admin.display(description=_("certification"), ordering="certification_level")
    def certification_display(self, supplier: Supplier) -> str:
        if supplier.certification_level == CertificationLevel.NONE:
            return "—"
        if supplier.certified_until is None:
            return level_label(supplier.certification_level)
        return format_html(
            "{}<br><small>{}</small>",
            level_label(supplier.certification_level),
            gettext("until %(date)s") % {"date": date_format(supplier.certified_until)},
        )

    def get_view_on_site_url(self, obj: Supplier | None = None) -> str | None:
        # The public profile exists only for certified suppliers; an applicant's would be a 404.
        return super().get_view_on_site_url(obj) if obj is not None and obj.is_publicly_certified() else None

    @admin.display(description=_("belt operator recommends"))
    def recommendation_display(self, supplier: Supplier) -> str:
        recommendation = supplier.recommendation  # type: ignore[attr-defined]
        if not recommendation:
            return "—"
        if recommendation.get("decision") == "certify":
            text = gettext("Certify: %(level)s") % {"level": level_label(recommendation.get("level") or "")}
        else:
            text = gettext("Reject")
        return format_html('<span title="{}">{}</span>', recommendation.get("reason") or "", text)

    # --- the change page

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Supplier | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context.update(self._application_context(request, obj))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _application_context(self, request: HttpRequest, supplier: Supplier) -> dict[str, Any]:
        run = supplier.verification_runs.order_by("-created_at", "-id").first()
        checks = list(run.checks.all()) if run else []
        current = supplier.current_certification
        can_decide = self.has_change_permission(request) and supplier.can_be_decided()
        return {
            "decision_links": self.decision_links(supplier) if can_decide else [],
            "rerun_url": reverse("admin:suppliers_supplier_rerun", args=[supplier.pk]) if can_decide else "",
            "latest_run": run,
            "check_rows": [{"check": c, "outcome": outcome_badge(c.outcome)} for c in checks],
            "current_certification": current,
            "current_certification_report": audit_report_link(current) if current else "",
            "evidence": list(current.evidence.all()) if current else [],
            "audit_results": list(current.audit_results.all()) if current else [],
        }

    # --- URLs: the decisions, and the application's documents for staff

    def get_urls(self) -> list[Any]:
        return [
            *self.decision_urls(),
            path(
                "<int:supplier_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.document_view),
                name="suppliers_supplier_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request: HttpRequest, supplier_id: int, document_id: int) -> HttpResponseBase:
        """A document of an application, for staff only (documents are never public)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(
            SupplierDocument, pk=document_id, supplier_id=supplier_id, file_check=FileCheck.CLEAN
        )
        if not document.file:
            raise Http404("No checked file")
        return private_file_response(document.file, document.content_type)
