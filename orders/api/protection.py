"""Payment protection of one order over the API, for its buyer and supplier only (anyone else: 404).

GET /api/v1/orders/<number>/protection/ shows the protection, its ledger lines, balances and
disputes. Each step is one POST with an `Idempotency-Key` header, calling the same service as the
order page: choose protection (buyer), confirm the delivery and so release the funds (buyer), open
a dispute (buyer; multipart for evidence files), answer it (supplier). A retry with the same key
and body answers as the first time without running the step again; the same key with another
body or step answers 422. Staff record payments and decide disputes in the admin.
"""

from typing import Any, ClassVar

from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.idempotency.api import idempotency_header, idempotent

from ..models import Dispute, DisputeEvidence, LedgerEntry, Order, Protection
from ..selectors.orders import order_get_for_user
from ..selectors.protection import ProtectionView, evidence_get_for_user, protection_view_for_order
from ..services.disputes import MAX_FILES, MAX_TEXT, dispute_answer, dispute_open, dispute_window_open
from ..services.protection import ProtectionStateConflict, protection_open
from ..services.transitions import order_confirm_delivery
from ..views.protection import evidence_response

IDEMPOTENCY_HEADER = idempotency_header(required=True)
ERRORS = {
    400: OpenApiResponse(description="Missing key or bad input."),
    403: OpenApiResponse(description="The step belongs to the other party."),
    404: OpenApiResponse(description="No such order among yours."),
    409: OpenApiResponse(description="The protection's or dispute's status does not allow this step now."),
    422: OpenApiResponse(description="The idempotency key was used for another request."),
}

# --- output ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ProtectionLedgerEntry")
class LedgerEntryOutputSerializer(serializers.ModelSerializer):
    movement = strict_fields.CharField(source="event.kind", help_text="paid, released, refunded or cancelled.")

    class Meta:
        model = LedgerEntry
        fields = ("created_at", "movement", "account", "debit", "credit", "currency")


@extend_schema_serializer(component_name="DisputeEvidence")
class EvidenceOutputSerializer(serializers.ModelSerializer):
    check = strict_fields.CharField(source="file_check", help_text="pending, clean or refused.")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DisputeEvidence
        fields = ("id", "party", "name", "size", "check", "download_url", "created_at")

    def get_download_url(self, evidence: DisputeEvidence) -> str | None:
        if not evidence.is_available():
            return None
        url = reverse("api:order-dispute-evidence", args=[self.context["number"], evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_serializer(component_name="Dispute")
class DisputeOutputSerializer(serializers.ModelSerializer):
    evidence = EvidenceOutputSerializer(many=True)

    class Meta:
        model = Dispute
        fields = (
            "id", "status", "reason", "description", "refund_requested", "answer", "answered_at", "decision",
            "refund_amount", "decision_reason", "decided_at", "created_at", "evidence",
        )  # fmt: skip


class BalancesOutputSerializer(serializers.Serializer):
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    held = serializers.DecimalField(max_digits=14, decimal_places=2)
    released = serializers.DecimalField(max_digits=14, decimal_places=2)
    refunded = serializers.DecimalField(max_digits=14, decimal_places=2)


@extend_schema_serializer(component_name="Protection")
class ProtectionOutputSerializer(serializers.Serializer):
    order = strict_fields.CharField(source="protection.order.number")
    status = serializers.ChoiceField(source="protection.status", choices=Protection.Status.choices)
    amount = serializers.DecimalField(source="protection.amount", max_digits=14, decimal_places=2)
    currency = strict_fields.CharField(source="protection.currency")
    release_due_at = serializers.DateTimeField(source="protection.release_due_at", allow_null=True)
    balances = BalancesOutputSerializer()
    ledger = LedgerEntryOutputSerializer(source="entries", many=True)
    disputes = DisputeOutputSerializer(many=True, help_text="Newest first.")
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: confirm_delivery, dispute_open, dispute_answer."
    )

    def get_actions(self, view: ProtectionView) -> list[str]:
        order, party = view.protection.order, self.context.get("party")
        actions = []
        dispute = view.current_dispute
        if party == "buyer" and view.protection.is_held and order.status == Order.Status.SHIPPED and dispute is None:
            actions.append("confirm_delivery")
        if party == "buyer" and dispute is None and dispute_window_open(view.protection, order):
            actions.append("dispute_open")
        if dispute is not None and party is not None and "answer" in dispute.allowed_actions(party):
            actions.append("dispute_answer")
        return actions


# --- input -------------------------------------------------------------------------------------


class EmptyInputSerializer(serializers.Serializer):
    pass


@extend_schema_serializer(component_name="DisputeOpenInput")
class DisputeOpenInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Dispute.Reason.choices)
    description = strict_fields.CharField(max_length=MAX_TEXT)
    refund_requested = strict_fields.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None,
        help_text="What you ask back; leave out for everything held.",
    )  # fmt: skip
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=MAX_FILES,
        help_text="Photos or PDFs (multipart); each is checked by its content before either side can download it.",
    )  # fmt: skip


@extend_schema_serializer(component_name="DisputeAnswerInput")
class DisputeAnswerInputSerializer(serializers.Serializer):
    answer = strict_fields.CharField(max_length=MAX_TEXT)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=MAX_FILES)


# --- views -------------------------------------------------------------------------------------


def _output(request: Request, number: str, status_code: int = status.HTTP_200_OK) -> Response:
    # The protection shows no lines, so their lots stay behind.
    order = order_get_for_user(number=number, user=request.user, lots=False)  # type: ignore[arg-type]
    view = protection_view_for_order(order=order)
    if view is None:
        raise Http404("This order is not protected")
    view.protection.order = order
    party = order.viewer_party  # type: ignore[attr-defined]
    serializer = ProtectionOutputSerializer(view, context={"request": request, "party": party, "number": order.number})
    return Response(serializer.data, status=status_code)


class ProtectionDetailApi(APIView):
    """The order's payment protection: status, balances, ledger lines, disputes, your next steps."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="orders_protection_retrieve", responses={200: ProtectionOutputSerializer, 404: ERRORS[404]}
    )
    def get(self, request: AuthenticatedRequest, number: str) -> Response:
        return _output(request, number)


def _own_order(view: APIView, request: AuthenticatedRequest, number: str, **kwargs: Any) -> None:
    """The order is one of yours (404 otherwise, before the Idempotency-Key is looked at)."""
    order_get_for_user(number=number, user=request.user, detail=False)


class _ProtectionStepApi(APIView):
    """One idempotent step (the key claimed by @idempotent): run the service, answer with the protection now."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)
    step: ClassVar[str]
    input_serializer: ClassVar[type[serializers.Serializer]] = EmptyInputSerializer
    success_status: ClassVar[int] = status.HTTP_200_OK

    def run(self, order: Order, data: dict[str, Any]) -> None:
        raise NotImplementedError

    @idempotent(required=True, guard=_own_order)
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        order = order_get_for_user(number=number, user=request.user, detail=False)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.run(order, dict(serializer.validated_data))
        return _output(request, number, self.success_status)


def _step_schema(operation_id: str, description: str, request: Any = EmptyInputSerializer, success: int = 200) -> Any:
    return extend_schema(
        operation_id=operation_id,
        description=description,
        parameters=[IDEMPOTENCY_HEADER],
        request=request,
        responses={success: ProtectionOutputSerializer, **ERRORS},
    )


class ProtectionOpenApi(_ProtectionStepApi):
    step = "protection_open"
    success_status = status.HTTP_201_CREATED

    def run(self, order: Order, data: dict[str, Any]) -> None:
        protection_open(order=order, actor=self.request.user)  # type: ignore[arg-type]

    @_step_schema(
        "orders_protection_open",
        "Buyer: pay a placed or confirmed order through payment protection (the platform records the payment).",
        success=201,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class ProtectionConfirmDeliveryApi(_ProtectionStepApi):
    step = "confirm_delivery"

    def run(self, order: Order, data: dict[str, Any]) -> None:
        if not Protection.objects.filter(order=order).exists():
            raise ProtectionStateConflict(_("This order is not paid through payment protection."))
        order_confirm_delivery(order=order, actor=self.request.user)  # type: ignore[arg-type]

    @_step_schema(
        "orders_protection_confirm_delivery",
        "Buyer: confirm the goods arrived (shipped → delivered); the held funds are released to the supplier.",
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class DisputeOpenApi(_ProtectionStepApi):
    step = "dispute_open"
    input_serializer = DisputeOpenInputSerializer
    success_status = status.HTTP_201_CREATED

    def run(self, order: Order, data: dict[str, Any]) -> None:
        files = data.pop("evidence")
        dispute_open(order=order, actor=self.request.user, files=files, **data)  # type: ignore[arg-type]

    @_step_schema(
        "orders_dispute_open",
        "Buyer: dispute the order while its funds are held (reason, description, evidence files).",
        DisputeOpenInputSerializer,
        201,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class DisputeAnswerApi(_ProtectionStepApi):
    step = "dispute_answer"
    input_serializer = DisputeAnswerInputSerializer

    def run(self, order: Order, data: dict[str, Any]) -> None:
        view = protection_view_for_order(order=order_get_for_user(number=order.number, user=self.request.user))  # type: ignore[arg-type]
        dispute = view.current_dispute if view else None
        if dispute is None:
            raise ProtectionStateConflict(_("There is no open dispute to answer."))
        files = data.pop("evidence")
        dispute_answer(dispute=dispute, actor=self.request.user, files=files, **data)  # type: ignore[arg-type]

    @_step_schema(
        "orders_dispute_answer",
        "Supplier: answer the open dispute (text and evidence files).",
        DisputeAnswerInputSerializer,
    )
    def post(self, request: AuthenticatedRequest, number: str) -> Response:
        return super().post(request, number)


class DisputeEvidenceApi(APIView):
    """A checked evidence file of the order's dispute, as a download (either side only)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="orders_dispute_evidence_retrieve",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS[404]},
    )
    def get(self, request: AuthenticatedRequest, number: str, pk: int) -> HttpResponseBase:
        return evidence_response(evidence_get_for_user(user=request.user, number=number, pk=pk))
