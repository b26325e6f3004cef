"""API routes of the analytics (mounted under /api/v1/ in marketplace/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/analytics/", api.MyAnalyticsApi.as_view(), name="my-analytics"),
    path("belts/<slug:slug>/analytics/", api.BeltAnalyticsApi.as_view(), name="belt-analytics"),
]
