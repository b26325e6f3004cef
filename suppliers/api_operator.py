"""A belt operator's work over the API, with the operator pages' services: the belts it operates
and their onboarding funnel, the pending invitations, bulk invitations from a CSV file (imported in
the background, with a row report), the belt's applications and the operator's recommendation.

An operator sees only the belts it operates: another belt, its invitations, imports and applications
answer 404, exactly like ones that do not exist; so does everything here to anyone who operates no
belt (as on the operator pages).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Belt
from marketplace import strict_fields
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination

from .levels import PUBLIC_LEVEL_CHOICES
from .models import Invitation, InvitationImport, Supplier, SupplierEvent
from .selectors import (
    OnboardingStage,
    application_get_for_operator,
    application_list_for_operator,
    belt_funnel_list_for_operator,
    belt_get_for_operator,
    invitation_import_get_for_operator,
    invitation_import_list_for_operator,
    invitation_list_pending,
)
from .services import (
    invitation_import_create,
    invitation_import_failure_message,
    invitation_import_problem_rows,
    supplier_recommend,
)

NOT_YOURS = OpenApiResponse(description="No such belt, import or application among the belts you operate.")

# --- belts and their funnel --------------------------------------------------------------------


@extend_schema_serializer(component_name="OperatorBelt")
class BeltFunnelSerializer(serializers.Serializer):
    slug = strict_fields.CharField()
    name_en = strict_fields.CharField()
    name_zh = strict_fields.CharField()
    funnel = serializers.SerializerMethodField(help_text="How many companies stand at each stage, in funnel order.")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_funnel(self, belt: Belt) -> dict[str, int]:
        return {stage.value: getattr(belt, f"n_{stage.value}") for stage in OnboardingStage}


class OperatorBeltListApi(APIView):
    """The belts you operate, each with its onboarding funnel."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_belts_list",
        responses={200: BeltFunnelSerializer(many=True), 404: OpenApiResponse(description="You operate no belt.")},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        belts = list(belt_funnel_list_for_operator(user=request.user))
        if not belts:
            raise Http404("You do not operate a belt")  # as the operator dashboard answers
        return Response(BeltFunnelSerializer(belts, many=True).data)


# --- invitations -------------------------------------------------------------------------------


@extend_schema_serializer(component_name="OperatorInvitation")
class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ("id", "company_name", "contact_name", "email", "invited_by", "created_at")

    def get_invited_by(self, invitation: Invitation) -> str:
        return invitation.invited_by.email


class OperatorInvitationListApi(generics.GenericAPIView):
    """The belt's invitations not yet turned into an application, newest first (cursor pages)."""

    permission_classes = (IsAuthenticated,)
    pagination_class = CreatedCursorPagination
    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()  # the schema reads the model here; rows come from the selector

    @extend_schema(operation_id="operator_invitations_list", responses={200: InvitationSerializer(many=True)})
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        page = self.paginate_queryset(invitation_list_pending(belt=belt))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)


@extend_schema_serializer(component_name="InvitationImportRow")
class ProblemRowSerializer(serializers.Serializer):
    line = strict_fields.IntegerField(help_text="The row's number in the file (the header is row 1).")
    company = strict_fields.CharField()
    email = strict_fields.CharField()
    reason = strict_fields.CharField(help_text="Why the row invited no one, in the language of the request.")


@extend_schema_serializer(component_name="InvitationImport")
class InvitationImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvitationImport
        fields: tuple[str, ...] = (
            "id", "original_name", "status", "row_count", "created_count", "problem_count", "created_at",
            "started_at", "finished_at",
        )  # fmt: skip


@extend_schema_serializer(component_name="InvitationImportDetail")
class InvitationImportDetailSerializer(InvitationImportSerializer):
    failure = serializers.SerializerMethodField(help_text="Why the whole file was refused (empty unless failed).")
    problems = serializers.SerializerMethodField()

    class Meta(InvitationImportSerializer.Meta):
        fields = (*InvitationImportSerializer.Meta.fields, "failure", "problems")

    def get_failure(self, job: InvitationImport) -> str:
        return invitation_import_failure_message(job)

    @extend_schema_field(ProblemRowSerializer(many=True))
    def get_problems(self, job: InvitationImport) -> Any:
        return ProblemRowSerializer(invitation_import_problem_rows(job), many=True).data


@extend_schema_serializer(component_name="InvitationImportInput")
class InvitationImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV with the columns company, contact, email; UTF-8 or GBK; at most 1 MB and 5,000 rows."
    )


class OperatorInvitationImportListApi(APIView):
    """Your latest invitation imports of the belt; upload a CSV of companies to invite."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)  # JSON too: its refusal is a 400, not a 415

    @extend_schema(
        operation_id="operator_invitation_imports_list",
        responses={200: InvitationImportSerializer(many=True), 404: NOT_YOURS},
    )
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        jobs = invitation_import_list_for_operator(belt=belt, user=request.user)
        return Response(InvitationImportSerializer(jobs, many=True).data)

    @extend_schema(
        operation_id="operator_invitation_imports_create",
        description="The file is stored and its rows imported in the background: each new address is invited "
        "by email; a row already invited or already a supplier is reported, not doubled. GET the import for "
        "its report. A file too large or not text is refused at once with 400.",
        request=InvitationImportInputSerializer,
        responses={201: InvitationImportDetailSerializer, 404: NOT_YOURS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        serializer = InvitationImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = invitation_import_create(
            belt=belt, actor=request.user, file=upload, original_name=getattr(upload, "name", "") or ""
        )
        job.refresh_from_db()
        return Response(InvitationImportDetailSerializer(job).data, status=status.HTTP_201_CREATED)


class OperatorInvitationImportDetailApi(APIView):
    """One invitation import of the belt: its status, and its report once it is done."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_invitation_imports_retrieve",
        responses={200: InvitationImportDetailSerializer, 404: NOT_YOURS},
    )
    def get(self, request: AuthenticatedRequest, slug: str, pk: int) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        job = invitation_import_get_for_operator(belt=belt, pk=pk)
        return Response(InvitationImportDetailSerializer(job).data)


# --- applications and recommendations ----------------------------------------------------------


@extend_schema_serializer(component_name="OperatorApplication")
class ApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields: tuple[str, ...] = (
            "id", "slug", "name_en", "name_zh", "status", "certification_level", "province", "city_en",
            "submitted_at", "decided_at", "created_at",
        )  # fmt: skip


@extend_schema_serializer(component_name="OperatorApplicationEvent")
class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    recommends = serializers.SerializerMethodField(help_text="certify or reject, on a recommendation; else empty.")

    class Meta:
        model = SupplierEvent
        fields = ("kind", "created_at", "actor", "from_level", "to_level", "reason", "recommends")

    def get_actor(self, event: SupplierEvent) -> str:
        return event.actor.email if event.actor else ""

    def get_recommends(self, event: SupplierEvent) -> str:
        return str(event.data.get("decision", "")) if event.kind == SupplierEvent.Kind.RECOMMENDED else ""


@extend_schema_serializer(component_name="OperatorApplicationDetail")
class ApplicationDetailSerializer(ApplicationSerializer):
    belt = strict_fields.CharField(source="belt.slug")
    trail = EventSerializer(source="events", many=True, help_text="The application's audit trail, newest first.")

    class Meta(ApplicationSerializer.Meta):
        fields = (*ApplicationSerializer.Meta.fields, "belt", "trail")


STAGE = OpenApiParameter(
    name="stage",
    type=OpenApiTypes.STR,
    enum=[s.value for s in OnboardingStage if s != OnboardingStage.INVITED],
    required=False,
    description="Only the companies at this stage of the funnel (invited ones are under invitations/).",
)


class _StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[s.value for s in OnboardingStage if s != OnboardingStage.INVITED], required=False
    )


class OperatorApplicationListApi(generics.GenericAPIView):
    """The companies that applied to join the belt, newest first (cursor pages)."""

    permission_classes = (IsAuthenticated,)
    pagination_class = CreatedCursorPagination
    serializer_class = ApplicationSerializer
    queryset = Supplier.objects.none()  # the schema reads the model here; rows come from the selector

    @extend_schema(
        operation_id="operator_applications_list", parameters=[STAGE], responses={200: ApplicationSerializer(many=True)}
    )
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        belt = belt_get_for_operator(user=request.user, slug=slug)
        query = _StageSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        applications: QuerySet[Supplier] = application_list_for_operator(
            belt=belt, stage=query.validated_data.get("stage", "")
        )
        page = self.paginate_queryset(applications)
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)


class OperatorApplicationDetailApi(APIView):
    """One application of a belt you operate, with its audit trail."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_applications_retrieve", responses={200: ApplicationDetailSerializer, 404: NOT_YOURS}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(ApplicationDetailSerializer(application_get_for_operator(user=request.user, pk=pk)).data)


@extend_schema_serializer(component_name="RecommendationInput")
class RecommendationInputSerializer(serializers.Serializer):
    recommends = serializers.ChoiceField(choices=[("certify", "certify"), ("reject", "reject")])
    level = serializers.ChoiceField(
        choices=PUBLIC_LEVEL_CHOICES,
        required=False,
        help_text="The level you recommend: required when you recommend certifying.",
    )
    reason = strict_fields.CharField(max_length=2000, help_text="What you know of the company: staff read it.")


class OperatorApplicationRecommendApi(APIView):
    """Recommend certifying a submitted application at a level, or rejecting it; the platform's
    certification staff decide."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="operator_applications_recommend",
        request=RecommendationInputSerializer,
        responses={
            201: EventSerializer,
            400: OpenApiResponse(description="Bad input, no level to certify at, or the application is not submitted."),
            404: NOT_YOURS,
        },
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = application_get_for_operator(user=request.user, pk=pk)
        serializer = RecommendationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = supplier_recommend(
            supplier=supplier,
            actor=request.user,
            decision=data["recommends"],
            level=data.get("level", "") if data["recommends"] == "certify" else "",
            reason=data["reason"],
        )
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
