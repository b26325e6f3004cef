"""A supplier's bulk listing pages: upload a CSV or XLSX file, watch its import, read the row report;
download the template and export the listings.

Only a supplier's members reach these pages: anyone else signed in (a buyer, an operator) gets 404,
an anonymous visitor is sent to sign in. Another supplier's import answers 404, like one that does
not exist. Thin: parse → the service or read in `catalog.imports` / `catalog.exports` → respond.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import supplier_required
from belts.selectors import category_list_top
from suppliers.http import SupplierHttpRequest

from ..exports import ExportFile, listing_export_file, listing_template_file
from ..imports import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_REPORTED_ROWS,
    MAX_ROWS,
    listing_import_create,
    listing_import_get_for_supplier,
    listing_import_list_for_supplier,
)
from ..models import ListingImport

PAGE_SIZE = 20
FORMATS = (ListingImport.Format.CSV, ListingImport.Format.XLSX)


class ListingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


@require_http_methods(["GET", "POST"])
@supplier_required
def listing_import(request: SupplierHttpRequest) -> HttpResponse:
    """Upload a file (checked at once, imported in the background) and the list of past imports."""
    supplier = request.supplier
    form = ListingImportForm(request.POST, request.FILES) if request.method == "POST" else ListingImportForm()
    if form.is_bound and form.is_valid():
        try:
            job = listing_import_create(
                supplier=supplier, actor=request.user, upload=form.cleaned_data["file"], language=get_language()
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("catalog:listing_import_detail", job.pk)
    return render(
        request,
        "catalog/imports/upload.html",
        {
            "supplier": supplier,
            "form": form,
            "page": Paginator(listing_import_list_for_supplier(supplier=supplier), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "columns": [column for column in COLUMNS if column.explained],
            "categories": category_list_top(),
            "max_rows": MAX_ROWS,
            "max_size": MAX_FILE_BYTES,
        },
    )


@require_GET
@supplier_required
@vary_on_headers("HX-Request")
def listing_import_detail(request: SupplierHttpRequest, pk: int) -> HttpResponse:
    """One import: a progress bar while it runs (htmx polls this view), then its summary and report."""
    supplier = request.supplier
    job = listing_import_get_for_supplier(supplier=supplier, pk=pk)
    rejected = [row for row in job.error_rows if row.get("errors")]
    drafted = [row for row in job.error_rows if not row.get("errors")]
    rejected_count = max(0, job.processed_rows - job.created_count - job.updated_count)
    context = {
        "job": job,
        "polling": job.status in (ListingImport.Status.QUEUED, ListingImport.Status.RUNNING),
        "report_rows": job.error_rows,
        "rejected_count": rejected_count,
        "drafted_count": len(drafted),
        "report_truncated": len(job.error_rows) >= MAX_REPORTED_ROWS and rejected_count > len(rejected),
        "max_reported": MAX_REPORTED_ROWS,
    }
    # htmx asks for the progress fragment every second: answer with just that fragment.
    template = "catalog/imports/partials/job.html" if request.htmx else "catalog/imports/detail.html"
    return render(request, template, context)


def _attachment(file: ExportFile) -> HttpResponse:
    return HttpResponse(
        file.content,
        content_type=file.content_type,
        headers={"Content-Disposition": content_disposition_header(True, file.filename)},
    )


@require_GET
@supplier_required
def listing_import_template(request: SupplierHttpRequest, fmt: str) -> HttpResponse:
    """The empty template (header and one example row), in the reader's language."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    return _attachment(listing_template_file(fmt=fmt))


@require_GET
@supplier_required
def listing_export(request: SupplierHttpRequest, fmt: str) -> HttpResponse:
    """The supplier's own listings in the import's columns."""
    supplier = request.supplier
    if fmt not in FORMATS:
        raise Http404("No such format")
    return _attachment(listing_export_file(supplier=supplier, fmt=fmt))
