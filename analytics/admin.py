from django.contrib import admin

from .models import CategoryReference


@admin.register(CategoryReference)
class CategoryReferenceAdmin(admin.ModelAdmin):
    """The price index's reference quantity per category: set by the job once, changeable by staff."""

    list_display = ("category", "quantity", "set_at")
    autocomplete_fields = ("category",)
    search_fields = ("category__name_en", "category__name_zh")
