"""Regional-brand licences in the admin: staff grant, renew and revoke through the same services as
the belt operators (suppliers.services.licences); nothing here writes a licence's fields itself, and
the licence's history (immutable events) is shown read-only."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from belts.models import Category
from marketplace.exceptions import ApplicationError

from ..models import BrandLicence, BrandLicenceEvent, Supplier
from ..services import brand_licence_grant, brand_licence_renew, brand_licence_revoke
from .common import ReadOnlyInline


class BrandLicenceEventInline(ReadOnlyInline):
    model = BrandLicenceEvent
    fields = ("created_at", "kind", "actor", "reason", "data")


class GrantForm(forms.ModelForm):
    """What staff fill in to grant; the service checks the holder, the scope and the period."""

    supplier = forms.ModelChoiceField(queryset=Supplier.objects.certified().order_by("name_en"), label=_("Member"))
    categories = forms.ModelMultipleChoiceField(queryset=Category.objects.order_by("name_en"), label=_("Scope"))
    upload = forms.FileField(label=_("Licence document"))

    class Meta:
        model = BrandLicence
        fields = ("supplier", "kind", "mark_en", "mark_zh", "categories", "valid_from", "valid_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mark_en"].required = False
        self.fields["mark_zh"].required = False

    def _post_clean(self) -> None:
        # The service validates and saves the licence (its belt, number and status are its own).
        pass


class DecideForm(forms.ModelForm):
    """An existing licence: a new end date renews it, a reason revokes it."""

    renew_until = forms.DateField(label=_("Renew until"), required=False)
    revoke_reason = forms.CharField(
        label=_("Revoke, because"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = BrandLicence
        fields: tuple[str, ...] = ()


@admin.register(BrandLicence)
class BrandLicenceAdmin(admin.ModelAdmin):
    list_display = ("number", "supplier", "belt", "mark_en", "valid_from", "valid_until", "status")
    list_filter = ("status", "kind", "belt")
    search_fields = ("number", "supplier__name_en", "supplier__name_zh")
    list_select_related = ("supplier", "belt")
    inlines = (BrandLicenceEventInline,)
    readonly_fields = (
        "number", "supplier", "belt", "kind", "mark_en", "mark_zh", "scope", "valid_from", "valid_until", "status",
        "document_name", "file_check", "granted_by", "granted_at", "revoked_at", "revoke_reason",
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[BrandLicence]:
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description=_("scope (categories)"))
    def scope(self, licence: BrandLicence) -> str:
        return ", ".join(str(c.name) for c in licence.categories.all())

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = DecideForm if obj is not None else GrantForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("supplier", "kind", "mark_en", "mark_zh", "categories", "valid_from", "valid_until", "upload")
        return (*self.readonly_fields, "renew_until", "revoke_reason")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a licence ends by revocation, on record

    def save_model(self, request: HttpRequest, obj: BrandLicence, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if not change:
                licence = brand_licence_grant(
                    supplier=data["supplier"], actor=request.user, kind=data["kind"],  # type: ignore[arg-type]
                    mark_en=data.get("mark_en") or "", mark_zh=data.get("mark_zh") or "",
                    categories=list(data["categories"]), valid_from=data.get("valid_from"),
                    valid_until=data["valid_until"], document=data["upload"],
                )  # fmt: skip
                obj.pk = licence.pk
            elif data.get("revoke_reason"):
                brand_licence_revoke(licence=obj, actor=request.user, reason=data["revoke_reason"])  # type: ignore[arg-type]
            elif data.get("renew_until"):
                brand_licence_renew(licence=obj, actor=request.user, valid_until=data["renew_until"])  # type: ignore[arg-type]
        except (ApplicationError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ApplicationError) else "; ".join(exc.messages)
            self.message_user(request, message, level=messages.ERROR)
            raise _Refused from exc

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service set the scope; events are written by the services only, so the read-only
        # history is not saved (the admin's change message reads what a save would have done).
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def changeform_view(
        self, request: HttpRequest, object_id: Any = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused:
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())


class _Refused(Exception):
    """A service refused the change: the admin says why and shows the form again."""
