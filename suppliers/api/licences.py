"""Regional-brand licences over the API: the public check of a licence number, and a belt operator's
licences (list, grant with an `Idempotency-Key`, renew, revoke) calling the same services as the
operator's pages; the grant takes the kernel's `Idempotency-Key` (marketplace.idempotency,
required here). An operator reaches only the belts it operates: any other belt or licence answers
404, exactly like one that does not exist.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Category
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.idempotency.api import idempotent

from ..brand import licence_mark_shown
from ..models import BrandLicence, BrandLicenceEvent, Supplier
from ..selectors import (
    belt_get_for_operator,
    brand_licence_get_by_number,
    brand_licence_get_for_operator,
    brand_licence_list_for_operator,
)
from ..services import brand_licence_grant, brand_licence_renew, brand_licence_revoke

ERRORS = {
    400: OpenApiResponse(description="Missing key or bad input."),
    403: OpenApiResponse(description="Not signed in, or not an operator of the licence's belt."),
    404: OpenApiResponse(description="No such belt or licence among those you operate."),
    409: OpenApiResponse(description="The member is not certified, already holds such a licence, or the licence "
                         "is revoked."),
    422: OpenApiResponse(description="A rule refused the change (period, scope, reason), or the idempotency key "
                         "was used for another request."),
}  # fmt: skip


@extend_schema_serializer(component_name="BrandLicenceCategory")
class CategorySerializer(serializers.Serializer):
    slug = strict_fields.CharField()
    name_en = strict_fields.CharField()
    name_zh = strict_fields.CharField()


@extend_schema_serializer(component_name="BrandLicenceHolder")
class HolderSerializer(serializers.Serializer):
    id = strict_fields.IntegerField()
    slug = strict_fields.CharField()
    name_en = strict_fields.CharField()
    name_zh = strict_fields.CharField()


class _LicenceFields(serializers.Serializer):
    number = strict_fields.CharField()
    kind = serializers.ChoiceField(choices=BrandLicence.Kind.choices)
    mark_en = strict_fields.CharField()
    mark_zh = strict_fields.CharField()
    belt = strict_fields.CharField(source="belt.slug")
    holder = HolderSerializer(source="supplier")
    scope = CategorySerializer(source="categories.all", many=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.SerializerMethodField(help_text="valid, not_yet_valid, expired or revoked, today.")
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, licence: BrandLicence) -> str:
        return licence.standing()


@extend_schema_serializer(component_name="BrandLicenceCheck")
class LicenceCheckSerializer(_LicenceFields):
    mark_shown = serializers.SerializerMethodField(
        help_text="Whether the holder's listings in scope carry the mark today: the licence is valid and the holder "
        "certified."
    )

    def get_mark_shown(self, licence: BrandLicence) -> bool:
        return licence_mark_shown(licence)


@extend_schema_serializer(component_name="BrandLicenceEvent")
class EventSerializer(serializers.ModelSerializer):
    actor = strict_fields.CharField(source="actor.email")

    class Meta:
        model = BrandLicenceEvent
        fields = ("kind", "actor", "reason", "data", "created_at")


@extend_schema_serializer(component_name="BrandLicence")
class LicenceSerializer(_LicenceFields):
    id = strict_fields.IntegerField()
    revoke_reason = strict_fields.CharField()
    document_check = strict_fields.CharField(source="file_check", help_text="pending, clean or refused.")
    events = EventSerializer(many=True, source="events.all", required=False)


class LicenceVerifyApi(APIView):
    """GET /api/v1/verify/licences/<number>/: a regional-brand licence's holder, mark, scope, validity and
    status; 404 for a number no belt issued."""

    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="brand_licence_verify",
        responses={200: LicenceCheckSerializer, 404: OpenApiResponse(description="No licence has this number.")},
    )
    def get(self, request: Request, number: str) -> Response:
        licence = brand_licence_get_by_number(number=number)
        if licence is None:
            return Response({"detail": _("No such licence.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(LicenceCheckSerializer(licence).data)


def _scope(slugs: list[str]) -> list[Category]:
    found = list(Category.objects.filter(slug__in=slugs))
    if len(found) != len(set(slugs)):
        raise ValidationError({"categories": [_("Name categories by their slugs.")]})
    return found


@extend_schema_serializer(component_name="BrandLicenceGrantInput")
class GrantInputSerializer(serializers.Serializer):
    supplier = strict_fields.IntegerField(min_value=1, max_value=ID_MAX, help_text="The member's id.")
    kind = serializers.ChoiceField(choices=BrandLicence.Kind.choices, default=BrandLicence.Kind.REGIONAL_BRAND)
    mark_en = strict_fields.CharField(max_length=120, required=False, default="", allow_blank=True)
    mark_zh = strict_fields.CharField(max_length=120, required=False, default="", allow_blank=True)
    categories = serializers.ListField(
        child=strict_fields.CharField(max_length=80), min_length=1, max_length=100, help_text="Category slugs."
    )
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField()
    document = serializers.FileField(help_text="The signed licence: PDF, JPEG or PNG (multipart).")


@extend_schema_serializer(component_name="BrandLicenceRenewInput")
class RenewInputSerializer(serializers.Serializer):
    valid_until = serializers.DateField()
    categories = serializers.ListField(
        child=strict_fields.CharField(max_length=80), min_length=1, max_length=100, required=False,
        help_text="A new scope (category slugs); left out, the scope stays.",
    )  # fmt: skip
    document = serializers.FileField(required=False, help_text="A renewed licence document (multipart).")


@extend_schema_serializer(component_name="BrandLicenceRevokeInput")
class RevokeInputSerializer(serializers.Serializer):
    reason = strict_fields.CharField(max_length=2000)


def _licence_out(licence: BrandLicence, *, user: Any, code: int = status.HTTP_200_OK) -> Response:
    fresh = brand_licence_get_for_operator(user=user, pk=licence.pk)
    return Response(LicenceSerializer(fresh).data, status=code)


def _refused_upload(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"document": list(exc.messages)})


def _operated_belt(view: APIView, request: AuthenticatedRequest, slug: str) -> None:
    """The belt is one you operate (404 otherwise, before the Idempotency-Key is looked at)."""
    belt_get_for_operator(user=request.user, slug=slug)


class OperatorLicenceListApi(APIView):
    """GET: the licences of a belt you operate; POST: grant one (multipart, `Idempotency-Key`)."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    @extend_schema(
        operation_id="operator_brand_licences_list",
        responses={200: LicenceSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        licences = brand_licence_list_for_operator(belt=belt).prefetch_related("events__actor").select_related("belt")
        return Response(LicenceSerializer(licences, many=True).data)

    @extend_schema(
        operation_id="operator_brand_licences_grant",
        request={"multipart/form-data": GrantInputSerializer},
        responses={201: LicenceSerializer, **ERRORS},
    )
    @idempotent(required=True, guard=_operated_belt)
    def post(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        serializer = GrantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        supplier = Supplier.objects.filter(pk=data["supplier"], belt=belt).first()
        if supplier is None:
            raise ValidationError({"supplier": [_("No member of this belt has this id.")]})
        try:
            licence = brand_licence_grant(
                supplier=supplier,
                actor=request.user,
                kind=data["kind"],
                mark_en=data["mark_en"],
                mark_zh=data["mark_zh"],
                categories=_scope(data["categories"]),
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                document=data["document"],
            )
        except DjangoValidationError as exc:
            raise _refused_upload(exc) from exc
        return _licence_out(licence, user=request.user, code=status.HTTP_201_CREATED)


class OperatorLicenceDetailApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_brand_licences_retrieve",
        responses={200: LicenceSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(LicenceSerializer(brand_licence_get_for_operator(user=request.user, pk=pk)).data)


class OperatorLicenceRenewApi(APIView):
    permission_classes = (IsAuthenticated,)
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    @extend_schema(
        operation_id="operator_brand_licences_renew",
        request={"multipart/form-data": RenewInputSerializer, "application/json": RenewInputSerializer},
        responses={200: LicenceSerializer, **{k: v for k, v in ERRORS.items() if k != 422},
                   422: OpenApiResponse(description="A rule refused the renewal (period, scope).")},
    )  # fmt: skip
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        licence = brand_licence_get_for_operator(user=request.user, pk=pk)
        serializer = RenewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            brand_licence_renew(
                licence=licence,
                actor=request.user,
                valid_until=data["valid_until"],
                categories=_scope(data["categories"]) if "categories" in data else None,
                document=data.get("document"),
            )
        except DjangoValidationError as exc:
            raise _refused_upload(exc) from exc
        return _licence_out(licence, user=request.user)


class OperatorLicenceRevokeApi(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_brand_licences_revoke",
        request=RevokeInputSerializer,
        responses={200: LicenceSerializer, **{k: v for k, v in ERRORS.items() if k != 409}},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        licence = brand_licence_get_for_operator(user=request.user, pk=pk)
        serializer = RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brand_licence_revoke(licence=licence, actor=request.user, reason=serializer.validated_data["reason"])
        return _licence_out(licence, user=request.user)
