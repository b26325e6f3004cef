"""Webhook endpoints over the API, for a supplier's or a buying company's members.

GET/POST /api/v1/webhooks/, GET/PATCH/DELETE /api/v1/webhooks/<id>/, GET
/api/v1/webhooks/<id>/deliveries/ (the delivery log), POST
/api/v1/webhooks/<id>/deliveries/<delivery>/redeliver/. The signing secret is in the answer to the
POST only. Another company's endpoint answers 404; people who act for no company, 403.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.pagination import CreatedCursorPagination

from ..models import WebhookDelivery, WebhookEndpoint, WebhookEventType
from ..selectors.webhooks import (
    WebhookOwner,
    webhook_delivery_get,
    webhook_delivery_list,
    webhook_endpoint_get_for_owner,
    webhook_endpoint_list_for_owner,
    webhook_owner_for_user,
)
from ..services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_redeliver,
)

ERRORS = {
    400: OpenApiResponse(description="Bad input, by field (a URL that cannot receive webhooks among them)."),
    403: OpenApiResponse(description="You act for no supplier or buying company."),
    404: OpenApiResponse(description="No such endpoint among your company's."),
    409: OpenApiResponse(description="The company has as many endpoints as it may."),
}


@extend_schema_serializer(component_name="WebhookEndpoint")
class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEventType.choices))

    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = (
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "secret_prefix",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


@extend_schema_serializer(component_name="WebhookEndpointCreated")
class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = strict_fields.CharField(help_text="The signing secret: shown in this answer only, never again.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields: tuple[str, ...] = (*WebhookEndpointSerializer.Meta.fields, "secret")
        read_only_fields = fields


@extend_schema_serializer(component_name="WebhookDelivery")
class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id", "event_id", "event_type", "status", "attempts", "next_attempt_at", "last_attempt_at",
            "last_status_code", "last_error", "delivered_at", "created_at", "redelivery_of",
        )  # fmt: skip
        read_only_fields = fields


class _WebhookApi(APIView):
    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    def owner(self) -> WebhookOwner:
        owner = webhook_owner_for_user(user=self.request.user)
        if owner is None:
            raise exceptions.PermissionDenied(_("Only suppliers and buying companies have webhooks."))
        return owner

    def endpoint(self, pk: int) -> WebhookEndpoint:
        endpoint = webhook_endpoint_get_for_owner(owner=self.owner(), pk=pk)
        if endpoint is None:
            raise exceptions.NotFound()
        return endpoint


class WebhookEndpointListCreateApi(_WebhookApi):
    """GET: your company's endpoints. POST: register one; the answer carries its signing secret once."""

    pagination_class = CreatedCursorPagination

    @extend_schema_serializer(component_name="WebhookEndpointInput")
    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=500, help_text="http(s) URL on a public address.")
        events = serializers.ListField(
            child=serializers.ChoiceField(choices=WebhookEventType.choices), min_length=1, max_length=32
        )
        description = strict_fields.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="webhooks_list", responses={200: WebhookEndpointSerializer(many=True), 403: ERRORS[403]}
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(webhook_endpoint_list_for_owner(owner=self.owner()), request, view=self)
        return paginator.get_paginated_response(WebhookEndpointSerializer(page, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=InputSerializer,
        responses={201: WebhookEndpointCreatedSerializer, 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409]},
    )
    def post(self, request: Request) -> Response:
        # Not idempotent by key: the answer holds the secret, which a replay could not give back.
        # A retried create makes a second endpoint, which its owner deletes.
        owner = self.owner()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        endpoint, secret = webhook_endpoint_create(
            actor=self.request.user,
            buyer=owner.buyer,
            supplier=owner.supplier,
            url=data["url"],
            events=data["events"],
            description=data["description"],
        )
        body = WebhookEndpointSerializer(endpoint).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookEndpointDetailApi(_WebhookApi):
    """One of your company's endpoints: read, change (URL, events, description, active), delete."""

    @extend_schema_serializer(component_name="WebhookEndpointPatch")
    class PatchSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=500, required=False)
        events = serializers.ListField(
            child=serializers.ChoiceField(choices=WebhookEventType.choices), min_length=1, max_length=32, required=False
        )
        description = strict_fields.CharField(max_length=200, required=False, allow_blank=True)
        is_active = serializers.BooleanField(required=False)

    @extend_schema(operation_id="webhooks_retrieve", responses={200: WebhookEndpointSerializer, 404: ERRORS[404]})
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookEndpointSerializer(self.endpoint(pk)).data)

    @extend_schema(
        operation_id="webhooks_partial_update",
        request=PatchSerializer,
        responses={200: WebhookEndpointSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def patch(self, request: Request, pk: int) -> Response:
        endpoint = self.endpoint(pk)
        serializer = self.PatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None, 404: ERRORS[404]})
    def delete(self, request: Request, pk: int) -> Response:
        webhook_endpoint_delete(endpoint=self.endpoint(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(_WebhookApi):
    """An endpoint's delivery log, newest first: each event's status, attempts and last answer."""

    pagination_class = CreatedCursorPagination

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        responses={200: WebhookDeliverySerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        endpoint = self.endpoint(pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(webhook_delivery_list(endpoint=endpoint), request, view=self)
        return paginator.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class WebhookRedeliverApi(_WebhookApi):
    """Send a delivery's event again (same event id and payload), whatever became of the first."""

    @extend_schema(
        operation_id="webhooks_deliveries_redeliver",
        request=None,
        responses={201: WebhookDeliverySerializer, 404: ERRORS[404]},
    )
    def post(self, request: Request, pk: int, delivery_pk: int) -> Response:
        delivery = webhook_delivery_get(endpoint=self.endpoint(pk), pk=delivery_pk)
        if delivery is None:
            raise exceptions.NotFound()
        again = webhook_redeliver(delivery=delivery)
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_201_CREATED)
