from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("belts/<slug:slug>/", views.belt_detail, name="belt_detail"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("search/", views.search, name="search"),
]
