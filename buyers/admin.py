from django.contrib import admin

from .models import BuyerCompany, BuyerInvitation, BuyerMember, Inquiry, InquiryMessage, SavedSupplier


class BuyerMemberInline(admin.TabularInline):
    model = BuyerMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(BuyerCompany)
class BuyerCompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "business_type", "created_at")
    list_filter = ("country", "business_type")
    search_fields = ("name",)
    inlines = (BuyerMemberInline,)


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
