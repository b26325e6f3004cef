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
from .badges import badges_audit
from .certification import (
    CERTIFICATION_VALIDITY,
    certification_audit_report_replace,
    certification_rule_problems,
    failed_checks,
    supplier_certify,
    supplier_downgrade,
    supplier_recommend,
    supplier_reject,
    supplier_request_info,
)
from .checklists import audit_checklist_save_points
from .expiry import certifications_expiry_sweep, supplier_certification_expire
from .facts import production_site_change, supplier_details_change
from .invitation_imports import (
    invitation_import_create,
    invitation_import_failure_message,
    invitation_import_ids_stalled,
    invitation_import_problem_rows,
    invitation_import_run,
)
from .licences import (
    brand_licence_grant,
    brand_licence_renew,
    brand_licence_revoke,
    brand_licence_scope_choices,
)
from .onboarding import ImportReport, InvitationFileRefused, RowProblem, invitations_import_csv
from .renewal import renewal_document_add, renewal_document_remove, renewal_request, reverification_sweep
from .verification import (
    verification_run_close,
    verification_run_enqueue,
    verification_run_execute,
    verification_run_ids_stalled,
)

__all__ = [
    "CERTIFICATION_VALIDITY",
    "ImportReport",
    "InvitationFileRefused",
    "RowProblem",
    "application_missing",
    "audit_checklist_save_points",
    "badges_audit",
    "brand_licence_grant",
    "brand_licence_renew",
    "brand_licence_revoke",
    "brand_licence_scope_choices",
    "certification_audit_report_replace",
    "certification_rule_problems",
    "certifications_expiry_sweep",
    "failed_checks",
    "invitation_import_create",
    "invitation_import_failure_message",
    "invitation_import_ids_stalled",
    "invitation_import_problem_rows",
    "invitation_import_run",
    "invitations_import_csv",
    "production_site_add",
    "production_site_change",
    "production_site_remove",
    "renewal_document_add",
    "renewal_document_remove",
    "renewal_request",
    "reverification_sweep",
    "supplier_application_start",
    "supplier_application_submit",
    "supplier_application_update",
    "supplier_certification_expire",
    "supplier_certify",
    "supplier_details_change",
    "supplier_document_add",
    "supplier_document_remove",
    "supplier_downgrade",
    "supplier_recommend",
    "supplier_reject",
    "supplier_request_info",
    "verification_rerun",
    "verification_run_close",
    "verification_run_enqueue",
    "verification_run_execute",
    "verification_run_ids_stalled",
]
