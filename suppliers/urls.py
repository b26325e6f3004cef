from django.urls import path

from .views import application, certificates, dashboard, documents, operator, public, renewal

app_name = "suppliers"
urlpatterns = [
    # --- public trust pages
    path("suppliers/<slug:slug>/", public.detail, name="detail"),
    path("verify/", public.verify_lookup, name="verify_lookup"),
    path("help/response-figures/", public.help_response_figures, name="help_response_figures"),
    path("verify/licences/<str:number>/", public.verify_licence, name="verify_licence"),
    path("verify/<str:code>/", public.verify, name="verify"),
    path("verify/<str:code>/certificate.json", certificates.certificate_download, name="certificate_download"),
    # --- signed certificates: what anyone needs to check one offline
    path(".well-known/certificate-keys.json", certificates.certificate_keys, name="certificate_keys"),
    path(
        ".well-known/certificate-revocations.json", certificates.certificate_revocations, name="certificate_revocations"
    ),
    # --- private files (permission-checked downloads)
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("certifications/<int:pk>/audit-report/", documents.audit_report_download, name="audit_report_download"),
    path(
        "brand-licences/<int:pk>/document/",
        documents.brand_licence_document_download,
        name="brand_licence_document_download",
    ),
    # --- supplier dashboard and application
    path("dashboard/supplier/", dashboard.dashboard, name="dashboard"),
    path("dashboard/supplier/checks/", dashboard.application_checks, name="application_checks"),
    path("dashboard/supplier/renewal/", renewal.renewal, name="renewal"),
    path("dashboard/supplier/brand-licences/", dashboard.brand_licences, name="brand_licences"),
    path(
        "dashboard/supplier/renewal/documents/<int:document_id>/remove/",
        renewal.renewal_document_remove_view,
        name="renewal_document_remove",
    ),
    path("apply/", application.apply_start, name="apply"),
    path("apply/invite/<str:token>/", application.apply_invited, name="apply_invited"),
    path("apply/submit/", application.apply_submit, name="apply_submit"),
    path("apply/documents/<int:document_id>/remove/", application.apply_document_remove, name="apply_document_remove"),
    path("apply/sites/<int:site_id>/remove/", application.apply_site_remove, name="apply_site_remove"),
    path("apply/<slug:step>/", application.apply_step, name="apply_step"),
    # --- belt operators
    path("dashboard/belt/", operator.operator_dashboard, name="operator_dashboard"),
    path("dashboard/belt/applications/<int:supplier_pk>/", operator.operator_application, name="operator_application"),
    path("dashboard/belt/<slug:belt_slug>/invite/", operator.operator_invite, name="operator_invite"),
    path("dashboard/belt/<slug:belt_slug>/licences/", operator.operator_licences, name="operator_licences"),
    path("dashboard/belt/licences/<int:pk>/", operator.operator_licence, name="operator_licence"),
    path(
        "dashboard/belt/<slug:belt_slug>/invite/<int:pk>/",
        operator.operator_invite_import,
        name="operator_invite_import",
    ),
]
