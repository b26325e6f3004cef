from django.urls import path

from . import views

app_name = "buyers"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("dashboard/buyer/", views.dashboard, name="dashboard"),
]
