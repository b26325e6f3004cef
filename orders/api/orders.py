"""One placed order over the API: GET /api/v1/orders/<number>/ and one POST per step of its life.

Only members of the order's buying company and of its supplier find the order (anyone else: 404,
as for a number that does not exist). Each POST calls the same service as the detail page's
button (orders.services.transitions). Answers: 200 with the order as it is now (201 for a
rating); 400 for bad input; 403 when the step belongs to the other party; 409 when the order's
status does not allow the step (e.g. the other party cancelled first).
"""

from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields

from ..models import Order, OrderEvent, Rating
from ..pdf import purchase_order_available
from ..selectors.orders import order_get_for_user
from ..services.protection import protection_of
from ..services.transitions import SERVICES, actions_for
from .placing import OrderLineOutputSerializer, OrderSummarySerializer

# --- serializers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="OrderDetailEvent")
class OrderEventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text="Who acted (name), or null for the system.")

    class Meta:
        model = OrderEvent
        fields = ("kind", "party", "actor", "from_status", "to_status", "note", "data", "created_at")

    def get_actor(self, event: OrderEvent) -> str | None:
        return event.actor.get_full_name() if event.actor else None


@extend_schema_serializer(component_name="OrderDetailRating")
class RatingOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ("stars", "text", "created_at")


@extend_schema_serializer(component_name="OrderDetail")
class OrderDetailOutputSerializer(OrderSummarySerializer):
    lines = OrderLineOutputSerializer(many=True)
    events = OrderEventOutputSerializer(many=True, help_text="The order's history, oldest first.")
    rating = serializers.SerializerMethodField()
    your_party = strict_fields.CharField(source="viewer_party", help_text="buyer or supplier: the side you act for.")
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: confirm, mark_paid, ship, confirm_delivery, complete, cancel, rate "
        "(no mark_paid on a protected order: the platform records its payment)."
    )
    purchase_order_url = serializers.SerializerMethodField(help_text="The purchase order PDF, once confirmed.")
    protection_status = serializers.SerializerMethodField(
        help_text="The payment protection's status (awaiting_payment, held, released, partially_refunded, refunded, "
        "cancelled), or null when the order is paid to the supplier directly. Details: GET …/protection/."
    )

    class Meta(OrderSummarySerializer.Meta):
        fields = (
            *OrderSummarySerializer.Meta.fields,
            "note", "shipping_address", "language", "carrier", "tracking_number", "cancel_reason",
            "cancelled_by_party", "confirmed_at", "paid_at", "shipped_at", "delivered_at", "completed_at",
            "cancelled_at", "updated_at", "lines", "events", "rating", "your_party", "actions",
            "purchase_order_url", "protection_status",
        )  # fmt: skip

    @extend_schema_field(RatingOutputSerializer(allow_null=True))
    def get_rating(self, order: Order) -> dict[str, Any] | None:
        rating = getattr(order, "rating", None)
        return RatingOutputSerializer(rating).data if rating else None

    def get_actions(self, order: Order) -> list[str]:
        return actions_for(order, order.viewer_party)  # type: ignore[attr-defined]

    def get_protection_status(self, order: Order) -> str | None:
        protection = protection_of(order)
        return protection.status if protection else None

    def get_purchase_order_url(self, order: Order) -> str | None:
        if not purchase_order_available(order):
            return None
        url = reverse("orders:order_pdf", args=[order.number])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_serializer(component_name="OrderStepInput")
class StepInputSerializer(serializers.Serializer):
    expected_status = serializers.ChoiceField(
        choices=Order.Status.choices,
        required=False,
        help_text="The status you decided on. If the order has moved since (the other party acted), "
        "the step is refused with 409 instead of being applied to an order you have not seen.",
    )


@extend_schema_serializer(component_name="OrderShipInput")
class ShipInputSerializer(StepInputSerializer):
    carrier = strict_fields.CharField(max_length=80, help_text="Shipping line, airline or courier.")
    tracking_number = strict_fields.CharField(max_length=80, help_text="Bill of lading, air waybill or parcel number.")


@extend_schema_serializer(component_name="OrderCancelInput")
class CancelInputSerializer(StepInputSerializer):
    reason = strict_fields.CharField(max_length=1000, help_text="Why the order is cancelled; the other party reads it.")


@extend_schema_serializer(component_name="OrderRateInput")
class RateInputSerializer(StepInputSerializer):
    stars = strict_fields.IntegerField(min_value=1, max_value=5)
    text = strict_fields.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- views --------------------------------------------------------------------------------------

ERRORS = {
    403: OpenApiResponse(description="The step belongs to the other party of the order."),
    404: OpenApiResponse(description="No such order among yours."),
    409: OpenApiResponse(description="The order's status does not allow this step now."),
}


class _OrderApi(APIView):
    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    def output(self, number: str, status_code: int = status.HTTP_200_OK) -> Response:
        order = order_get_for_user(number=number, user=self.request.user)
        data = OrderDetailOutputSerializer(order, context={"request": self.request}).data
        return Response(data, status=status_code)


class OrderDetailApi(_OrderApi):
    """One of your orders (as its buyer or its supplier), with lines, history and your next steps."""

    @extend_schema(operation_id="orders_retrieve", responses={200: OrderDetailOutputSerializer, 404: ERRORS[404]})
    def get(self, request: AuthenticatedRequest, number: str) -> Response:
        return self.output(number)


class _OrderActionApi(_OrderApi):
    step: ClassVar[str]
    input_serializer: ClassVar[type[serializers.Serializer]] = StepInputSerializer
    success_status: int = status.HTTP_200_OK

    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        order = order_get_for_user(number=number, user=request.user, detail=False)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        SERVICES[self.step](order=order, actor=request.user, **serializer.validated_data)
        return self.output(number, self.success_status)


def _action_schema(operation_id: str, description: str, request: Any = StepInputSerializer, success: int = 200) -> Any:
    return extend_schema(
        operation_id=operation_id,
        description=description,
        request=request,
        responses={success: OrderDetailOutputSerializer, **ERRORS},
    )


class OrderConfirmApi(_OrderActionApi):
    step = "confirm"

    @_action_schema("orders_confirm", "Supplier: accept a placed order (placed → confirmed).")
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderMarkPaidApi(_OrderActionApi):
    step = "mark_paid"

    @_action_schema("orders_mark_paid", "Supplier: record the buyer's payment as received (confirmed → paid).")
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderShipApi(_OrderActionApi):
    step = "ship"
    input_serializer = ShipInputSerializer

    @_action_schema("orders_ship", "Supplier: ship a paid order with carrier and tracking number.", ShipInputSerializer)
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderConfirmDeliveryApi(_OrderActionApi):
    step = "confirm_delivery"

    @_action_schema("orders_confirm_delivery", "Buyer: confirm the goods arrived (shipped → delivered).")
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderCompleteApi(_OrderActionApi):
    step = "complete"

    @_action_schema("orders_complete", "Buyer: close a delivered order (delivered → completed).")
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderCancelApi(_OrderActionApi):
    step = "cancel"
    input_serializer = CancelInputSerializer

    @_action_schema(
        "orders_cancel",
        "Buyer or supplier: cancel a placed or confirmed order with a reason; a paid one only the supplier.",
        CancelInputSerializer,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderRateApi(_OrderActionApi):
    step = "rate"
    input_serializer = RateInputSerializer
    success_status = status.HTTP_201_CREATED

    @_action_schema(
        "orders_rate", "Buyer: rate the supplier of a completed order, once (1–5 stars).", RateInputSerializer, 201
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)
