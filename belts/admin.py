from django.contrib import admin

from .models import Belt, Category


@admin.register(Belt)
class BeltAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "brand_en", "province", "industry_en", "position", "is_active")
    list_filter = ("province", "is_active")
    search_fields = ("name_en", "name_zh", "brand_en", "brand_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
