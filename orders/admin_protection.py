"""Staff pages of payment protection: record a buyer's payment, decide a dispute.

Both forms call the one service of their step (orders.services.protection / .disputes); the
records they write (ledger lines, events) are shown read-only, and PostgreSQL refuses to change
them anyway. A payment needs the right to change protections, a decision the right to change
disputes (superusers have both).
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import ApplicationError, error_message
from marketplace.numbers import AsciiDecimalField

from .models import Dispute, DisputeEvidence, LedgerEntry, Protection, ProtectionEvent
from .services.disputes import dispute_decide
from .services.protection import ledger_balances, protection_payment_record
from .views.protection import evidence_response


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProtectionEventInline(_ReadOnlyInline):
    model = ProtectionEvent
    fields = ("created_at", "kind", "party", "actor", "from_status", "to_status", "note", "data")
    readonly_fields = fields
    fk_name = "protection"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProtectionEvent]:
        return super().get_queryset(request).select_related("actor")


class PaymentForm(forms.Form):
    amount = AsciiDecimalField(label=_("Amount received"), min_value=Decimal("0.01"), decimal_places=2, max_digits=14)
    reference = forms.CharField(label=_("Bank or provider reference"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(Protection)
class ProtectionAdmin(_ReadOnlyAdmin):
    list_display = ("order", "status", "amount", "currency", "release_due_at", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("order__number", "order__buyer__name")
    list_select_related = ("order",)
    inlines = (ProtectionEventInline,)
    change_form_template = "admin/orders/protection/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "balances", "ledger"]

    @admin.display(description=_("balances"))
    def balances(self, protection: Protection) -> str:
        b = ledger_balances(order=protection.order)
        return gettext("paid %(paid)s · held %(held)s · released %(released)s · refunded %(refunded)s") % {
            "paid": b.paid, "held": b.held, "released": b.released, "refunded": b.refunded,
        }  # fmt: skip

    @admin.display(description=_("ledger"))
    def ledger(self, protection: Protection) -> str:
        entries = LedgerEntry.objects.filter(order_id=protection.order_id).order_by("created_at", "id")
        return format_html_join(
            mark_safe("<br>"),  # nosec B308 B703: a constant
            "{} · {} · {} {} {}",
            (
                (e.created_at.strftime("%Y-%m-%d %H:%M"), e.account_label, gettext("debit") if e.debit else
                 gettext("credit"), e.debit or e.credit, e.currency)
                for e in entries
            ),
        ) or "—"  # fmt: skip

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:protection_id>/payment/",
                self.admin_site.admin_view(self.payment_view),
                name="orders_protection_payment",
            ),
            *super().get_urls(),
        ]

    def payment_view(self, request: HttpRequest, protection_id: int) -> HttpResponse:
        """Record a payment the buyer made to the platform (in full or a part)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        protection = get_object_or_404(Protection.objects.select_related("order"), pk=protection_id)
        change_url = reverse("admin:orders_protection_change", args=[protection.pk])
        balances = ledger_balances(order=protection.order)
        form = PaymentForm(
            request.POST or None, initial={"amount": protection.amount - balances.paid} if not request.POST else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                protection_payment_record(
                    order=protection.order,
                    actor=request.user,  # type: ignore[arg-type]
                    amount=form.cleaned_data["amount"],
                    reference=form.cleaned_data["reference"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error("amount" if "amount" in getattr(exc, "error_dict", {}) else None, exc)
            except (ApplicationError, PermissionDenied) as exc:
                form.add_error(None, error_message(exc))
            else:
                self.message_user(request, gettext("The payment is recorded."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Record a payment for order %(number)s") % {"number": protection.order.number},
            "object": protection,
            "balances": balances,
            "form": form,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "admin/orders/protection/step_form.html", context)


class DisputeEvidenceInline(_ReadOnlyInline):
    model = DisputeEvidence
    fields = ("created_at", "party", "uploaded_by", "name", "file_check", "download")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, evidence: DisputeEvidence) -> str:
        if not evidence.is_available():
            return evidence.file_refusal_message() or gettext("being checked")
        url = reverse("admin:orders_dispute_evidence", args=[evidence.dispute_id, evidence.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))


class DisputeEventInline(ProtectionEventInline):
    fk_name = "dispute"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Dispute.Decision.choices, widget=forms.RadioSelect)
    refund_amount = AsciiDecimalField(
        label=_("Refund to the buyer (partial refund only)"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=14,
    )
    reason = forms.CharField(
        label=_("Reasons (both sides read them)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Dispute.Decision.PARTIAL_REFUND and not data.get("refund_amount"):
            self.add_error("refund_amount", gettext("Enter the amount refunded to the buyer."))
        return data


@admin.register(Dispute)
class DisputeAdmin(_ReadOnlyAdmin):
    list_display = ("order", "status", "reason", "refund_requested", "decision", "refund_amount", "created_at")
    list_filter = ("status", "reason", "decision")
    search_fields = ("order__number", "order__buyer__name")
    list_select_related = ("order",)
    inlines = (DisputeEvidenceInline, DisputeEventInline)
    change_form_template = "admin/orders/dispute/change_form.html"
    actions = ("decide",)

    @admin.action(description=_("Decide the selected dispute"))
    def decide(self, request: HttpRequest, queryset: QuerySet[Dispute]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, gettext("Decide one dispute at a time."), messages.WARNING)
            return None
        dispute = queryset.get()
        return HttpResponseRedirect(reverse("admin:orders_dispute_decide", args=[dispute.pk]))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:dispute_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="orders_dispute_decide",
            ),
            path(
                "<int:dispute_id>/evidence/<int:evidence_id>/",
                self.admin_site.admin_view(self.evidence_view),
                name="orders_dispute_evidence",
            ),
            *super().get_urls(),
        ]

    def evidence_view(self, request: HttpRequest, dispute_id: int, evidence_id: int) -> HttpResponseBase:
        """A checked evidence file, for staff who may see disputes; never inline."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        evidence = get_object_or_404(DisputeEvidence, pk=evidence_id, dispute_id=dispute_id)
        if not evidence.is_available():
            raise Http404("Not available")
        return evidence_response(evidence)

    def decide_view(self, request: HttpRequest, dispute_id: int) -> HttpResponse:
        """Decide an open or answered dispute: release, partial refund or refund, with reasons."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        dispute = get_object_or_404(
            Dispute.objects.select_related("order", "protection", "opened_by", "answered_by"), pk=dispute_id
        )
        change_url = reverse("admin:orders_dispute_change", args=[dispute.pk])
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                dispute_decide(
                    dispute=dispute,
                    actor=request.user,  # type: ignore[arg-type]
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    refund_amount=form.cleaned_data["refund_amount"],
                )
            except ValidationError as exc:
                errors = getattr(exc, "error_dict", {})
                form.add_error("refund_amount" if "refund_amount" in errors else None, exc)
            except (ApplicationError, PermissionDenied) as exc:
                form.add_error(None, error_message(exc))
            else:
                self.message_user(request, gettext("The dispute is decided; both sides are told."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Decide the dispute about order %(number)s") % {"number": dispute.order.number},
            "object": dispute,
            "dispute": dispute,
            "balances": ledger_balances(order=dispute.order),
            "form": form,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "admin/orders/protection/step_form.html", context)
