from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.db.models import CharField, F, Func, Value
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from belts.hs import hs_code_formfield
from marketplace.numbers import ascii_formfield
from marketplace.uploads import IMAGES, upload_precheck

from .exchange import ExchangeRate
from .forms import SearchSynonymForm
from .models import (
    Listing,
    ListingCertificate,
    ListingEvent,
    ListingImage,
    ListingVariant,
    Lot,
    LotCertificate,
    LotEvent,
    PriceTier,
    SearchSynonym,
)
from .pictures import listing_image_create, listing_image_replace
from .prices import exchange_rate_set
from .synonyms import search_synonym_save

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
    """A picture in the listing's admin: the upload is only pre-checked (size, type) here and
    checked by the worker; the stored picture is never re-read by this form."""

    upload = forms.FileField(
        label=_("picture"), required=False, help_text=_("JPEG, PNG or WebP. A new file replaces the picture.")
    )

    class Meta:
        model = ListingImage
        fields = ("alt_text", "position")
        formfield_callback = ascii_formfield  # the model's number fields refuse digits other than 0-9

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            upload_precheck(upload, accept=IMAGES)
        return upload

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk is None and self.has_changed() and not cleaned.get("upload"):
            self.add_error("upload", _("Choose a picture."))
        return cleaned


class ListingImageInline(admin.TabularInline):
    model = ListingImage
    form = ListingImageForm
    extra = 1
    readonly_fields = ("preview",)
    fields = ("upload", "alt_text", "position", "preview")

    @admin.display(description=_("picture"))
    def preview(self, obj: ListingImage) -> "StrOrPromise":
        if not obj.pk:
            return ""
        if obj.file_is_refused:
            return format_html('<span class="text-danger">{}</span>', obj.file_refusal_message())
        if obj.file_is_pending:
            return _("being checked…")
        if obj.thumbnail:
            return format_html('<img src="{}" style="max-height:80px">', obj.thumbnail.url)
        return _("thumbnail being made…")


class ListingCertificateInline(admin.TabularInline):
    """The listing's certificates for export as the supplier added them; the document's check is
    the worker's. Staff may remove one (a forged or withdrawn certificate), not add or edit one."""

    model = ListingCertificate
    extra = 0
    fields = ("kind", "number", "issuer", "valid_until", "document_name", "file_check", "refusal")
    readonly_fields = fields

    @admin.display(description=_("why the file was refused"))
    def refusal(self, obj: ListingCertificate) -> str:
        return obj.file_refusal_message()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("title_en", "supplier", "category", "status", "moq", "unit", "price_incoterm", "created_at")
    list_filter = ("status", "supplier__belt", "category", "price_incoterm", "origin_country")
    search_fields = ("title_en", "title_zh", "sku", "supplier__name_en", "hs_code")
    list_select_related = ("supplier", "category")
    raw_id_fields = ("supplier",)
    inlines = (PriceTierInline, ListingVariantInline, ListingImageInline, ListingCertificateInline, ListingEventInline)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return hs_code_formfield(db_field) or super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ListingImage:
            return formset.save()
        # Pictures go through the catalog's services: an upload is kept unchecked and its check queued.
        formset.save(commit=False)
        for image in formset.deleted_objects:
            image.delete()
        for image_form in formset.forms:
            image = image_form.instance
            if not image_form.has_changed() or image in formset.deleted_objects:
                continue
            upload = image_form.cleaned_data.get("upload")
            if image.pk is None:
                listing_image_create(
                    listing=form.instance, upload=upload, alt_text=image.alt_text, position=image.position
                )
                continue
            image.save(update_fields=["alt_text", "position"])
            if upload:
                listing_image_replace(image=image, upload=upload)
        return []


class SearchSynonymAdminForm(SearchSynonymForm):
    class Meta(SearchSynonymForm.Meta):
        fields = ("terms", "kind", "belt", "note")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Staff keep the synonyms of every search and of each belt (operators keep their belt's on
    their dashboard). A change applies from the next search on."""

    form = SearchSynonymAdminForm
    list_display = ("__str__", "kind", "belt", "updated_by", "updated_at")
    list_filter = ("kind", "belt")
    list_select_related = ("belt", "updated_by")
    search_fields = ("note",)
    readonly_fields = ("keys", "updated_by", "updated_at")

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            in_terms = queryset.annotate(
                terms_text=Func(F("terms"), Value(" "), function="array_to_string", output_field=CharField())
            ).filter(terms_text__icontains=search_term)
            results = results | in_terms
        return results, duplicates

    def save_model(self, request, obj, form, change):
        search_synonym_save(actor=request.user, synonym=obj, audit=False)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Staff enter each day's rates; a rate once entered is kept as it is (a correction is a new
    entry, the latest entered for a day wins), so the history of what pages showed stays."""

    list_display = ("currency", "rate", "valid_on", "set_by", "created_at")
    list_filter = ("currency",)
    list_select_related = ("set_by",)
    date_hierarchy = "valid_on"
    fields = ("currency", "rate", "valid_on")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return (
            ascii_formfield(db_field, **kwargs)
            if db_field.name == "rate"
            else super().formfield_for_dbfield(db_field, request, **kwargs)
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = exchange_rate_set(currency=obj.currency, rate=obj.rate, valid_on=obj.valid_on, actor=request.user)
        obj.pk, obj.set_by, obj.created_at = saved.pk, saved.set_by, saved.created_at


class LotCertificateInline(admin.TabularInline):
    """A lot's certificates and their check state: read-only (suppliers add them)."""

    model = LotCertificate
    extra = 0
    can_delete = False
    fields = ("kind", "number", "issuer", "issued_on", "file_check", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class LotEventInline(admin.TabularInline):
    """The lot's history (created, edited, certificates, shipments, closed): read-only."""

    model = LotEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "actor", "data")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    """Suppliers' lots, for staff to look up (a lot changes only through catalog.lots.services)."""

    list_display = ("code", "supplier", "status", "produced_on", "quantity", "remaining", "unit")
    list_filter = ("status",)
    list_select_related = ("supplier",)
    search_fields = ("code", "supplier__name_en", "supplier__name_zh", "site_name")
    inlines = (LotCertificateInline, LotEventInline)
    readonly_fields = (
        "supplier", "code", "token", "status", "site_name", "site_address", "site_region", "latitude",
        "longitude", "produced_on", "packed_on", "best_before", "quantity", "remaining", "unit", "grade",
        "inspection_results", "created_by", "created_at", "closed_at",
    )  # fmt: skip
    exclude = ("listings",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
