from django.contrib import admin

from .models import BuyerCompany, BuyerMember


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
