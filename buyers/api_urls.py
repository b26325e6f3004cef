"""API routes of buyers' inquiries, saved suppliers and company addresses (under /api/v1/, marketplace/urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("inquiries/", api.InquiryListApi.as_view(), name="inquiry-list"),
    path("inquiries/<int:pk>/", api.InquiryDetailApi.as_view(), name="inquiry-detail"),
    path("inquiries/<int:pk>/read/", api.InquiryReadApi.as_view(), name="inquiry-read"),
    path("inquiries/<int:pk>/messages/", api.InquiryMessageCreateApi.as_view(), name="inquiry-message-create"),
    path(
        "inquiries/<int:pk>/messages/<int:message_pk>/attachment/",
        api.InquiryAttachmentApi.as_view(),
        name="inquiry-attachment",
    ),
    path("saved-suppliers/", api.SavedSupplierListApi.as_view(), name="saved-supplier-list"),
    path("saved-suppliers/<slug:slug>/", api.SavedSupplierDeleteApi.as_view(), name="saved-supplier-detail"),
    path("buyer/addresses/", api.CompanyAddressListApi.as_view(), name="buyer-address-list"),
    path("buyer/addresses/<int:pk>/", api.CompanyAddressDetailApi.as_view(), name="buyer-address-detail"),
]
