from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import (
    BuyerCompany,
    BuyerInvitation,
    BuyerMember,
    CompanyAddress,
    CompanyEvent,
    Inquiry,
    InquiryMessage,
    SavedSupplier,
)
from .services.addresses import company_net_terms_set


class BuyerMemberInline(admin.TabularInline):
    model = BuyerMember
    extra = 0
    raw_id_fields = ("user",)


class CompanyAddressInline(admin.TabularInline):
    """The company's saved addresses, for support: read-only, since the company's members keep them
    (buyers.services.addresses, which records each change)."""

    model = CompanyAddress
    extra = 0
    can_delete = False
    fields = ("label", "recipient", "address", "country", "phone", "is_default", "is_billing", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CompanyEventInline(admin.TabularInline):
    """The company's audit record, newest first: read-only (the table refuses changes)."""

    model = CompanyEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "data")
    readonly_fields = fields
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NetTermsDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("For the record: the credit check, the limit agreed, or why the terms are withdrawn."),
        error_messages={"required": _("Give the reason for the decision.")},
    )


@admin.register(BuyerCompany)
class BuyerCompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "business_type", "net_terms_approved", "created_at")
    list_filter = ("country", "business_type", "net_terms_approved")
    search_fields = ("name",)
    readonly_fields = ("net_terms_approved", "net_terms_decided_at", "net_terms_decided_by", "created_at")
    inlines = (BuyerMemberInline, CompanyAddressInline, CompanyEventInline)
    actions = ("approve_net_terms", "withdraw_net_terms")

    @admin.action(description=_("Approve net payment terms…"), permissions=["change"])
    def approve_net_terms(self, request: HttpRequest, queryset: QuerySet[BuyerCompany]) -> HttpResponse | None:
        return self._net_terms(request, queryset, approved=True)

    @admin.action(description=_("Withdraw net payment terms…"), permissions=["change"])
    def withdraw_net_terms(self, request: HttpRequest, queryset: QuerySet[BuyerCompany]) -> HttpResponse | None:
        return self._net_terms(request, queryset, approved=False)

    def _net_terms(
        self, request: HttpRequest, queryset: QuerySet[BuyerCompany], *, approved: bool
    ) -> HttpResponse | None:
        """A confirmation page asking the reason, then the decision for each selected company in
        one transaction (company_net_terms_set records each)."""
        companies = list(queryset.order_by("pk"))
        form = NetTermsDecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    changed = [
                        company
                        for company in companies
                        if company.net_terms_approved != approved
                        and company_net_terms_set(
                            company=company,
                            approved=approved,
                            actor=request.user,  # type: ignore[arg-type]
                            reason=form.cleaned_data["reason"],
                        )
                    ]
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
                return None
            if approved:
                message = ngettext(
                    "%(count)d company approved for net payment terms.",
                    "%(count)d companies approved for net payment terms.",
                    len(changed),
                )
            else:
                message = ngettext(
                    "Net payment terms withdrawn from %(count)d company.",
                    "Net payment terms withdrawn from %(count)d companies.",
                    len(changed),
                )
            self.message_user(request, message % {"count": len(changed)}, messages.SUCCESS)
            return None
        title = gettext("Approve net payment terms") if approved else gettext("Withdraw net payment terms")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "companies": companies,
            "form": form,
            "approved": approved,
            "action": request.POST.get("action", ""),
            "selected": [company.pk for company in companies],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/buyers/buyercompany/net_terms.html", context)


class InquiryMessageInline(admin.TabularInline):
    """Messages as sent: read-only, and the attachment only named (private files have no URL)."""

    model = InquiryMessage
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "party",
        "author",
        "body",
        "attachment_name",
        "attachment_size",
        "file_check",
        "file_refusal",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("subject", "buyer", "supplier", "created_at", "last_message_at", "first_supplier_reply_at")
    list_select_related = ("buyer", "supplier")
    search_fields = ("subject", "buyer__name", "supplier__name_en", "supplier__name_zh")
    date_hierarchy = "last_message_at"
    raw_id_fields = ("buyer", "supplier", "listing", "started_by")
    readonly_fields = (
        "created_at", "last_message_at", "buyer_read_at", "supplier_read_at", "first_supplier_reply_at",
    )  # fmt: skip
    inlines = (InquiryMessageInline,)

    def has_add_permission(self, request) -> bool:
        return False  # threads start from a buyer, through inquiry_start


@admin.register(SavedSupplier)
class SavedSupplierAdmin(admin.ModelAdmin):
    list_display = ("buyer", "supplier", "created_at")
    list_select_related = ("buyer", "supplier")
    raw_id_fields = ("buyer", "supplier", "saved_by")


@admin.register(BuyerInvitation)
class BuyerInvitationAdmin(admin.ModelAdmin):
    """Invitations as sent, for support: read-only, and without the token (the link is the invitee's key).

    Invitations are made by members on their team page (buyers.services.team), which emails them.
    """

    list_display = ("email", "company", "invited_by", "created_at", "accepted_at", "accepted_by")
    list_select_related = ("company", "invited_by", "accepted_by")
    list_filter = (("accepted_at", admin.EmptyFieldListFilter),)
    search_fields = ("email", "company__name")
    date_hierarchy = "created_at"
    fields = ("company", "email", "full_name", "invited_by", "language", "created_at", "accepted_at", "accepted_by")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
