from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .hs import HsCodeFormField
from .models import Belt, Category


class CategoryAdminForm(forms.ModelForm):
    hs_code = HsCodeFormField(label=_("HS code"), help_text=Category._meta.get_field("hs_code").help_text)

    class Meta:
        model = Category
        fields = "__all__"


@admin.register(Belt)
class BeltAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "brand_en", "province", "industry_en", "position", "is_active")
    list_filter = ("province", "is_active")
    search_fields = ("name_en", "name_zh", "brand_en", "brand_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ("name_en", "name_zh", "parent", "hs_code", "position")
    list_filter = ("parent",)
    search_fields = ("name_en", "name_zh", "slug", "hs_code")
    prepopulated_fields = {"slug": ("name_en",)}
