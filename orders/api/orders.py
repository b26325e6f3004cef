"""One placed order over the API: GET /api/v1/orders/<number>/ and one POST per step of its life.

Only members of the order's buying company and of its supplier find the order (anyone else: 404,
as for a number that does not exist). Each POST calls the same service as the detail page's
button (orders.services.transitions). Answers: 200 with the order as it is now (201 for a
rating); 400 for bad input; 403 when the step belongs to the other party; 409 when the order's
status does not allow the step (e.g. the other party cancelled first), or when the buyer accepts a
proposed total the supplier has revised since.
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
from marketplace.bounds import ID_MAX, INTEGER_MAX

from ..models import MONEY_TOTAL, Order, OrderEvent, OrderLine, OrderLineLot, Rating
from ..pdf import purchase_order_available
from ..selectors.orders import order_get_for_user
from ..services.protection import protection_of
from ..services.transitions import ACTIONS, LEAD_TIME_MAX_DAYS, SERVICES, actions_for
from .placing import OrderLineOutputSerializer, OrderSummarySerializer

# The next steps an order may list (the steps' actions, and "rate") and the charges a supplier sets.
ORDER_ACTIONS = [(action, action) for action in (*ACTIONS, "rate")]
ORDER_CHARGES = [("freight", "freight"), ("insurance", "insurance")]

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


@extend_schema_serializer(component_name="OrderLineLot")
class OrderLineLotOutputSerializer(serializers.Serializer):
    lot = strict_fields.IntegerField(source="lot_id")
    code = strict_fields.CharField(source="lot.code")
    quantity = strict_fields.IntegerField()
    url = serializers.SerializerMethodField(help_text="The lot's public page (its QR code encodes this address).")

    def get_url(self, item: OrderLineLot) -> str:
        return self.context["request"].build_absolute_uri(item.lot.get_absolute_url())


@extend_schema_serializer(component_name="OrderDetailLine")
class OrderDetailLineOutputSerializer(OrderLineOutputSerializer):
    id = strict_fields.IntegerField(help_text="The line's id (the ship step's `lots` name it).")
    sold_by_lot = serializers.SerializerMethodField(help_text="Whether shipping this line names its lots.")
    lots = OrderLineLotOutputSerializer(many=True, help_text="The lots this line shipped from (once shipped).")

    class Meta(OrderLineOutputSerializer.Meta):
        fields = ("id", *OrderLineOutputSerializer.Meta.fields, "sold_by_lot", "lots")

    def get_sold_by_lot(self, line: OrderLine) -> bool:
        return bool(line.listing is not None and line.listing.sold_by_lot)


@extend_schema_serializer(component_name="OrderDetail")
class OrderDetailOutputSerializer(OrderSummarySerializer):
    lines = OrderDetailLineOutputSerializer(many=True)
    events = OrderEventOutputSerializer(many=True, help_text="The order's history, oldest first.")
    rating = serializers.SerializerMethodField()
    your_party = strict_fields.CharField(source="viewer_party", help_text="buyer or supplier: the side you act for.")
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: confirm, accept_terms, mark_deposit_paid, mark_paid, ship, "
        "confirm_delivery, complete, cancel, rate (no mark_deposit_paid or mark_paid on a protected order: the "
        "platform records its payments)."
    )
    deposit_amount = serializers.DecimalField(
        **MONEY_TOTAL,
        read_only=True,
        allow_null=True,
        help_text="What the deposit comes to under deposit terms (deposit_percent of the total), else null.",
    )
    payment_due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Under net terms, when payment falls due (its days after shipping); null before shipping "
        "and under other terms.",
    )
    flow = serializers.ListField(
        child=serializers.ChoiceField(choices=Order.Status.choices),
        read_only=True,
        help_text='The statuses this order passes through under its payment terms, in order; "proposed" is '
        'included when its Incoterm has the supplier set charges. "cancelled" may end any of them.',
    )
    charges_needed = serializers.ListField(
        child=serializers.ChoiceField(choices=ORDER_CHARGES),
        read_only=True,
        help_text="The charges the supplier sets when confirming (those its Incoterm has the seller pay).",
    )
    purchase_order_url = serializers.SerializerMethodField(help_text="The purchase order PDF, once confirmed.")
    protection_status = serializers.SerializerMethodField(
        help_text="The payment protection's status (awaiting_payment, held, released, partially_refunded, refunded, "
        "cancelled), or null when the order is paid to the supplier directly. Details: GET …/protection/."
    )

    class Meta(OrderSummarySerializer.Meta):
        fields = (
            *OrderSummarySerializer.Meta.fields,
            "payment_terms", "deposit_percent", "deposit_amount", "freight", "insurance", "charges_needed",
            "payment_due_at", "flow", "note", "billing_address", "shipping_address", "language", "carrier",
            "tracking_number", "cancel_reason", "cancelled_by_party", "confirmed_at", "deposit_paid_at", "paid_at",
            "shipped_at", "delivered_at", "completed_at", "cancelled_at", "updated_at", "lines", "events", "rating",
            "your_party", "actions", "purchase_order_url", "protection_status",
        )  # fmt: skip
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "freight": {"help_text": "Set by the supplier when confirming, where the Incoterm has the seller pay it."},
            "insurance": {"help_text": "Set by the supplier when confirming, under CIF."},
            "billing_address": {"help_text": "The buying company's billing address when the order was placed."},
        }

    @extend_schema_field(RatingOutputSerializer(allow_null=True))
    def get_rating(self, order: Order) -> dict[str, Any] | None:
        rating = getattr(order, "rating", None)
        return RatingOutputSerializer(rating).data if rating else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ORDER_ACTIONS)))
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


@extend_schema_serializer(component_name="OrderConfirmInput")
class ConfirmInputSerializer(StepInputSerializer):
    freight = strict_fields.DecimalField(
        **MONEY_TOTAL,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Required where the Incoterm has the seller pay the freight (CFR, CIF, DAP, DDP; 0 if the prices "
        "include it); refused under the others. See the order's charges_needed.",
    )
    insurance = strict_fields.DecimalField(
        **MONEY_TOTAL,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Required under CIF (0 if the prices include it); refused under the other Incoterms.",
    )
    lead_time_days = strict_fields.IntegerField(
        min_value=1,
        max_value=LEAD_TIME_MAX_DAYS,
        required=False,
        allow_null=True,
        help_text="Another lead time than the order was placed with; leave out to keep it.",
    )


@extend_schema_serializer(component_name="OrderAcceptTermsInput")
class AcceptTermsInputSerializer(StepInputSerializer):
    expected_total = strict_fields.DecimalField(
        **MONEY_TOTAL,
        min_value=0,
        help_text="The proposed total you accept. If the supplier has revised the proposal since, the "
        "acceptance is refused with 409: read the order again.",
    )


@extend_schema_serializer(component_name="OrderShipLot")
class ShipLotInputSerializer(serializers.Serializer):
    line = strict_fields.IntegerField(min_value=1, max_value=ID_MAX, help_text="The order line's `id`.")
    lot = strict_fields.IntegerField(min_value=1, max_value=ID_MAX, help_text="The lot's `id` (GET /api/v1/me/lots/).")
    quantity = strict_fields.IntegerField(min_value=1, max_value=INTEGER_MAX, help_text="In the line's unit.")


@extend_schema_serializer(component_name="OrderShipInput")
class ShipInputSerializer(StepInputSerializer):
    carrier = strict_fields.CharField(max_length=80, help_text="Shipping line, airline or courier.")
    tracking_number = strict_fields.CharField(max_length=80, help_text="Bill of lading, air waybill or parcel number.")
    lots = ShipLotInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text="For each line of a listing sold by lot (`sold_by_lot`), the lots it ships from and how much "
        "of each, adding up to the line's quantity; the lots must be yours, open, supply the line's listing and "
        "have enough left. Other lines name no lot.",
    )


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
    input_serializer = ConfirmInputSerializer

    @_action_schema(
        "orders_confirm",
        "Supplier: accept a placed order, setting the charges its Incoterm has the seller pay and, if it "
        "differs, the lead time. When the total and lead time stay as placed, the order is confirmed "
        "(placed → confirmed); otherwise they are proposed to the buyer (placed → proposed), who accepts them "
        "(accept-terms). A proposal may be revised the same way (proposed → proposed).",
        ConfirmInputSerializer,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderAcceptTermsApi(_OrderActionApi):
    step = "accept_terms"
    input_serializer = AcceptTermsInputSerializer

    @_action_schema(
        "orders_accept_terms",
        "Buyer: accept the supplier's proposed charges and lead time (proposed → confirmed). 409 when the "
        "proposed total is no longer expected_total.",
        AcceptTermsInputSerializer,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderMarkDepositPaidApi(_OrderActionApi):
    step = "mark_deposit_paid"

    @_action_schema(
        "orders_mark_deposit_paid",
        "Supplier: record the buyer's deposit as received, under deposit terms (confirmed → deposit_paid). "
        "409 on a protected order: the platform records its payments.",
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class OrderMarkPaidApi(_OrderActionApi):
    step = "mark_paid"

    @_action_schema(
        "orders_mark_paid",
        "Supplier: record the buyer's payment (or its balance) as received, at the step the payment terms put "
        "it: before shipping (prepaid, deposit), after delivery (net terms) or after shipping (L/C).",
    )
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
