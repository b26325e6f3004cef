"""Renewal from the supplier's dashboard: hand in renewed documents, ask for re-verification.

Open to a company that was certified (certified at any level, lowered, suspended or expired); the
checks then run in the worker and the request waits for the certification staff's decision.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import supplier_required
from marketplace.exceptions import ApplicationError

from ..forms import CertificateForm, LicenceForm
from ..http import SupplierHttpRequest
from ..selectors import (
    supplier_document_get_for_application,
    supplier_document_list_for_application,
    verification_run_latest,
)
from ..services import renewal_document_add, renewal_document_remove, renewal_request
from ..services.renewal import RENEWABLE


@require_http_methods(["GET", "POST"])
@supplier_required
def renewal(request: SupplierHttpRequest) -> HttpResponse:
    supplier = request.supplier
    if supplier.status not in RENEWABLE:
        messages.info(request, _("Renewal opens once your company has been certified."))
        return redirect("suppliers:dashboard")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    licence_form = (
        LicenceForm(request.POST or None, request.FILES or None, prefix="licence")
        if action == "licence"
        else LicenceForm(prefix="licence")
    )
    certificate_form = (
        CertificateForm(request.POST or None, request.FILES or None, prefix="certificate")
        if action == "certificate"
        else CertificateForm(prefix="certificate")
    )
    try:
        if action == "licence" and licence_form.is_valid():
            renewal_document_add(
                supplier=supplier, actor=request.user, kind="licence", upload=licence_form.cleaned_data["upload"]
            )
            messages.success(request, _("The renewed business licence is on file."))
            return redirect("suppliers:renewal")
        if action == "certificate" and certificate_form.is_valid():
            renewal_document_add(
                supplier=supplier, actor=request.user, kind="certificate",
                upload=certificate_form.cleaned_data["upload"], **certificate_form.certificate_data(),
            )  # fmt: skip
            messages.success(request, _("The renewed certificate is on file."))
            return redirect("suppliers:renewal")
        if action == "request":
            renewal_request(supplier=supplier, actor=request.user)
            messages.success(request, _("Re-verification requested: the checks are running, then our staff decide."))
            return redirect("suppliers:renewal")
    except ValidationError as exc:  # the file's content was refused; what was typed stays in the form
        form = licence_form if action == "licence" else certificate_form
        form.add_error("upload", exc)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    run = verification_run_latest(supplier=supplier)
    return render(
        request,
        "suppliers/renewal.html",
        {
            "supplier": supplier,
            "licence_form": licence_form,
            "certificate_form": certificate_form,
            "documents": supplier_document_list_for_application(supplier=supplier),
            "run": run,
        },
    )


@require_POST
@supplier_required
def renewal_document_remove_view(request: SupplierHttpRequest, document_id: int) -> HttpResponse:
    """Remove a renewed document whose file was refused by its check (another company's id: 404)."""
    document = supplier_document_get_for_application(supplier=request.supplier, pk=document_id)
    try:
        renewal_document_remove(supplier=request.supplier, document_id=document.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document removed."))
    return redirect("suppliers:renewal")
