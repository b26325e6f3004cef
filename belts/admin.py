from typing import Any

from django import forms
from django.contrib import admin

from .hs import hs_code_formfield
from .models import Belt, Category


@admin.register(Belt)
class BeltAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "brand_en", "province", "industry_en", "position", "is_active")
    list_filter = ("province", "is_active")
    search_fields = ("name_en", "name_zh", "brand_en", "brand_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "parent", "hs_code", "position")
    list_filter = ("parent",)
    search_fields = ("name_en", "name_zh", "slug", "hs_code")
    prepopulated_fields = {"slug": ("name_en",)}

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> forms.Field | None:
        return hs_code_formfield(db_field) or super().formfield_for_dbfield(db_field, request, **kwargs)
