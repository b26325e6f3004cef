"""Supplier API: public profile and certification, certificate check, and a member's own application.
The supplier search runs the catalog's text search, so it lives in `catalog.api.suppliers`.

Public endpoints open themselves with AllowAny one by one; documents are never part of any answer.
The application endpoint finds its object through `request.user` only, so no id in the URL can
reach another supplier's application.
"""

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Belt
from marketplace import strict_fields
from marketplace.pagecache.api import CachedForAnonymous
from marketplace.pagecache.pages import BeltOf

from ..certificates import certificate_keyring, certificate_revocations_document
from ..models import Certification, CertificationLevel, Supplier, VerificationCheck, VerificationRun
from ..selectors import (
    CertificateStanding,
    certificate_standing_by_code,
    supplier_for_member,
    supplier_get_public,
    supplier_get_public_profile,
    supplier_page_scopes,
    verification_run_latest,
)
from ..services import application_missing
from ..signing import CERTIFICATE_FORMAT, MalformedDocument, Verdict, revocations_index, verify_certificate
from ..verdicts import verdict_message


class SupplierPublicOutputSerializer(serializers.ModelSerializer):
    belt: "serializers.SlugRelatedField[Belt]" = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = strict_fields.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Supplier
        fields = (
            "slug", "name_en", "name_zh", "belt", "business_type", "certification_level", "certified_at",
            "certified_until", "province", "city_en", "city_zh", "year_founded", "staff_count", "factory_area_m2",
            "description_en", "description_zh", "url",
        )  # fmt: skip


class SupplierDetailApi(CachedForAnonymous, generics.RetrieveAPIView):
    """A certified supplier's public profile; applicants answer 404."""

    permission_classes = (AllowAny,)
    serializer_class = SupplierPublicOutputSerializer

    def cache_scopes(self, request: Request, **kwargs: Any) -> BeltOf:
        return supplier_page_scopes(slug=kwargs["slug"])

    def get_object(self) -> Supplier:
        return supplier_get_public(slug=self.kwargs["slug"])


# --- shared output pieces (named components in the OpenAPI schema) ---------------------------------


@extend_schema_serializer(component_name="CertificateSummary")
class CertificateSummarySerializer(serializers.Serializer):
    code = strict_fields.CharField()
    level = strict_fields.CharField()
    level_label = strict_fields.CharField()
    status = strict_fields.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    is_current = serializers.BooleanField()
    verify_url = strict_fields.CharField(source="get_absolute_url")


@extend_schema_serializer(component_name="EvidencePiece")
class EvidencePieceSerializer(serializers.Serializer):
    kind = strict_fields.CharField()
    title_en = strict_fields.CharField()
    title_zh = strict_fields.CharField()
    method_en = strict_fields.CharField()
    method_zh = strict_fields.CharField()
    performed_by = strict_fields.CharField()
    performed_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)


@extend_schema_serializer(component_name="AuditPointOutcome")
class AuditPointOutcomeSerializer(serializers.Serializer):
    code = strict_fields.CharField()
    text_en = strict_fields.CharField()
    text_zh = strict_fields.CharField()
    outcome = serializers.ChoiceField(choices=("pass", "fail", "na"))
    note = strict_fields.CharField()


@extend_schema_serializer(component_name="ProductionSitePublic")
class ProductionSitePublicSerializer(serializers.Serializer):
    name = strict_fields.CharField()
    city = strict_fields.CharField()
    province = strict_fields.CharField()
    province_name = strict_fields.CharField()
    products = strict_fields.CharField()
    is_verified = serializers.BooleanField()
    in_belt_region = serializers.BooleanField(help_text="Verified, and inside the province of the supplier's belt.")


@extend_schema_serializer(component_name="CertificationAudit")
class CertificationAuditSerializer(serializers.Serializer):
    industry_en = strict_fields.CharField(source="checklist.industry_en", default="")
    industry_zh = strict_fields.CharField(source="checklist.industry_zh", default="")
    checklist_version = strict_fields.IntegerField()
    points = AuditPointOutcomeSerializer(source="audit_results.all", many=True)


@extend_schema_serializer(component_name="CertificationDetail")
class CertificationDetailSerializer(CertificateSummarySerializer):
    """A certificate with its evidence pieces and, for an audited factory, the audit's outcomes."""

    evidence = EvidencePieceSerializer(source="evidence.all", many=True)
    audit = serializers.SerializerMethodField()

    @extend_schema_field(CertificationAuditSerializer(allow_null=True))
    def get_audit(self, certification: Certification) -> dict | None:
        if certification.checklist_version is None:
            return None
        return CertificationAuditSerializer(certification).data


# --- GET /api/v1/suppliers/<slug>/certification/ ---------------------------------------------------


class SupplierCertificationApi(CachedForAnonymous, APIView):
    """A certified supplier's current certification, piece by piece, and its production sites.

    Evidence pieces say what was checked, how, by whom, when and until when; an audited factory
    adds its checklist version and every point's outcome. Documents are never part of it.
    """

    permission_classes = (AllowAny,)

    def cache_scopes(self, request: Request, **kwargs: Any) -> BeltOf:
        return supplier_page_scopes(slug=kwargs["slug"])

    @extend_schema_serializer(component_name="SupplierCertification")
    class OutputSerializer(serializers.Serializer):
        slug = strict_fields.CharField()
        name_en = strict_fields.CharField()
        name_zh = strict_fields.CharField()
        business_type = serializers.ChoiceField(choices=Supplier.BusinessType.choices)
        belt = strict_fields.CharField(source="belt.slug")
        certification_level = serializers.ChoiceField(choices=CertificationLevel.choices)
        certified_since = serializers.DateTimeField(source="certified_at", allow_null=True)
        certified_until = serializers.DateField(allow_null=True)
        certificate = CertificationDetailSerializer(source="current_certification", allow_null=True)
        sites = ProductionSitePublicSerializer(source="sites.all", many=True)
        profile_url = strict_fields.CharField(source="get_absolute_url")

    @extend_schema(operation_id="supplier_certification", responses={200: OutputSerializer})
    def get(self, request: Request, slug: str) -> Response:
        supplier = supplier_get_public_profile(slug=slug)
        return Response(self.OutputSerializer(supplier).data)


# --- GET /api/v1/verify/<code>/ -----------------------------------------------------------------------


class CertificateVerifyApi(APIView):
    """Whether the certificate with this code (any case, dashes or not) is genuine and current; 404 if none."""

    permission_classes = (AllowAny,)

    @extend_schema_serializer(component_name="CertificateVerification")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="CertificateVerificationCompany")
        class CompanySerializer(serializers.Serializer):
            slug = strict_fields.CharField()
            name_en = strict_fields.CharField()
            name_zh = strict_fields.CharField()
            business_type = serializers.ChoiceField(choices=Supplier.BusinessType.choices)
            belt = strict_fields.CharField(source="belt.slug", default=None, allow_null=True)
            certification_level = serializers.ChoiceField(
                choices=CertificationLevel.choices,
                help_text="The company's badge today, decided from the current facts; it may be below the "
                "level a certificate was decided at.",
            )

        genuine = serializers.SerializerMethodField()
        current = serializers.BooleanField(source="is_current")
        state = serializers.ChoiceField(
            choices=("current", "not_yet_valid", "expired", "superseded", "downgraded", "revoked"),
            help_text="current, or why it is not: not_yet_valid, expired, superseded, downgraded, revoked.",
        )
        since = serializers.DateField(allow_null=True, help_text="The day the state began, when known.")
        to_level = strict_fields.CharField(help_text="The level it was replaced by or lowered to, when known.")
        certificate = CertificateSummarySerializer(source="certification")
        company = CompanySerializer(source="certification.supplier")
        profile_url = serializers.SerializerMethodField()
        company_current_certificate = CertificateSummarySerializer(source="company_current", allow_null=True)

        def get_genuine(self, standing: CertificateStanding) -> bool:
            return True  # unknown codes answer 404

        def get_profile_url(self, standing: CertificateStanding) -> str | None:
            supplier = standing.certification.supplier
            return supplier.get_absolute_url() if standing.profile_is_public else None

    @extend_schema(
        operation_id="certificate_verify",
        responses={200: OutputSerializer, 404: OpenApiResponse(description="No certificate has this code.")},
    )
    def get(self, request: Request, code: str) -> Response:
        standing = certificate_standing_by_code(code=code)
        if standing is None:
            raise Http404("No such certificate")
        return Response(self.OutputSerializer(standing).data)


# --- POST /api/v1/certificates/verify/ ------------------------------------------------------------


class SignedCertificateVerifyApi(APIView):
    """Check a signed certificate (the JSON file downloaded from its page) as an offline verifier would.

    The signature is checked against the published keys (`/.well-known/certificate-keys.json`), with
    no database read; then the published revocation list, then the validity dates. A document that
    is not a signed certificate answers 400.
    """

    permission_classes = (AllowAny,)
    authentication_classes = ()  # public and stateless: no session, so no CSRF token to send

    @extend_schema_serializer(component_name="SignedCertificate")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="SignedCertificateSignature")
        class SignatureSerializer(serializers.Serializer):
            alg = serializers.ChoiceField(choices=("Ed25519",))
            kid = strict_fields.CharField(help_text="The id of the published key that signed it.")
            value = strict_fields.CharField(help_text="The Ed25519 signature, base64url without padding.")

        format = serializers.ChoiceField(choices=(CERTIFICATE_FORMAT,))
        payload = serializers.DictField(help_text="What the certificate states: company, level, sites, evidence.")
        signature = SignatureSerializer()

    @extend_schema_serializer(component_name="SignedCertificateVerdict")
    class OutputSerializer(serializers.Serializer):
        valid = serializers.BooleanField(help_text="Genuine, not revoked, and in force today.")
        verdict = serializers.ChoiceField(choices=Verdict.CHOICES)
        message = strict_fields.CharField(help_text="The verdict in words, in the language of the request.")
        kid = strict_fields.CharField()
        certificate = serializers.DictField(allow_null=True, help_text="The signed payload, once the signature holds.")
        revocation = serializers.DictField(allow_null=True, help_text="The revocation list's entry, when listed.")

    @extend_schema(
        operation_id="signed_certificate_verify",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="The body is not a signed certificate."),
        },
    )
    def post(self, request: Request) -> Response:
        keys = certificate_keyring()
        try:
            # The same checks as the command, on the published keys only (the data, not the database).
            revoked = revocations_index(certificate_revocations_document(), keys=keys)
            verification = verify_certificate(request.data, keys=keys, today=timezone.localdate(), revoked=revoked)
        except MalformedDocument as exc:
            raise ValidationError(
                {"detail": _("This is not a signed certificate: %(reason)s.") % {"reason": exc}}
            ) from exc
        data = {
            "valid": verification.valid,
            "verdict": verification.verdict,
            "message": verdict_message(verification),
            "kid": verification.kid,
            "certificate": verification.payload,
            "revocation": verification.revocation,
        }
        return Response(self.OutputSerializer(data).data)


# --- GET /api/v1/me/application/ ----------------------------------------------------------------------


class MyApplicationApi(APIView):
    """The signed-in member's own supplier application: status, what is missing, the latest checks.

    The supplier is found through `request.user` alone; a user who acts for no supplier gets 404.
    """

    permission_classes = (IsAuthenticated,)

    @extend_schema_serializer(component_name="MyApplication")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="MyApplicationCheck")
        class CheckSerializer(serializers.Serializer):
            name = serializers.ChoiceField(choices=VerificationCheck.Name.choices)
            # DRF takes declared fields out of the class, so this one does not shadow Field.label.
            label = strict_fields.CharField(source="get_name_display")  # type: ignore[assignment]
            outcome = serializers.ChoiceField(choices=VerificationCheck.Outcome.choices)
            message = strict_fields.CharField(help_text="In the language of the request.")
            started_at = serializers.DateTimeField()
            finished_at = serializers.DateTimeField()
            duration_ms = strict_fields.IntegerField()

        @extend_schema_serializer(component_name="MyApplicationRun")
        class RunSerializer(serializers.Serializer):
            id = strict_fields.IntegerField()
            status = serializers.ChoiceField(choices=VerificationRun.Status.choices)
            trigger = serializers.ChoiceField(choices=VerificationRun.Trigger.choices)
            worst_outcome = strict_fields.CharField(allow_null=True)
            created_at = serializers.DateTimeField()
            started_at = serializers.DateTimeField(allow_null=True)
            finished_at = serializers.DateTimeField(allow_null=True)

        slug = strict_fields.CharField(source="supplier.slug")
        name_en = strict_fields.CharField(source="supplier.name_en")
        name_zh = strict_fields.CharField(source="supplier.name_zh")
        status = serializers.ChoiceField(source="supplier.status", choices=Supplier.Status.choices)
        status_label = strict_fields.CharField(source="supplier.get_status_display")
        editable = serializers.BooleanField(source="supplier.is_editable_by_applicant")
        certification_level = serializers.ChoiceField(
            source="supplier.certification_level", choices=CertificationLevel.choices
        )
        submitted_at = serializers.DateTimeField(source="supplier.submitted_at", allow_null=True)
        decided_at = serializers.DateTimeField(source="supplier.decided_at", allow_null=True)
        missing = serializers.ListField(child=strict_fields.CharField(), help_text="What still stops a submission.")
        latest_run = RunSerializer(allow_null=True)
        checks = CheckSerializer(many=True, help_text="Each check of the latest run, in the order they ran.")

    @extend_schema(operation_id="my_application", responses={200: OutputSerializer})
    def get(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member(user=request.user)
        if supplier is None:
            raise Http404("You do not act for a supplier")
        run = verification_run_latest(supplier=supplier)
        data = {
            "supplier": supplier,
            "missing": application_missing(supplier),
            "latest_run": run,
            "checks": list(run.checks.all()) if run else [],
        }
        return Response(self.OutputSerializer(data).data)
