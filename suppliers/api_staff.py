"""Certification decisions over the API, for platform staff only, with the admin's services.

Staff with the admin's permission to change suppliers (`suppliers.change_supplier`, as the admin's
decision actions require) list the applications awaiting a decision and certify one at the
verified or certified-origin level, reject it with a reason, or send it back for more information.
Anyone else gets 403. Decisions that need a second person's sign-in (overriding a failed check) or
an audit report (the audited-factory level) are taken in the admin: here the service refuses them
with 400 and says why.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.pagination import CreatedCursorPagination

from .api_operator import ApplicationSerializer
from .levels import CertificationLevel
from .models import Supplier
from .selectors import application_list_awaiting_decision, supplier_get_for_staff
from .services import supplier_certify, supplier_reject, supplier_request_info

DECISION_PERMISSION = "suppliers.change_supplier"
# The levels decided over the API; audited factories are certified in the admin, with their report.
DECISION_LEVELS = [
    (CertificationLevel.VERIFIED, CertificationLevel.VERIFIED.label),
    (CertificationLevel.CERTIFIED_ORIGIN, CertificationLevel.CERTIFIED_ORIGIN.label),
]
NOT_STAFF = OpenApiResponse(description="Not platform staff with the permission to decide on suppliers.")
NO_SUCH = OpenApiResponse(description="No such supplier.")


class CanDecideOnSuppliers(BasePermission):
    """Staff with the permission the admin's decision actions require."""

    message = _("Only platform staff who may change suppliers decide on certifications.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and user.has_perm(DECISION_PERMISSION))


@extend_schema_serializer(component_name="StaffApplication")
class StaffApplicationSerializer(ApplicationSerializer):
    belt = strict_fields.CharField(source="belt.slug", allow_null=True)

    class Meta(ApplicationSerializer.Meta):
        fields = (*ApplicationSerializer.Meta.fields, "uscc", "belt", "certified_until")


class _StaffApi(APIView):
    permission_classes = (IsAuthenticated, CanDecideOnSuppliers)

    def supplier(self, pk: int) -> Supplier:
        return supplier_get_for_staff(pk=pk)

    def answer(self, pk: int) -> Response:
        return Response(StaffApplicationSerializer(supplier_get_for_staff(pk=pk)).data)


class StaffApplicationListApi(generics.GenericAPIView):
    """Applications awaiting a decision (under verification or sent back for information), newest first."""

    permission_classes = (IsAuthenticated, CanDecideOnSuppliers)
    pagination_class = CreatedCursorPagination
    serializer_class = StaffApplicationSerializer
    queryset = Supplier.objects.none()  # the schema reads the model here; rows come from the selector

    @extend_schema(
        operation_id="staff_applications_list",
        responses={200: StaffApplicationSerializer(many=True), 403: NOT_STAFF},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(application_list_awaiting_decision())
        return self.get_paginated_response(StaffApplicationSerializer(page, many=True).data)


@extend_schema_serializer(component_name="StaffCertifyInput")
class CertifyInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=DECISION_LEVELS,
        help_text="Audited factories are certified in the admin, with their audit report.",
    )
    valid_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="By default a year from today."
    )
    reason = strict_fields.CharField(max_length=2000, help_text="Why this level: kept on record with the decision.")
    manufacturing_scope = strict_fields.CharField(
        max_length=180,
        required=False,
        allow_blank=True,
        default="",
        help_text="For the origin level: the part of the licence's business scope that covers manufacturing.",
    )

    def validate_valid_until(self, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value <= timezone.localdate():
            raise serializers.ValidationError(_("The certification must run until a date after today."))
        return value


@extend_schema_serializer(component_name="StaffRejectInput")
class RejectInputSerializer(serializers.Serializer):
    reason = strict_fields.CharField(max_length=2000, help_text="The supplier reads this by email.")


@extend_schema_serializer(component_name="StaffRequestInfoInput")
class RequestInfoInputSerializer(serializers.Serializer):
    message = strict_fields.CharField(max_length=2000, help_text="What the supplier should add or fix.")


DECISION_ERRORS = {
    400: OpenApiResponse(description="Bad input, or a rule refuses the decision (the message says which)."),
    403: NOT_STAFF,
    404: NO_SUCH,
}


class StaffSupplierCertifyApi(_StaffApi):
    """Certify a submitted application (or renew or change a certification) at a level, until a date."""

    @extend_schema(
        operation_id="staff_suppliers_certify",
        request=CertifyInputSerializer,
        responses={200: StaffApplicationSerializer, **DECISION_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = self.supplier(pk)
        serializer = CertifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier_certify(supplier=supplier, actor=request.user, **serializer.validated_data)
        return self.answer(pk)


class StaffSupplierRejectApi(_StaffApi):
    """Reject an application, or withdraw a certification, with a reason the supplier reads."""

    @extend_schema(
        operation_id="staff_suppliers_reject",
        request=RejectInputSerializer,
        responses={200: StaffApplicationSerializer, **DECISION_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = self.supplier(pk)
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier_reject(supplier=supplier, actor=request.user, reason=serializer.validated_data["reason"])
        return self.answer(pk)


class StaffSupplierRequestInfoApi(_StaffApi):
    """Send an application under verification back to the supplier with what to add or fix."""

    @extend_schema(
        operation_id="staff_suppliers_request_info",
        request=RequestInfoInputSerializer,
        responses={200: StaffApplicationSerializer, **DECISION_ERRORS},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = self.supplier(pk)
        serializer = RequestInfoInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier_request_info(supplier=supplier, actor=request.user, message=serializer.validated_data["message"])
        return self.answer(pk)
