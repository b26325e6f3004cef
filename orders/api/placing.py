"""Placing orders over the API: POST /api/v1/orders/ (buyers) and the list of one's orders (GET).

POST needs an `Idempotency-Key` header: a retry with the same key and body answers 200 with the
purchase made the first time; the same key with another body answers 422. Prices are never read
from the request (the serializer has no price field); orders.services.placing computes them.
The terms sent apply to every order; `suppliers` gives one supplier's orders their own terms.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from buyers.selectors.inquiries import buyer_company_for_user
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination

from ..models import (
    DEPOSIT_PERCENT_MAX,
    DEPOSIT_PERCENT_MIN,
    Incoterm,
    Order,
    OrderKind,
    OrderLine,
    PaymentTerms,
    Purchase,
)
from ..selectors.cart import order_list_for_user, purchase_get_for_user
from ..services.placing import SUPPLIER_TERM_FIELDS, LineRequest, purchase_place


class OrderLineOutputSerializer(serializers.ModelSerializer):
    listing = strict_fields.IntegerField(source="listing_id", allow_null=True)
    variant = strict_fields.IntegerField(source="variant_id", allow_null=True)

    class Meta:
        model = OrderLine
        fields: tuple[str, ...] = (
            "listing", "variant", "title", "variant_label", "sku", "unit", "quantity", "unit_price", "line_total",
            "from_stock",
        )  # fmt: skip


class OrderSupplierSerializer(serializers.Serializer):
    id = strict_fields.IntegerField(help_text="The id a placing request's `suppliers` names it by.")
    slug = strict_fields.CharField()
    name = strict_fields.CharField()


class OrderSummarySerializer(serializers.ModelSerializer):
    supplier = serializers.SerializerMethodField()
    buyer = strict_fields.CharField(source="buyer.name")

    class Meta:
        model = Order
        fields: tuple[str, ...] = (
            "number", "kind", "status", "supplier", "buyer", "currency", "subtotal", "sample_credit", "total",
            "incoterm", "incoterm_place", "payment_terms", "deposit_percent", "ship_to_country", "lead_time_days",
            "created_at",
        )  # fmt: skip

    @extend_schema_field(OrderSupplierSerializer)
    def get_supplier(self, order: Order) -> dict[str, Any]:
        return {"id": order.supplier_id, "slug": order.supplier.slug, "name": order.supplier.name}


class OrderWithLinesSerializer(OrderSummarySerializer):
    lines = OrderLineOutputSerializer(many=True)

    class Meta(OrderSummarySerializer.Meta):
        fields = (*OrderSummarySerializer.Meta.fields, "lines")


class PurchaseOutputSerializer(serializers.ModelSerializer):
    orders = OrderWithLinesSerializer(many=True)

    class Meta:
        model = Purchase
        fields = ("id", "source", "created_at", "orders")


class SupplierTermsSerializer(serializers.Serializer):
    """One supplier's terms in a placing request: what it leaves out stays as the request's."""

    supplier = strict_fields.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="Id of a supplier whose listings are in `lines`."
    )
    incoterm = serializers.ChoiceField(choices=Incoterm.choices, required=False)
    incoterm_place = strict_fields.CharField(max_length=120, required=False, allow_blank=True)
    note = strict_fields.CharField(max_length=2000, required=False, allow_blank=True, help_text="To this supplier.")
    payment_terms = serializers.ChoiceField(choices=PaymentTerms.choices, required=False)
    deposit_percent = strict_fields.IntegerField(
        min_value=DEPOSIT_PERCENT_MIN, max_value=DEPOSIT_PERCENT_MAX, required=False, allow_null=True
    )


def _supplier_errors(exc: ValidationError, suppliers: list[dict[str, Any]]) -> Exception:
    """The service's "<field>-<supplier id>" errors in the request's shape: under `suppliers`, keyed
    by the index of that supplier's entry, as DRF reports the errors of a nested list's items."""
    if not hasattr(exc, "error_dict"):
        return exc
    index = {str(entry["supplier"]): str(n) for n, entry in enumerate(suppliers)}
    nested: dict[str, dict[str, list[str]]] = {}
    errors: dict[str, Any] = {}
    for key, messages in exc.message_dict.items():
        field, _dash, supplier = key.rpartition("-")
        if field in SUPPLIER_TERM_FIELDS and supplier in index:
            nested.setdefault(index[supplier], {})[field] = messages
        else:
            errors[key] = messages
    if nested:
        errors["suppliers"] = dict(sorted(nested.items(), key=lambda item: int(item[0])))
    return serializers.ValidationError(errors)


def buyers_only(view: APIView, request: AuthenticatedRequest, **kwargs: Any) -> None:
    """Only buyers place orders (403 for anyone else, before the Idempotency-Key is looked at)."""
    if buyer_company_for_user(user=request.user) is None:
        raise PermissionDenied(_("Only buyers can place orders."))


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
        payment_terms = serializers.ChoiceField(
            choices=PaymentTerms.choices,
            default=PaymentTerms.PREPAID,
            help_text="When you pay. net30 and net60 (pay 30 or 60 days after shipping) are open to companies "
            "the platform approved for credit; others are refused with 400.",
        )
        deposit_percent = strict_fields.IntegerField(
            min_value=DEPOSIT_PERCENT_MIN,
            max_value=DEPOSIT_PERCENT_MAX,
            required=False,
            allow_null=True,
            default=None,
            help_text="The deposit paid on confirmation, in percent of the total (20, 30 and 50 are usual): "
            "required with `deposit` terms, ignored otherwise.",
        )
        billing_address = strict_fields.CharField(
            max_length=1000,
            required=False,
            allow_blank=True,
            default="",
            help_text="The address printed as “bill to” on the purchase orders.",
        )
        suppliers = SupplierTermsSerializer(  # type: ignore[call-arg]
            many=True,
            required=False,
            max_length=200,
            help_text="Terms of one supplier's orders, replacing the ones above for that supplier (what an "
            "entry leaves out stays as above). Name each supplier once, by the id of a supplier whose "
            "listings are in `lines`.",
        )

        def validate_suppliers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
            ids = [entry["supplier"] for entry in value]
            if len(ids) != len(set(ids)):
                raise serializers.ValidationError(_("Name each supplier once."))
            return value

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
        request=InputSerializer,
        responses={
            201: PurchaseOutputSerializer,
            200: OpenApiResponse(PurchaseOutputSerializer, description="The same key and body again."),
            400: OpenApiResponse(
                description="Missing key, bad input, a broken quantity rule, net terms for a company not "
                "approved for credit, or terms for a supplier with nothing in `lines` (`suppliers`). A "
                "supplier's refused terms are under `suppliers`, keyed by that entry's index: "
                '`{"suppliers": {"1": {"payment_terms": ["…"]}}}`.'
            ),
            403: OpenApiResponse(description="Only buyers place orders."),
            409: OpenApiResponse(description="Not enough spot stock."),
            422: OpenApiResponse(description="The key was used for a different body."),
        },
    )
    @idempotent(required=True, replay_status=status.HTTP_200_OK, guard=buyers_only)
    def post(self, request: AuthenticatedRequest) -> Response:
        buyer = buyer_company_for_user(user=request.user)
        assert buyer is not None  # buyers_only
        # The purchase keeps the key too (the web checkout's own guard), under the claim made above.
        key = request.headers["Idempotency-Key"].strip()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        suppliers = data.get("suppliers", [])
        try:
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
                payment_terms=data["payment_terms"],
                deposit_percent=data["deposit_percent"],
                billing_address=data["billing_address"],
                supplier_terms={
                    entry["supplier"]: {name: value for name, value in entry.items() if name != "supplier"}
                    for entry in suppliers
                },
                idempotency_key=key,
                source=Purchase.Source.API,
                language=get_language() or "en",
            )
        except ValidationError as exc:
            raise _supplier_errors(exc, suppliers) from None
        purchase = purchase_get_for_user(user=request.user, pk=purchase.pk)
        return Response(
            PurchaseOutputSerializer(purchase).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
