"""Writes to suppliers. Every state change happens in exactly one function here."""

from .application import (
    application_missing,
    production_site_add,
    production_site_remove,
    supplier_application_start,
    supplier_application_submit,
    supplier_application_update,
    supplier_document_add,
    supplier_document_remove,
    verification_rerun,
)
from .certification import (
    CERTIFICATION_VALIDITY,
    certifications_expiry_sweep,
    supplier_certify,
    supplier_recommend,
    supplier_reject,
    supplier_request_info,
)
from .checklists import audit_checklist_save_points
from .onboarding import ImportReport, RowProblem, invitations_import_csv
from .verification import verification_run_close, verification_run_enqueue, verification_run_execute

__all__ = [
    "CERTIFICATION_VALIDITY",
    "ImportReport",
    "RowProblem",
    "application_missing",
    "audit_checklist_save_points",
    "certifications_expiry_sweep",
    "invitations_import_csv",
    "production_site_add",
    "production_site_remove",
    "supplier_application_start",
    "supplier_application_submit",
    "supplier_application_update",
    "supplier_certify",
    "supplier_document_add",
    "supplier_document_remove",
    "supplier_recommend",
    "supplier_reject",
    "supplier_request_info",
    "verification_rerun",
    "verification_run_close",
    "verification_run_enqueue",
    "verification_run_execute",
]
