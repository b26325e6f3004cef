from django.urls import path

from . import views, views_inbox, views_inquiries

app_name = "buyers"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("dashboard/buyer/", views.dashboard, name="dashboard"),
    # --- inquiries: the buyer's list and new-inquiry form; the thread page serves both sides
    path("inquiries/", views_inquiries.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views_inquiries.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:pk>/", views_inquiries.inquiry_detail, name="inquiry_detail"),
    path(
        "inquiries/<int:pk>/messages/<int:message_pk>/attachment/",
        views_inquiries.attachment_download,
        name="attachment_download",
    ),
    # --- the supplier's inbox (linked from the supplier dashboard)
    path("dashboard/inquiries/", views_inbox.inbox, name="inbox"),
    # --- saved suppliers
    path("saved-suppliers/<slug:slug>/save/", views_inquiries.supplier_save_view, name="supplier_save"),
    path("saved-suppliers/<slug:slug>/remove/", views_inquiries.supplier_unsave_view, name="supplier_unsave"),
]
