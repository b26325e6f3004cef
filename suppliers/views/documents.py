"""Private files, served only to the people allowed to read them, and always as downloads."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from marketplace.filecheck.models import FileCheck
from marketplace.storage import private_file_response

from ..models import BrandLicence, Certification, SupplierDocument


def _download(file: FieldFile, content_type: str, filename: str) -> HttpResponseBase:
    return private_file_response(file, filename=filename, content_type=content_type)


@require_GET
@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A supplier document: for platform staff and the supplier's own members; 404 for anyone else,
    and for a document whose file is being checked or was refused."""
    documents = SupplierDocument.objects.select_related("supplier").filter(file_check=FileCheck.CLEAN).exclude(file="")
    if not request.user.is_staff:
        documents = documents.filter(supplier__members__user=request.user)
    document = documents.filter(pk=pk).first()
    if document is None:
        raise Http404("No such document")
    extension = (document.file.name or "").rsplit(".", 1)[-1]
    return _download(document.file, document.content_type, f"{document.kind}-{document.pk}.{extension}")


@require_GET
@login_required
def audit_report_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The audit report of a certification: platform staff only, and only once it is checked."""
    if not request.user.is_staff:
        raise Http404("No such report")
    certification = Certification.objects.filter(pk=pk, file_check=FileCheck.CLEAN).exclude(audit_report="").first()
    if certification is None:
        raise Http404("No such report")
    extension = (certification.audit_report.name or "").rsplit(".", 1)[-1]
    content_type = "application/pdf" if extension == "pdf" else f"image/{'png' if extension == 'png' else 'jpeg'}"
    return _download(certification.audit_report, content_type, f"audit-report-{certification.pk}.{extension}")


@require_GET
@login_required
def brand_licence_document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A brand licence's signed document: for platform staff, the operators of its belt and the
    holder's members; 404 for anyone else, and while its check is pending or after a refusal."""
    licences = BrandLicence.objects.filter(file_check=FileCheck.CLEAN).exclude(document="")
    if not request.user.is_staff:
        licences = licences.filter(
            Q(belt__operators__user=request.user) | Q(supplier__members__user=request.user)
        ).distinct()
    licence = licences.filter(pk=pk).first()
    if licence is None:
        raise Http404("No such document")
    extension = (licence.document.name or "").rsplit(".", 1)[-1]
    content_type = "application/pdf" if extension == "pdf" else f"image/{'png' if extension == 'png' else 'jpeg'}"
    return _download(licence.document, content_type, f"brand-licence-{licence.number}.{extension}")
