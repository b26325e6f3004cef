"""API routes of buyers' inquiries, saved suppliers, company addresses and team (under /api/v1/,
marketplace/urls.py)."""

from django.urls import path

from . import api, api_team

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
    path("buyer/team/members/", api_team.TeamMemberListApi.as_view(), name="buyer-team-member-list"),
    path("buyer/team/members/<int:pk>/", api_team.TeamMemberDetailApi.as_view(), name="buyer-team-member-detail"),
    path("buyer/team/invitations/", api_team.TeamInvitationListApi.as_view(), name="buyer-team-invitation-list"),
    path(
        "buyer/team/invitations/<int:pk>/",
        api_team.TeamInvitationDetailApi.as_view(),
        name="buyer-team-invitation-detail",
    ),
]
