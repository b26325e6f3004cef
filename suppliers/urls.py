from django.urls import path

from . import views

app_name = "suppliers"
urlpatterns = [
    path("suppliers/<slug:slug>/", views.detail, name="detail"),
    path("dashboard/supplier/", views.dashboard, name="dashboard"),
    path("dashboard/belt/", views.operator_dashboard, name="operator_dashboard"),
]
