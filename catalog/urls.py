from django.urls import path

from .lots import views as views_lots
from .views import browse as views
from .views import manage as views_manage
from .views import search as views_search
from .views import synonyms as views_synonyms
from .views.currency import set_currency
from .views.imports import listing_export, listing_import, listing_import_detail, listing_import_template

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("belts/<slug:slug>/", views.belt_detail, name="belt_detail"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path(
        "listings/<int:pk>/certificates/<int:certificate_id>/",
        views.listing_certificate_document,
        name="listing_certificate_document",
    ),
    path("search/", views_search.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("currency/", set_currency, name="set_currency"),
    path("compare/add/<int:pk>/", views.compare_add_view, name="compare_add"),
    path("compare/remove/<int:pk>/", views.compare_remove_view, name="compare_remove"),
    path("dashboard/listings/import/", listing_import, name="listing_import"),
    path("dashboard/listings/import/<int:pk>/", listing_import_detail, name="listing_import_detail"),
    path(
        "dashboard/listings/import/template.<str:fmt>",
        listing_import_template,
        name="listing_import_template",
    ),
    path("dashboard/listings/export.<str:fmt>", listing_export, name="listing_export"),
    # --- a supplier's own listings (catalog.views.manage)
    path("dashboard/listings/", views_manage.listing_list, name="manage_list"),
    path("dashboard/listings/new/", views_manage.listing_new, name="manage_new"),
    path("dashboard/listings/<int:pk>/", views_manage.listing_edit, name="manage_edit"),
    path("dashboard/listings/<int:pk>/publish/", views_manage.listing_publish_view, name="manage_publish"),
    path("dashboard/listings/<int:pk>/unpublish/", views_manage.listing_unpublish_view, name="manage_unpublish"),
    path("dashboard/listings/<int:pk>/archive/", views_manage.listing_archive_view, name="manage_archive"),
    path("dashboard/listings/<int:pk>/restore/", views_manage.listing_restore_view, name="manage_restore"),
    path("dashboard/listings/<int:pk>/duplicate/", views_manage.listing_duplicate_view, name="manage_duplicate"),
    path("dashboard/listings/<int:pk>/images/", views_manage.listing_image_add_view, name="manage_image_add"),
    path(
        "dashboard/listings/<int:pk>/images/<int:image_id>/remove/",
        views_manage.listing_image_remove_view,
        name="manage_image_remove",
    ),
    path(
        "dashboard/listings/<int:pk>/images/<int:image_id>/first/",
        views_manage.listing_image_first_view,
        name="manage_image_first",
    ),
    # --- a supplier's lots and the public lot page (catalog.lots)
    path("dashboard/lots/", views_lots.lot_list, name="lot_list"),
    path("dashboard/lots/new/", views_lots.lot_new, name="lot_new"),
    path("dashboard/lots/<int:pk>/", views_lots.lot_edit, name="lot_edit"),
    path("dashboard/lots/<int:pk>/close/", views_lots.lot_close_view, name="lot_close"),
    path("dashboard/lots/<int:pk>/certificates/", views_lots.lot_certificate_add_view, name="lot_certificate_add"),
    path("lots/<str:token>/", views_lots.lot_public, name="lot_public"),
    path(
        "lots/<str:token>/certificates/<int:pk>/",
        views_lots.lot_certificate_download,
        name="lot_certificate_download",
    ),
    path(
        "dashboard/listings/<int:pk>/certificates/",
        views_manage.listing_certificate_add_view,
        name="manage_certificate_add",
    ),
    path(
        "dashboard/listings/<int:pk>/certificates/<int:certificate_id>/remove/",
        views_manage.listing_certificate_remove_view,
        name="manage_certificate_remove",
    ),
    path("dashboard/belt/<slug:belt_slug>/synonyms/", views_synonyms.operator_synonyms, name="operator_synonyms"),
    path(
        "dashboard/belt/<slug:belt_slug>/synonyms/<int:pk>/",
        views_synonyms.operator_synonym_edit,
        name="operator_synonym_edit",
    ),
    path(
        "dashboard/belt/<slug:belt_slug>/synonyms/<int:pk>/delete/",
        views_synonyms.operator_synonym_delete,
        name="operator_synonym_delete",
    ),
]
