from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from catalog.api import bulk as catalog_api_bulk
from catalog.api import lots as catalog_api_lots
from catalog.api import manage as catalog_api_manage
from catalog.api import pictures as catalog_api_pictures
from catalog.api import public as catalog_api
from catalog.api import suppliers as catalog_api_suppliers
from suppliers import api as suppliers_api
from suppliers.api import application as suppliers_api_application
from suppliers.api import licences as licences_api
from suppliers.api import operator as suppliers_api_operator
from suppliers.api import staff as suppliers_api_staff

from . import monitoring, views
from .pagecache import views as pagecache_views

admin.site.site_header = _("Belt Marketplace administration")
admin.site.site_title = _("Belt Marketplace")

api_v1: list[URLPattern | URLResolver] = [
    path("belts/", catalog_api.BeltListApi.as_view(), name="belt-list"),
    path("belts/<slug:slug>/", catalog_api.BeltDetailApi.as_view(), name="belt-detail"),
    path("categories/", catalog_api.CategoryListApi.as_view(), name="category-list"),
    path("listings/", catalog_api.ListingListApi.as_view(), name="listing-list"),
    path("listings/<int:pk>/", catalog_api.ListingDetailApi.as_view(), name="listing-detail"),
    path("suppliers/", catalog_api_suppliers.SupplierListApi.as_view(), name="supplier-list"),
    path("suppliers/<slug:slug>/", suppliers_api.SupplierDetailApi.as_view(), name="supplier-detail"),
    path(
        "suppliers/<slug:slug>/certification/",
        suppliers_api.SupplierCertificationApi.as_view(),
        name="supplier-certification",
    ),
    path("verify/licences/<str:number>/", licences_api.LicenceVerifyApi.as_view(), name="licence-verify"),
    path("verify/<str:code>/", suppliers_api.CertificateVerifyApi.as_view(), name="certificate-verify"),
    path(
        "operator/belts/<slug:slug>/licences/",
        licences_api.OperatorLicenceListApi.as_view(),
        name="operator-licence-list",
    ),
    path(
        "operator/licences/<int:pk>/", licences_api.OperatorLicenceDetailApi.as_view(), name="operator-licence-detail"
    ),
    path(
        "operator/licences/<int:pk>/renew/",
        licences_api.OperatorLicenceRenewApi.as_view(),
        name="operator-licence-renew",
    ),
    path(
        "operator/licences/<int:pk>/revoke/",
        licences_api.OperatorLicenceRevokeApi.as_view(),
        name="operator-licence-revoke",
    ),
    path("certificates/verify/", suppliers_api.SignedCertificateVerifyApi.as_view(), name="signed-certificate-verify"),
    path("me/application/", suppliers_api_application.MyApplicationApi.as_view(), name="my-application"),
    path(
        "me/application/submit/",
        suppliers_api_application.MyApplicationSubmitApi.as_view(),
        name="my-application-submit",
    ),
    path(
        "me/application/sites/",
        suppliers_api_application.MyApplicationSiteListApi.as_view(),
        name="my-application-sites",
    ),
    path(
        "me/application/sites/<int:pk>/",
        suppliers_api_application.MyApplicationSiteDetailApi.as_view(),
        name="my-application-site",
    ),
    path(
        "me/application/documents/",
        suppliers_api_application.MyApplicationDocumentListApi.as_view(),
        name="my-application-documents",
    ),
    path(
        "me/application/documents/<int:pk>/",
        suppliers_api_application.MyApplicationDocumentDetailApi.as_view(),
        name="my-application-document",
    ),
    path("me/lots/", catalog_api_lots.MyLotsApi.as_view(), name="my-lot-list"),
    path("me/lots/<int:pk>/", catalog_api_lots.MyLotDetailApi.as_view(), name="my-lot-detail"),
    path("me/lots/<int:pk>/close/", catalog_api_lots.MyLotCloseApi.as_view(), name="my-lot-close"),
    path("me/lots/<int:pk>/certificates/", catalog_api_lots.MyLotCertificatesApi.as_view(), name="my-lot-certificates"),
    path("lots/<str:token>/", catalog_api_lots.LotPublicApi.as_view(), name="lot-detail"),
    path("me/listings/", catalog_api_manage.MyListingsApi.as_view(), name="my-listing-list"),
    path("me/listings/export/", catalog_api_bulk.MyListingExportApi.as_view(), name="my-listing-export"),
    path(
        "me/listings/import-template/",
        catalog_api_bulk.MyListingImportTemplateApi.as_view(),
        name="my-listing-import-template",
    ),
    path("me/listing-imports/", catalog_api_bulk.MyListingImportListApi.as_view(), name="my-listing-import-list"),
    path(
        "me/listing-imports/<int:pk>/",
        catalog_api_bulk.MyListingImportDetailApi.as_view(),
        name="my-listing-import-detail",
    ),
    path("me/listings/<int:pk>/", catalog_api_manage.MyListingDetailApi.as_view(), name="my-listing-detail"),
    path(
        "me/listings/<int:pk>/certificates/",
        catalog_api_manage.MyListingCertificatesApi.as_view(),
        name="my-listing-certificates",
    ),
    path(
        "me/listings/<int:pk>/certificates/<int:certificate_id>/",
        catalog_api_manage.MyListingCertificateDetailApi.as_view(),
        name="my-listing-certificate-detail",
    ),
    path("me/listings/<int:pk>/publish/", catalog_api_manage.MyListingPublishApi.as_view(), name="my-listing-publish"),
    path(
        "me/listings/<int:pk>/unpublish/",
        catalog_api_manage.MyListingUnpublishApi.as_view(),
        name="my-listing-unpublish",
    ),
    path("me/listings/<int:pk>/archive/", catalog_api_manage.MyListingArchiveApi.as_view(), name="my-listing-archive"),
    path("me/listings/<int:pk>/restore/", catalog_api_manage.MyListingRestoreApi.as_view(), name="my-listing-restore"),
    path(
        "me/listings/<int:pk>/duplicate/",
        catalog_api_manage.MyListingDuplicateApi.as_view(),
        name="my-listing-duplicate",
    ),
    path("me/tokens/", accounts_api.ApiTokenListCreateApi.as_view(), name="me-token-list"),
    path("me/tokens/<int:pk>/revoke/", accounts_api.ApiTokenRevokeApi.as_view(), name="me-token-revoke"),
    path(
        "me/listings/<int:pk>/images/", catalog_api_pictures.MyListingImageListApi.as_view(), name="my-listing-images"
    ),
    path(
        "me/listings/<int:pk>/images/order/",
        catalog_api_pictures.MyListingImageOrderApi.as_view(),
        name="my-listing-images-order",
    ),
    path(
        "me/listings/<int:pk>/images/<int:image_id>/",
        catalog_api_pictures.MyListingImageDetailApi.as_view(),
        name="my-listing-image",
    ),
    path(
        "me/listings/<int:pk>/images/<int:image_id>/cover/",
        catalog_api_pictures.MyListingImageCoverApi.as_view(),
        name="my-listing-image-cover",
    ),
    path("operator/belts/", suppliers_api_operator.OperatorBeltListApi.as_view(), name="operator-belt-list"),
    path(
        "operator/belts/<slug:slug>/invitations/",
        suppliers_api_operator.OperatorInvitationListApi.as_view(),
        name="operator-invitation-list",
    ),
    path(
        "operator/belts/<slug:slug>/invitation-imports/",
        suppliers_api_operator.OperatorInvitationImportListApi.as_view(),
        name="operator-invitation-import-list",
    ),
    path(
        "operator/belts/<slug:slug>/invitation-imports/<int:pk>/",
        suppliers_api_operator.OperatorInvitationImportDetailApi.as_view(),
        name="operator-invitation-import-detail",
    ),
    path(
        "operator/belts/<slug:slug>/applications/",
        suppliers_api_operator.OperatorApplicationListApi.as_view(),
        name="operator-application-list",
    ),
    path(
        "operator/applications/<int:pk>/",
        suppliers_api_operator.OperatorApplicationDetailApi.as_view(),
        name="operator-application-detail",
    ),
    path(
        "operator/applications/<int:pk>/recommend/",
        suppliers_api_operator.OperatorApplicationRecommendApi.as_view(),
        name="operator-application-recommend",
    ),
    path("staff/applications/", suppliers_api_staff.StaffApplicationListApi.as_view(), name="staff-application-list"),
    path(
        "staff/suppliers/<int:pk>/certify/",
        suppliers_api_staff.StaffSupplierCertifyApi.as_view(),
        name="staff-supplier-certify",
    ),
    path(
        "staff/suppliers/<int:pk>/reject/",
        suppliers_api_staff.StaffSupplierRejectApi.as_view(),
        name="staff-supplier-reject",
    ),
    path(
        "staff/suppliers/<int:pk>/request-info/",
        suppliers_api_staff.StaffSupplierRequestInfoApi.as_view(),
        name="staff-supplier-request-info",
    ),
    path("", include("buyers.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("analytics.api_urls")),
]

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("suppliers.urls")),
    path("", include("buyers.urls")),
    path("", include("orders.urls")),
    path("", include("analytics.urls")),
    path("accounts/", include("accounts.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("csrf/", pagecache_views.csrf_token, name="csrf"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("readyz/web", views.readyz_web, name="readyz-web"),
    path("metrics", monitoring.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    # Public only when settings.API_SCHEMA_PUBLIC is on; otherwise staff only (marketplace.schema).
    path("api/schema/", views.schema_gate(SpectacularAPIView.as_view()), name="api-schema"),
    path("api/docs/", views.schema_gate(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# Under /api/ these answer JSON in the API's shape; pages keep Django's HTML (marketplace.views).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

if settings.SERVE_MEDIA:
    # Uploaded files were re-encoded by the server; served as attachments-safe static bytes.
    # Behind a real web server or S3, set DJANGO_SERVE_MEDIA=false.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
