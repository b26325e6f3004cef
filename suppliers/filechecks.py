"""The kinds of upload this app has checked in the worker (marketplace.filecheck).

The names are stored in queued jobs: keep them stable.
"""

from marketplace.filecheck.services import CheckedKind, register
from marketplace.uploads import DOCUMENTS

DOCUMENT_CHECK = "suppliers.document"
AUDIT_REPORT_CHECK = "suppliers.audit_report"
BRAND_LICENCE_CHECK = "suppliers.brand_licence"


def register_checked_kinds() -> None:
    """Called from SuppliersConfig.ready."""
    from .models import BrandLicence, Certification, SupplierDocument
    from .services.application import document_checked
    from .services.licences import brand_licence_document_checked

    register(
        CheckedKind(
            name=DOCUMENT_CHECK, model=SupplierDocument, field="file", accept=DOCUMENTS, on_checked=document_checked
        )
    )
    register(CheckedKind(name=AUDIT_REPORT_CHECK, model=Certification, field="audit_report", accept=DOCUMENTS))
    register(
        CheckedKind(
            name=BRAND_LICENCE_CHECK,
            model=BrandLicence,
            field="document",
            accept=DOCUMENTS,
            on_checked=brand_licence_document_checked,
        )
    )
