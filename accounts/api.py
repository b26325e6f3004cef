"""API tokens over the API: GET/POST /api/v1/me/tokens/, POST /api/v1/me/tokens/<id>/revoke/.

Every signed-in person (supplier member, buyer, belt operator, staff) manages their own tokens; the
key is in the answer to the POST only. Another person's token answers 404.
"""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import strict_fields
from marketplace.pagination import CreatedCursorPagination

from .http import AuthenticatedRequest
from .models import ApiToken
from .selectors import api_token_get_for_user, api_token_list_for_user
from .services import api_token_create, api_token_revoke


@extend_schema_serializer(component_name="ApiToken")
class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields: tuple[str, ...] = (
            "id",
            "name",
            "prefix",
            "scope",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        )
        read_only_fields = fields


@extend_schema_serializer(component_name="ApiTokenCreated")
class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = strict_fields.CharField(help_text="The token itself: shown in this answer only, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields: tuple[str, ...] = (*ApiTokenSerializer.Meta.fields, "key")
        read_only_fields = fields


class ApiTokenListCreateApi(APIView):
    """GET: your tokens, newest first, revoked ones included (cursor pages). POST: make one; the
    answer carries its key once. Tokens with scope `read` are refused on every unsafe method."""

    permission_classes = (IsAuthenticated,)
    pagination_class = CreatedCursorPagination
    request: AuthenticatedRequest

    @extend_schema_serializer(component_name="ApiTokenCreateInput")
    class InputSerializer(serializers.Serializer):
        name = strict_fields.CharField(max_length=80, help_text="What the token is for, e.g. the ERP's name.")
        scope = serializers.ChoiceField(choices=ApiToken.Scope.choices, default=ApiToken.Scope.READ_WRITE)
        expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(responses=ApiTokenSerializer(many=True), operation_id="me_tokens_list")
    def get(self, request: Request) -> Response:
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(api_token_list_for_user(user=self.request.user), request, view=self)
        return paginator.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ApiTokenCreatedSerializer, 400: OpenApiResponse(description="Bad input, by field.")},
        operation_id="me_tokens_create",
    )
    def post(self, request: Request) -> Response:
        # Not idempotent by key: a retried create makes a second token (its key was never seen);
        # the unused one is revoked from the list. Replaying the first answer would need its key.
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        created = api_token_create(
            user=self.request.user, name=data["name"], scope=data["scope"], expires_at=data["expires_at"]
        )
        body = ApiTokenSerializer(created.token).data | {"key": created.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenRevokeApi(APIView):
    """Revoke one of your tokens at once (idempotent): requests with it are refused from now on."""

    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    @extend_schema(
        request=None,
        responses={200: ApiTokenSerializer, 404: OpenApiResponse(description="No such token among yours.")},
        operation_id="me_tokens_revoke",
    )
    def post(self, request: Request, pk: int) -> Response:
        token = api_token_get_for_user(user=self.request.user, pk=pk)
        if token is None:
            raise exceptions.NotFound()
        return Response(ApiTokenSerializer(api_token_revoke(token=token, user=self.request.user)).data)
