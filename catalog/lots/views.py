"""Lot pages: the supplier's lots (list, new, edit with certificates, close) and the public lot
page a buyer's customer reaches by scanning its QR code.

The supplier's pages find the lot through `lot_get_for_supplier`, so another supplier's lot
answers 404 like one that does not exist. The public page and its certificate downloads find the
lot by its random token; only certificates whose file passed its check are shown or served.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import supplier_required
from marketplace.storage import private_file_response
from suppliers.http import SupplierHttpRequest

from .forms import LotCertificateForm, LotForm
from .models import Lot, LotCertificate
from .qr import lot_qr_png_data_uri
from .selectors import (
    LOT_TABS,
    lot_certificate_get_public,
    lot_get_for_supplier,
    lot_get_public,
    lot_list_for_supplier,
)
from .services import lot_certificate_add, lot_close, lot_create, lot_update

PAGE_SIZE = 25
TAB_LABELS = {"open": gettext_lazy("Open"), "closed": gettext_lazy("Closed"), "all": gettext_lazy("All")}


def _listing_filter(request: HttpRequest) -> int | None:
    value = request.GET.get("listing", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@require_GET
@supplier_required
def lot_list(request: SupplierHttpRequest) -> HttpResponse:
    """The supplier's lots, open first, optionally those of one listing."""
    tab = request.GET.get("status", "open")
    if tab not in LOT_TABS:
        tab = "open"
    listing_id = _listing_filter(request)
    lots = lot_list_for_supplier(supplier=request.supplier, tab=tab, listing_id=listing_id)
    page = Paginator(lots, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"key": key, "label": TAB_LABELS[key], "active": key == tab} for key in LOT_TABS]
    return render(
        request,
        "catalog/lots/list.html",
        {"supplier": request.supplier, "page": page, "tabs": tabs, "status": tab, "listing_id": listing_id},
    )


@require_http_methods(["GET", "POST"])
@supplier_required
def lot_new(request: SupplierHttpRequest) -> HttpResponse:
    """Record a lot, with a first certificate if one is attached."""
    supplier = request.supplier
    listing_id = _listing_filter(request)
    form = LotForm(request.POST or None, supplier=supplier, initial={"listings": [listing_id] if listing_id else []})
    certificate_form = LotCertificateForm(request.POST or None, request.FILES or None, prefix="certificate")
    if request.method == "POST" and form.is_valid():
        with_certificate = bool(request.FILES.get("certificate-upload"))
        if not with_certificate or certificate_form.is_valid():
            try:
                lot = lot_create(
                    supplier=supplier,
                    actor=request.user,
                    listings=form.cleaned_data["listings"],
                    data=form.service_data(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Lot %(code)s recorded.") % {"code": lot.code})
                if with_certificate:
                    _add_certificate(request, lot, certificate_form)
                return redirect("catalog:lot_edit", lot.pk)
    return render(
        request,
        "catalog/lots/form.html",
        {"supplier": supplier, "form": form, "certificate_form": certificate_form, "lot": None},
        status=400 if request.method == "POST" else 200,
    )


def _add_certificate(request: SupplierHttpRequest, lot: Lot, form: LotCertificateForm) -> LotCertificate | None:
    try:
        certificate = lot_certificate_add(lot=lot, actor=request.user, **form.service_data())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.info(request, _("Certificate received: it is shown once its file has been checked."))
    return certificate


def _render_lot(
    request: SupplierHttpRequest,
    lot: Lot,
    form: LotForm | None = None,
    certificate_form: LotCertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "catalog/lots/form.html",
        {
            "supplier": request.supplier,
            "lot": lot,
            "form": form or LotForm(supplier=request.supplier, instance=lot),
            "certificate_form": certificate_form or LotCertificateForm(prefix="certificate"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@supplier_required
def lot_edit(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    """A lot: its fields, certificates (with their check state), what shipped from it and its history."""
    lot = lot_get_for_supplier(supplier=request.supplier, pk=pk)
    if request.method != "POST":
        return _render_lot(request, lot)
    form = LotForm(request.POST, supplier=request.supplier, instance=lot)
    if form.is_valid():
        try:
            lot_update(lot=lot, actor=request.user, data=form.service_data(), listings=form.cleaned_data["listings"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Lot saved."))
            return redirect("catalog:lot_edit", lot.pk)
    return _render_lot(request, lot, form=form, status=400)


@require_POST
@supplier_required
def lot_certificate_add_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    """Attach a certificate; a form that is not filled in is shown again with its messages."""
    lot = lot_get_for_supplier(supplier=request.supplier, pk=pk)
    form = LotCertificateForm(request.POST, request.FILES, prefix="certificate")
    if form.is_valid():
        try:
            lot_certificate_add(lot=lot, actor=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.info(request, _("Certificate received: it is shown once its file has been checked."))
            return redirect("catalog:lot_edit", lot.pk)
    return _render_lot(request, lot, certificate_form=form, status=400)


@require_POST
@supplier_required
def lot_close_view(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    lot = lot_get_for_supplier(supplier=request.supplier, pk=pk)
    lot_close(lot=lot, actor=request.user)
    messages.success(request, _("Lot closed: it no longer counts in stock."))
    return redirect("catalog:lot_edit", lot.pk)


# --- public -------------------------------------------------------------------------------------


@require_GET
def lot_public(request: HttpRequest, token: str) -> HttpResponse:
    """A lot for anyone holding its address: where and when it was grown or made, its grade and
    clean certificates, and its supplier's certification as it stands today (a suspended supplier
    shows as suspended), with a QR code of this page's address."""
    lot = lot_get_public(token=token)
    url = request.build_absolute_uri(lot.get_absolute_url())
    supplier = lot.supplier
    response = render(
        request,
        "catalog/lots/public.html",
        {
            "lot": lot,
            "supplier": supplier,
            "certified_now": supplier.is_publicly_certified(),
            "page_url": url,
            "qr": lot_qr_png_data_uri(url),
            "listings": [listing for listing in lot.listings.all() if listing.status == listing.Status.PUBLISHED],
        },
    )
    # The supplier's certification is read now: a page kept elsewhere would show a stale one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def lot_certificate_download(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    """A clean certificate of the lot, as a download; 404 while it is checked or once refused."""
    certificate = lot_certificate_get_public(token=token, pk=pk)
    return private_file_response(
        certificate.file,
        filename=f"lot-certificate-{certificate.pk}.{certificate.extension}",
        content_type=certificate.content_type,
        cache_control="private, max-age=600",
    )
