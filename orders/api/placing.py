"""Placing orders over the API: POST /api/v1/orders/ (buyers) and the list of one's orders (GET).

POST needs an `Idempotency-Key` header: a retry with the same key and body answers 200 with the
purchase made the first time; the same key with another body answers 422. Prices are never read
from the request (the serializer has no price field); orders.services.placing computes them.
"""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from buyers.selectors.inquiries import buyer_company_for_user
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.pagination import CreatedCursorPagination

from ..models import Incoterm, Order, OrderKind, OrderLine, Purchase
from ..selectors.cart import order_list_for_user, purchase_get_for_user
from ..services.placing import LineRequest, purchase_place

IDEMPOTENCY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A new random value (e.g. a UUID) per order you mean to place, 1–100 characters. "
    "Sending it again with the same body returns the same purchase (200); with another body, 422.",
)


class OrderLineOutputSerializer(serializers.ModelSerializer):
    listing = strict_fields.IntegerField(source="listing_id", allow_null=True)
    variant = strict_fields.IntegerField(source="variant_id", allow_null=True)

    class Meta:
        model = OrderLine
        fields = (
            "listing", "variant", "title", "variant_label", "sku", "unit", "quantity", "unit_price", "line_total",
            "from_stock",
        )  # fmt: skip


class OrderSummarySerializer(serializers.ModelSerializer):
    supplier = serializers.SerializerMethodField()
    buyer = strict_fields.CharField(source="buyer.name")

    class Meta:
        model = Order
        fields: tuple[str, ...] = (
            "number", "kind", "status", "supplier", "buyer", "currency", "subtotal", "sample_credit", "total",
            "incoterm", "incoterm_place", "ship_to_country", "lead_time_days", "created_at",
        )  # fmt: skip

    def get_supplier(self, order: Order) -> dict[str, str]:
        return {"slug": order.supplier.slug, "name": order.supplier.name}


class OrderWithLinesSerializer(OrderSummarySerializer):
    lines = OrderLineOutputSerializer(many=True)

    class Meta(OrderSummarySerializer.Meta):
        fields = (*OrderSummarySerializer.Meta.fields, "lines")


class PurchaseOutputSerializer(serializers.ModelSerializer):
    orders = OrderWithLinesSerializer(many=True)

    class Meta:
        model = Purchase
        fields = ("id", "source", "created_at", "orders")


class OrderListCreateApi(APIView):
    """GET: the signed-in user's orders (a buyer its company's, a supplier its own), newest first,
    cursor pages. POST: place orders from listings (buyers only), one per supplier."""

    permission_classes = [IsAuthenticated]
    pagination_class = CreatedCursorPagination  # read by the schema too: GET answers cursor pages

    class InputSerializer(serializers.Serializer):
        class LineSerializer(serializers.Serializer):
            listing = strict_fields.IntegerField(min_value=1, max_value=ID_MAX)
            variant = strict_fields.IntegerField(
                min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
            )
            quantity = strict_fields.IntegerField(min_value=1, max_value=1_000_000_000)
            from_stock = serializers.BooleanField(required=False, default=False)

        kind = serializers.ChoiceField(choices=OrderKind.choices, default=OrderKind.BULK)
        # many=True hands max_length to the ListSerializer it makes; the stubs check it against the child.
        lines = LineSerializer(many=True, allow_empty=False, max_length=200)  # type: ignore[call-arg]
        shipping_address = strict_fields.CharField(max_length=1000)
        ship_to_country = strict_fields.CharField(max_length=2, min_length=2)
        incoterm = serializers.ChoiceField(choices=Incoterm.choices)
        incoterm_place = strict_fields.CharField(max_length=120, required=False, allow_blank=True, default="")
        note = strict_fields.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="orders_list",
        responses=OrderSummarySerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(order_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(OrderSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="orders_create",
        parameters=[IDEMPOTENCY_HEADER],
        request=InputSerializer,
        responses={
            201: PurchaseOutputSerializer,
            200: OpenApiResponse(PurchaseOutputSerializer, description="The same key and body again."),
            400: OpenApiResponse(description="Missing key, bad input or a broken quantity rule."),
            403: OpenApiResponse(description="Only buyers place orders."),
            409: OpenApiResponse(description="Not enough spot stock."),
            422: OpenApiResponse(description="The key was used for a different body."),
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        buyer = buyer_company_for_user(user=request.user)
        if buyer is None:
            raise PermissionDenied(_("Only buyers can place orders."))
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100:
            return Response(
                {"detail": _("Send an Idempotency-Key header of 1 to 100 characters.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        purchase, created = purchase_place(
            buyer=buyer,
            actor=request.user,
            lines=[
                LineRequest(
                    listing_id=line["listing"],
                    variant_id=line["variant"],
                    quantity=line["quantity"],
                    from_stock=line["from_stock"],
                )
                for line in data["lines"]
            ],
            kind=data["kind"],
            shipping_address=data["shipping_address"],
            ship_to_country=data["ship_to_country"].upper(),
            incoterm=data["incoterm"],
            incoterm_place=data["incoterm_place"],
            note=data["note"],
            idempotency_key=key,
            source=Purchase.Source.API,
            language=get_language() or "en",
        )
        purchase = purchase_get_for_user(user=request.user, pk=purchase.pk)
        return Response(
            PurchaseOutputSerializer(purchase).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
