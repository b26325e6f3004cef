from django.urls import path

from .views import addresses as views_addresses
from .views import dashboard as views
from .views import inbox as views_inbox
from .views import inquiries as views_inquiries
from .views import team as views_team

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
    # --- the company's team: members, invitations, and the invitation link
    path("dashboard/buyer/team/", views_team.team, name="team"),
    path(
        "dashboard/buyer/team/invitations/<int:pk>/withdraw/",
        views_team.team_invitation_withdraw,
        name="team_invitation_withdraw",
    ),
    path("dashboard/buyer/team/members/<int:pk>/remove/", views_team.team_member_remove, name="team_member_remove"),
    path("team/join/<str:token>/", views_team.team_join, name="team_join"),
    # --- the company's saved addresses (ship to, bill to), chosen at checkout
    path("dashboard/buyer/addresses/", views_addresses.addresses, name="addresses"),
    path("dashboard/buyer/addresses/<int:pk>/", views_addresses.address_edit, name="address_edit"),
    path("dashboard/buyer/addresses/<int:pk>/delete/", views_addresses.address_delete_view, name="address_delete"),
    path("dashboard/buyer/addresses/<int:pk>/mark/", views_addresses.address_mark, name="address_mark"),
]
