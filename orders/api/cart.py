"""The cart and its checkout over the API (buyers only), calling the cart page's services.

GET /api/v1/cart/ shows the cart as checkout would place it: grouped by supplier, kind and
currency, each listing judged by its rules and priced live. POST /api/v1/cart/items/ puts a
listing's quantities in (replacing what the cart held of those variants, as the listing page's
grid does); PATCH or DELETE /api/v1/cart/lines/<id>/ changes or removes a line; POST
/api/v1/cart/checkout/ (Idempotency-Key header required) places the whole cart with the terms of
`POST /api/v1/orders/` and empties it. Another person's cart line answers 404; anyone who does not
buy for a company, 403.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from buyers.models import BuyerCompany
from buyers.selectors.inquiries import buyer_company_for_user
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.idempotency.api import idempotent

from ..models import OrderKind
from ..selectors.cart import (
    CartGroup,
    cart_for_user,
    cart_line_get_for_user,
    listing_get_for_cart,
    purchase_get_for_user,
)
from ..services.cart import cart_add, cart_line_remove, cart_line_update
from ..services.placing import cart_checkout
from .placing import OrderListCreateApi, OrderSupplierSerializer, PurchaseOutputSerializer, _supplier_errors

# --- output ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="CartLine")
class CartLineOutputSerializer(serializers.Serializer):
    id = strict_fields.IntegerField(help_text="The line's id for PATCH and DELETE /api/v1/cart/lines/<id>/.")
    variant = strict_fields.IntegerField(source="variant_id", allow_null=True)
    variant_label = serializers.SerializerMethodField()
    quantity = strict_fields.IntegerField()
    from_stock = serializers.BooleanField()

    def get_variant_label(self, line: Any) -> str:
        return str(line.variant) if line.variant_id else ""


@extend_schema_serializer(component_name="CartItem")
class CartItemOutputSerializer(serializers.Serializer):
    listing = strict_fields.IntegerField(source="listing.pk")
    title = strict_fields.CharField(source="listing.title")
    unit = strict_fields.CharField(source="listing.unit")
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    quantity = strict_fields.IntegerField(help_text="All its lines together, as the order would count them.")
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="The tier's (or the sample) price, now."
    )
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    problems = serializers.ListField(
        source="errors",
        child=strict_fields.CharField(),
        help_text="Why this cannot be ordered as it stands (broken rules, no longer on sale, stock); empty if it can.",
    )
    lines = CartLineOutputSerializer(many=True)


@extend_schema_serializer(component_name="CartGroup")
class CartGroupOutputSerializer(serializers.Serializer):
    supplier = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    currency = strict_fields.CharField()
    ok = serializers.BooleanField(help_text="Every item can be ordered as it stands.")
    subtotal = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    items = CartItemOutputSerializer(many=True)

    @extend_schema_field(OrderSupplierSerializer)
    def get_supplier(self, group: CartGroup) -> dict[str, Any]:
        return {"id": group.supplier.pk, "slug": group.supplier.slug, "name": group.supplier.name}


@extend_schema_serializer(component_name="Cart")
class CartOutputSerializer(serializers.Serializer):
    groups = CartGroupOutputSerializer(
        many=True, help_text="One per order checkout would place (supplier, kind, currency)."
    )
    can_checkout = serializers.BooleanField(help_text="The cart is not empty and every item can be ordered.")


def _cart(groups: list[CartGroup]) -> dict[str, Any]:
    return {"groups": groups, "can_checkout": bool(groups) and all(g.ok for g in groups)}


def _buyer(request: AuthenticatedRequest) -> BuyerCompany:
    company = buyer_company_for_user(user=request.user)
    if company is None:
        raise PermissionDenied(_("Only buyers can order."))
    return company


def _buyers_only(view: APIView, request: AuthenticatedRequest, **kwargs: Any) -> None:
    _buyer(request)


def _cart_response(request: AuthenticatedRequest, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(CartOutputSerializer(_cart(cart_for_user(user=request.user))).data, status=status_code)


ERRORS = {
    403: OpenApiResponse(description="Only buyers have a cart."),
}

# --- views -------------------------------------------------------------------------------------


class CartApi(APIView):
    """Your cart, grouped as checkout would place it, judged by each listing's rules and priced live."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="cart_retrieve", responses={200: CartOutputSerializer, **ERRORS})
    def get(self, request: AuthenticatedRequest) -> Response:
        _buyer(request)
        return _cart_response(request)


class CartItemAddApi(APIView):
    """Put a listing's quantities in the cart (the listing page's grid)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="CartAddInput")
    class InputSerializer(serializers.Serializer):
        class QuantitySerializer(serializers.Serializer):
            variant = strict_fields.IntegerField(
                min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None,
                help_text="One of the listing's variants; leave out for a listing without variants.",
            )  # fmt: skip
            quantity = strict_fields.IntegerField(min_value=0, max_value=1_000_000_000, help_text="0 takes it out.")
            from_stock = serializers.BooleanField(required=False, default=False, help_text="Take it from spot stock.")

        listing = strict_fields.IntegerField(min_value=1, max_value=ID_MAX)
        kind = serializers.ChoiceField(choices=OrderKind.choices, default=OrderKind.BULK)
        quantities = QuantitySerializer(many=True, allow_empty=False, max_length=200)  # type: ignore[call-arg]

        def validate_quantities(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
            variants = [entry["variant"] for entry in value]
            if len(variants) != len(set(variants)):
                raise serializers.ValidationError(_("Name each variant once."))
            return value

    @extend_schema(
        operation_id="cart_items_create",
        description="A quantity replaces what the cart held of that variant (adding again never adds up; 0 takes "
        "it out); variants not named keep theirs. The listing's lines as they would then stand must pass its "
        "rules, else nothing changes (400 with `errors` and `nearest`, the nearest orders the rules accept). A "
        "sample puts one unit of the first variant named.",
        request=InputSerializer,
        responses={
            200: CartOutputSerializer,
            404: OpenApiResponse(description="No such listing on sale."),
            **ERRORS,
        },
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        _buyer(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        listing = listing_get_for_cart(pk=data["listing"])
        if listing is None:
            raise Http404("No such listing on sale")
        cart_add(
            user=request.user,
            listing=listing,
            quantities={entry["variant"]: entry["quantity"] for entry in data["quantities"]},
            kind=data["kind"],
            from_stock={entry["variant"] for entry in data["quantities"] if entry["from_stock"]},
        )
        return _cart_response(request)


class CartLineApi(APIView):
    """Change one line of your cart's quantity, or remove it."""

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="CartLineUpdateInput")
    class InputSerializer(serializers.Serializer):
        quantity = strict_fields.IntegerField(min_value=0, max_value=1_000_000_000, help_text="0 removes the line.")

    @extend_schema(
        operation_id="cart_lines_partial_update",
        description="The listing, with the new quantity, is judged by its rules: refused (400 with `errors` and "
        "`nearest`) when this line breaks a rule itself or some quantity of it would mend the order.",
        request=InputSerializer,
        responses={200: CartOutputSerializer, 404: OpenApiResponse(description="No such line in your cart."), **ERRORS},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        _buyer(request)
        line = cart_line_get_for_user(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cart_line_update(line=line, quantity=serializer.validated_data["quantity"])
        return _cart_response(request)

    @extend_schema(
        operation_id="cart_lines_destroy",
        responses={200: CartOutputSerializer, 404: OpenApiResponse(description="No such line in your cart."), **ERRORS},
    )
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        _buyer(request)
        cart_line_remove(line=cart_line_get_for_user(user=request.user, pk=pk))
        return _cart_response(request)


@extend_schema_serializer(component_name="CheckoutInput")
class CheckoutInputSerializer(OrderListCreateApi.InputSerializer):
    """The terms of `POST /api/v1/orders/`; the lines are the cart's."""

    kind = None  # type: ignore[assignment]  # DRF drops a parent's field set to None
    lines = None  # type: ignore[assignment]


class CartCheckoutApi(APIView):
    """Place everything in your cart, one order per supplier, kind and currency, and empty it."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="cart_checkout",
        request=CheckoutInputSerializer,
        responses={
            201: PurchaseOutputSerializer,
            200: OpenApiResponse(PurchaseOutputSerializer, description="The same key and body again."),
            400: OpenApiResponse(
                description="Missing key, bad input, an empty cart, a cart item that cannot be ordered as it "
                "stands, or refused terms (a supplier's under `suppliers`, keyed by its entry's index)."
            ),
            409: OpenApiResponse(description="Not enough spot stock."),
            422: OpenApiResponse(description="The key was used for a different body."),
            **ERRORS,
        },
    )
    @idempotent(required=True, replay_status=status.HTTP_200_OK, guard=_buyers_only)
    def post(self, request: AuthenticatedRequest) -> Response:
        buyer = _buyer(request)
        serializer = CheckoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        suppliers = data.get("suppliers", [])
        try:
            purchase, created = cart_checkout(
                buyer=buyer,
                actor=request.user,
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
                idempotency_key=request.headers["Idempotency-Key"].strip(),
                language=get_language() or "en",
            )
        except ValidationError as exc:
            raise _supplier_errors(exc, suppliers) from None
        purchase = purchase_get_for_user(user=request.user, pk=purchase.pk)
        return Response(
            PurchaseOutputSerializer(purchase).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
