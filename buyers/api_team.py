"""A buying company's team over the API (its members only), with the team page's services.

GET /api/v1/buyer/team/members/ and /invitations/ list the members and the open invitations; POST
on /invitations/ invites a colleague by email (the link is emailed; inviting the address again
sends it again); DELETE withdraws an invitation or removes a member (a member may also leave; the
last member stays). Another company's member or invitation answers 404; anyone who does not buy
for a company, 403. Buyer companies have no roles among their members, so there is no role to set.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.idempotency.api import idempotent

from .models import BuyerCompany, BuyerInvitation, BuyerMember
from .selectors.inquiries import buyer_company_for_user
from .selectors.team import (
    team_invitation_get_for_member,
    team_invitation_list,
    team_member_get_for_member,
    team_member_list,
)
from .services.team import (
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    buyer_invitation_withdraw,
    buyer_member_invite,
    buyer_member_remove,
)

ONLY_BUYERS = OpenApiResponse(description="You do not buy for a company.")
NOT_YOURS = OpenApiResponse(description="No such member or open invitation in your company.")


def _company(request: AuthenticatedRequest) -> BuyerCompany:
    company = buyer_company_for_user(user=request.user)
    if company is None:
        raise PermissionDenied(_("Only buyers can do this."))
    return company


@extend_schema_serializer(component_name="TeamMember")
class MemberSerializer(serializers.ModelSerializer):
    email = strict_fields.CharField(source="user.email")
    full_name = strict_fields.CharField(source="user.full_name")
    is_you = serializers.SerializerMethodField()

    class Meta:
        model = BuyerMember
        fields = ("id", "email", "full_name", "is_you")

    def get_is_you(self, member: BuyerMember) -> bool:
        return bool(member.user_id == self.context["user"].pk)


@extend_schema_serializer(component_name="TeamInvitation")
class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField()
    expired = serializers.SerializerMethodField()

    class Meta:
        model = BuyerInvitation
        fields = ("id", "email", "full_name", "invited_by", "created_at", "expires_at", "expired")

    def get_invited_by(self, invitation: BuyerInvitation) -> str:
        return invitation.invited_by.email if invitation.invited_by else ""

    def get_expired(self, invitation: BuyerInvitation) -> bool:
        return invitation.is_expired()


@extend_schema_serializer(component_name="TeamInviteInput")
class InviteInputSerializer(serializers.Serializer):
    email = strict_fields.CharField(max_length=EMAIL_MAX_LENGTH, help_text="Your colleague's work email.")
    full_name = strict_fields.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")


class TeamMemberListApi(APIView):
    """Your company's members, by name."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="buyer_team_members_list", responses={200: MemberSerializer(many=True), 403: ONLY_BUYERS}
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        members = team_member_list(company=_company(request))
        return Response(MemberSerializer(members, many=True, context={"user": request.user}).data)


class TeamMemberDetailApi(APIView):
    """Remove a member from your company, or leave it yourself (the last member stays)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="buyer_team_members_destroy",
        responses={
            204: None,
            400: OpenApiResponse(description="The company must keep at least one member."),
            403: ONLY_BUYERS,
            404: NOT_YOURS,
        },
    )
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        _company(request)
        member = team_member_get_for_member(user=request.user, pk=pk)
        buyer_member_remove(company=member.company, actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamInvitationListApi(APIView):
    """Your company's open invitations, newest first; invite a colleague."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="buyer_team_invitations_list",
        responses={200: InvitationSerializer(many=True), 403: ONLY_BUYERS},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(InvitationSerializer(team_invitation_list(company=_company(request)), many=True).data)

    @extend_schema(
        operation_id="buyer_team_invitations_create",
        description="The invitation link is emailed to the address, in the language of the request, valid for 14 "
        "days. The address's open invitation is sent again rather than doubled (with a fresh link once the old "
        "one expired). An address that is a member already is refused with 400.",
        request=InviteInputSerializer,
        responses={201: InvitationSerializer, 403: ONLY_BUYERS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        company = _company(request)
        serializer = InviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = buyer_member_invite(
            company=company,
            actor=request.user,
            **serializer.validated_data,
            base_url=request.build_absolute_uri("/")[:-1],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class TeamInvitationDetailApi(APIView):
    """Withdraw an open invitation (its link stops working)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="buyer_team_invitations_destroy", responses={204: None, 403: ONLY_BUYERS, 404: NOT_YOURS}
    )
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        _company(request)
        invitation = team_invitation_get_for_member(user=request.user, pk=pk)
        buyer_invitation_withdraw(company=invitation.company, actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)
