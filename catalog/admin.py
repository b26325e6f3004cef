from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.numbers import ascii_formfield
from marketplace.uploads import clean_image_upload

from .models import Listing, ListingEvent, ListingImage, ListingVariant, PriceTier
from .services import listing_image_thumbnail_enqueue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 1


class ListingVariantInline(admin.TabularInline):
    model = ListingVariant
    extra = 0
    fields = ("model", "size", "colour", "sku", "moq", "position")


class ListingEventInline(admin.TabularInline):
    """The listing's history (who created, edited, published, archived it): read-only."""

    model = ListingEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "note")
    readonly_fields = fields
    ordering = ("-created_at", "-id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ListingImageForm(forms.ModelForm):
    class Meta:
        model = ListingImage
        fields = ("image", "alt_text", "position")
        formfield_callback = ascii_formfield  # the model's number fields refuse digits other than 0-9

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            self.instance.thumbnail = ""  # the old thumbnail shows the old picture
            return clean_image_upload(upload)
        return upload


class ListingImageInline(admin.TabularInline):
    model = ListingImage
    form = ListingImageForm
    extra = 1
    readonly_fields = ("preview",)
    fields = ("image", "alt_text", "position", "preview")

    @admin.display(description=_("thumbnail"))
    def preview(self, obj: ListingImage) -> "StrOrPromise":
        if obj.pk and obj.thumbnail:
            return format_html('<img src="{}" style="max-height:80px">', obj.thumbnail.url)
        return _("being made…") if obj.pk else ""


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("title_en", "supplier", "category", "status", "moq", "unit", "created_at")
    list_filter = ("status", "supplier__belt", "category")
    search_fields = ("title_en", "title_zh", "sku", "supplier__name_en")
    list_select_related = ("supplier", "category")
    raw_id_fields = ("supplier",)
    inlines = (PriceTierInline, ListingVariantInline, ListingImageInline, ListingEventInline)

    def save_formset(self, request, form, formset, change):
        instances = formset.save()
        if formset.model is ListingImage:
            # A new or replaced picture needs a thumbnail: made by the worker after commit.
            for image in instances:
                if not image.thumbnail:
                    listing_image_thumbnail_enqueue(image=image)
        return instances
