from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("dashboard/supplier/analytics/", views.supplier_page, name="supplier"),
    path("dashboard/supplier/analytics/<slug:table>.csv", views.supplier_csv, name="supplier_csv"),
    path("dashboard/belt/<slug:slug>/analytics/", views.belt_page, name="belt"),
    path("dashboard/belt/<slug:slug>/analytics/<slug:table>.csv", views.belt_csv, name="belt_csv"),
    path("belts/<slug:slug>/statistics/", views.belt_public_page, name="belt_public"),
    path("belts/<slug:slug>/statistics/<slug:table>.csv", views.belt_public_csv, name="belt_public_csv"),
]
