"""A supplier manages its listings: list, create, edit, publish, unpublish, archive, duplicate, pictures.

Every page finds the supplier through the signed-in user's membership and the listing through
`listing_get_for_supplier`, so another supplier's listing id answers 404 like one that does not
exist; buyers, operators and staff without a membership get 404 too. Writes go through
`catalog.services`, the same functions the API calls.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import supplier_required
from suppliers.http import SupplierHttpRequest

from ..certificates import listing_certificate_add, listing_certificate_remove
from ..forms import ListingCertificateForm, ListingEditor, ListingImageForm
from ..models import Listing
from ..selectors.manage import (
    STATUS_TABS,
    listing_certificate_get_for_supplier,
    listing_counts_for_supplier,
    listing_get_for_supplier,
    listing_image_get_for_supplier,
    listing_list_for_supplier,
    listing_publish_blockers,
    supplier_publish_blocker,
)
from ..services import (
    listing_archive,
    listing_create,
    listing_duplicate,
    listing_image_add,
    listing_image_make_cover,
    listing_image_remove,
    listing_publish,
    listing_restore,
    listing_unpublish,
    listing_update,
)

PAGE_SIZE = 20
TAB_LABELS = {
    "active": gettext_lazy("Active"),
    Listing.Status.DRAFT: gettext_lazy("Drafts"),
    Listing.Status.PUBLISHED: gettext_lazy("Published"),
    Listing.Status.ARCHIVED: gettext_lazy("Archived"),
}


@require_http_methods(["GET"])
@supplier_required
def listing_list(request: SupplierHttpRequest) -> HttpResponse:
    """The supplier's listings in tabs (active, drafts, published, archived) with counts and a search."""
    supplier = request.supplier
    status = request.GET.get("status", "active")
    if status not in STATUS_TABS:
        status = "active"
    query = request.GET.get("q", "").strip()[:100]
    counts = listing_counts_for_supplier(supplier=supplier)
    page = Paginator(listing_list_for_supplier(supplier=supplier, status=status, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [{"key": k, "label": TAB_LABELS[k], "count": counts[k], "active": k == status} for k in STATUS_TABS]
    return render(
        request,
        "catalog/manage/list.html",
        {
            "supplier": supplier,
            "tabs": tabs,
            "status": status,
            "query": query,
            "page": page,
            "publish_blocker": supplier_publish_blocker(supplier=supplier),
        },
    )


@require_http_methods(["GET", "POST"])
@supplier_required
def listing_new(request: SupplierHttpRequest) -> HttpResponse:
    supplier = request.supplier
    editor = ListingEditor(request.POST if request.method == "POST" else None, supplier=supplier)
    if request.method == "POST" and editor.is_valid():
        try:
            listing = listing_create(supplier=supplier, actor=request.user, **editor.service_kwargs())
        except ValidationError as exc:
            editor.add_service_errors(exc)
        else:
            messages.success(request, _("Draft saved. Buyers cannot see it until you publish it."))
            return redirect("catalog:manage_edit", listing.pk)
    return _render_form(request, supplier, editor, listing=None, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@supplier_required
def listing_edit(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    supplier = request.supplier
    listing = listing_get_for_supplier(supplier=supplier, pk=pk)
    if request.method == "POST" and listing.status == Listing.Status.ARCHIVED:
        messages.error(request, _("This listing is archived. Restore it to a draft before editing it."))
        return redirect("catalog:manage_edit", listing.pk)
    editor = ListingEditor(request.POST if request.method == "POST" else None, supplier=supplier, listing=listing)
    if request.method == "POST" and editor.is_valid():
        try:
            listing_update(listing=listing, actor=request.user, **editor.service_kwargs())
        except ValidationError as exc:
            editor.add_service_errors(exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("catalog:manage_edit", listing.pk)
    return _render_form(request, supplier, editor, listing=listing, status=400 if request.method == "POST" else 200)


def _render_form(
    request: HttpRequest,
    supplier: Any,
    editor: ListingEditor,
    *,
    listing: Listing | None,
    status: int,
    image_form: ListingImageForm | None = None,
    certificate_form: ListingCertificateForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "supplier": supplier,
        "listing": listing,
        "editor": editor,
        "form": editor.form,
        "publish_blocker": supplier_publish_blocker(supplier=supplier),
    }
    if listing is not None:
        context["publish_blockers"] = listing_publish_blockers(listing=listing, supplier=supplier)
        context["images"] = list(listing.images.all())
        context["image_form"] = image_form or ListingImageForm()
        context["certificates"] = list(listing.certificates.all())
        context["certificate_form"] = certificate_form or ListingCertificateForm()
        context["today"] = timezone.localdate()
        context["archived"] = listing.status == Listing.Status.ARCHIVED
    return render(request, "catalog/manage/form.html", context, status=status)


# --- state changes: POST only, each one service call -------------------------------------------


def _action(
    request: SupplierHttpRequest, pk: int, service: Callable[..., Listing], success: str
) -> tuple[Listing | None, HttpResponse]:
    supplier = request.supplier
    listing = listing_get_for_supplier(supplier=supplier, pk=pk)
    try:
        result = service(listing=listing, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None, redirect("catalog:manage_edit", listing.pk)
    messages.success(request, success)
    return result, redirect("catalog:manage_edit", result.pk)


@require_POST
@supplier_required
def listing_publish_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, listing_publish, _("Published: buyers can now find this listing."))[1]


@require_POST
@supplier_required
def listing_unpublish_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, listing_unpublish, _("Unpublished: the listing is a draft again."))[1]


@require_POST
@supplier_required
def listing_archive_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    listing, response = _action(
        request, pk, listing_archive, _("Archived. Find it under the Archived tab; it can be restored as a draft.")
    )
    return redirect("catalog:manage_list") if listing is not None else response


@require_POST
@supplier_required
def listing_restore_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, listing_restore, _("Restored as a draft."))[1]


@require_POST
@supplier_required
def listing_duplicate_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, listing_duplicate, _("Copied as a new draft (without pictures). Change what differs and save.")
    )[1]


# --- pictures ---------------------------------------------------------------------------------


@require_POST
@supplier_required
def listing_image_add_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    supplier = request.supplier
    listing = listing_get_for_supplier(supplier=supplier, pk=pk)
    form = ListingImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            listing_image_add(
                listing=listing,
                actor=request.user,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            form.add_error("image", exc.message_dict.get("image", exc.messages))
        else:
            messages.success(request, _("Picture received. It is being checked and will appear in a moment."))
            return redirect("catalog:manage_edit", listing.pk)
    editor = ListingEditor(supplier=supplier, listing=listing)
    return _render_form(request, supplier, editor, listing=listing, status=400, image_form=form)


@require_POST
@supplier_required
def listing_image_remove_view(request: SupplierHttpRequest, pk: int, image_id: int) -> HttpResponse:
    supplier = request.supplier
    image = listing_image_get_for_supplier(supplier=supplier, listing_pk=pk, pk=image_id)
    listing_image_remove(image=image, actor=request.user)
    messages.success(request, _("Picture removed."))
    return redirect("catalog:manage_edit", pk)


@require_POST
@supplier_required
def listing_image_first_view(request: SupplierHttpRequest, pk: int, image_id: int) -> HttpResponse:
    """Make one picture the first (the one on cards and at the top of the listing page)."""
    supplier = request.supplier
    image = listing_image_get_for_supplier(supplier=supplier, listing_pk=pk, pk=image_id)
    listing_image_make_cover(image=image, actor=request.user)
    messages.success(request, _("Picture moved to the front."))
    return redirect("catalog:manage_edit", pk)


# --- certificates for export --------------------------------------------------------------------


@require_POST
@supplier_required
def listing_certificate_add_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    supplier = request.supplier
    listing = listing_get_for_supplier(supplier=supplier, pk=pk)
    form = ListingCertificateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            listing_certificate_add(
                listing=listing,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
                issuer=form.cleaned_data["issuer"],
                valid_until=form.cleaned_data["valid_until"],
                upload=form.cleaned_data["document"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                form.add_error(None, exc.messages)
            else:
                for key, messages_ in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, messages_)
        else:
            messages.success(
                request, _("Certificate received. Its document is being checked; buyers see it once it has passed.")
            )
            return redirect("catalog:manage_edit", listing.pk)
    editor = ListingEditor(supplier=supplier, listing=listing)
    return _render_form(request, supplier, editor, listing=listing, status=400, certificate_form=form)


@require_POST
@supplier_required
def listing_certificate_remove_view(request: SupplierHttpRequest, pk: int, certificate_id: int) -> HttpResponse:
    certificate = listing_certificate_get_for_supplier(supplier=request.supplier, listing_pk=pk, pk=certificate_id)
    listing_certificate_remove(certificate=certificate, actor=request.user)
    messages.success(request, _("Certificate removed."))
    return redirect("catalog:manage_edit", pk)
