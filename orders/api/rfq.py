"""Requests for quotation over the API: one APIView per operation, the same services as the pages.

Buyers: GET/POST /api/v1/rfqs/, GET /api/v1/rfqs/<id>/ (with the normalised comparison), POST
/api/v1/rfqs/<id>/award/ (Idempotency-Key header required), POST /api/v1/rfqs/<id>/cancel/
{reason}. Suppliers: GET
/api/v1/rfq-opportunities/ and /<id>/, POST /<id>/quote/ (create or revise) and /<id>/withdraw/.
Another company's RFQ, or one not routed to the asking supplier, answers 404. Answers: 400 bad
input, 403 wrong side, 409 the RFQ or quote does not allow the step now, 422 a reused key.
"""

from typing import Any

from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from belts.models import Belt, Category
from buyers.models import BuyerCompany
from buyers.selectors.inquiries import buyer_company_for_user
from catalog.models import Listing
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.filecheck.models import FileCheck
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination
from suppliers.levels import PUBLIC_LEVEL_CHOICES, CertificationLevel
from suppliers.models import Supplier
from suppliers.selectors import supplier_for_member

from ..models import Incoterm, Quote, Rfq, RfqAttachment, RfqRecipient
from ..selectors.cart import purchase_get_for_user
from ..selectors.rfq import (
    QuoteRow,
    opportunity_get_for_supplier,
    opportunity_list_for_supplier,
    quote_of_supplier,
    rfq_attachment_get_for_user,
    rfq_attachment_list,
    rfq_comparison,
    rfq_get_for_buyer,
    rfq_list_for_buyer,
    rfq_orders,
)
from ..services.award import rfq_award
from ..services.rfq import CANCEL_REASON_MAX, quote_submit, quote_withdraw, rfq_cancel, rfq_mark_seen, rfq_post
from ..views.rfq import rfq_attachment_response
from .placing import PurchaseOutputSerializer

# --- serializers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="RfqSummary")
class RfqSummarySerializer(serializers.ModelSerializer):
    category: "serializers.SlugRelatedField[Category]" = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    routed_count = strict_fields.IntegerField(read_only=True, allow_null=True, help_text="Suppliers it was sent to.")
    quote_count = strict_fields.IntegerField(read_only=True, allow_null=True, help_text="Quotes not withdrawn.")

    class Meta:
        model = Rfq
        fields: tuple[str, ...] = (
            "id", "title", "category", "quantity", "unit", "currency", "incoterm", "destination_country",
            "required_level", "deadline", "allow_split", "status", "routed_at", "routed_count", "quote_count",
            "created_at",
        )  # fmt: skip


@extend_schema_serializer(component_name="RfqQuoteComparison")
class QuoteRowSerializer(serializers.Serializer):
    id = strict_fields.IntegerField(source="quote.pk")
    supplier = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="quote.status", choices=Quote.Status.choices)
    unit_price = strict_fields.DecimalField(source="quote.unit_price", max_digits=12, decimal_places=2)
    currency = strict_fields.CharField(source="quote.currency")
    incoterm = strict_fields.CharField(source="quote.incoterm")
    incoterm_place = strict_fields.CharField(source="quote.incoterm_place")
    freight_total = strict_fields.DecimalField(
        source="quote.freight_total", max_digits=14, decimal_places=2, allow_null=True
    )
    moq = strict_fields.IntegerField(source="quote.moq")
    quantity = strict_fields.IntegerField(source="quote.quantity")
    lead_time_days = strict_fields.IntegerField(source="quote.lead_time_days")
    valid_until = serializers.DateField(source="quote.valid_until")
    note = strict_fields.CharField(source="quote.note")
    accepted_quantity = strict_fields.IntegerField(source="quote.accepted_quantity", allow_null=True)
    comparable = serializers.BooleanField(help_text="False: another Incoterm without freight, or another currency.")
    not_comparable_reason = strict_fields.CharField(source="reason", help_text='"", "incoterm" or "currency".')
    comparable_unit_price = strict_fields.DecimalField(
        max_digits=16,
        decimal_places=4,
        allow_null=True,
        help_text="Unit price plus freight per unit, on the RFQ's Incoterm (null when not comparable).",
    )
    basis_quantity = strict_fields.IntegerField(help_text="The quantity `total` is computed at.")
    total = strict_fields.DecimalField(max_digits=16, decimal_places=2)
    expired = serializers.BooleanField()
    best = serializers.BooleanField(help_text="The lowest comparable price among valid quotes.")

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "certification_level": {"type": "string"},
                "rating_average": {"type": "string", "nullable": True},
                "ratings": {"type": "integer"},
            },
        }
    )
    def get_supplier(self, row: QuoteRow) -> dict[str, Any]:
        figures = row.figures
        return {
            "slug": row.supplier.slug,
            "name": row.supplier.name,
            "certification_level": row.supplier.certification_level,
            "rating_average": str(figures.rating_average) if figures and figures.rating_average is not None else None,
            "ratings": figures.ratings if figures else 0,
        }


@extend_schema_serializer(component_name="RfqFile")
class RfqFileSerializer(serializers.Serializer):
    """A file of the RFQ (drawing, specification): checked in the worker before it is offered."""

    id = strict_fields.IntegerField(source="pk")
    name = strict_fields.CharField()
    size = strict_fields.IntegerField(allow_null=True)
    check = serializers.ChoiceField(source="file_check", choices=FileCheck.choices)
    url = serializers.SerializerMethodField(help_text="Download address once the check passed, else null.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, obj: RfqAttachment) -> str | None:
        return reverse("api:rfq-attachment", args=[obj.rfq_id, obj.pk]) if obj.is_available() else None


def _files(rfq: Rfq) -> list[dict[str, Any]]:
    return RfqFileSerializer(rfq_attachment_list(rfq=rfq), many=True).data  # type: ignore[return-value]


@extend_schema_serializer(component_name="RfqDetail")
class RfqDetailSerializer(RfqSummarySerializer):
    belt: "serializers.SlugRelatedField[Belt]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    quotes = serializers.SerializerMethodField()
    orders = serializers.SerializerMethodField(help_text="Order numbers the award made.")
    attachments = serializers.SerializerMethodField(help_text="Drawings and specifications sent with the RFQ.")

    class Meta(RfqSummarySerializer.Meta):
        fields = (
            *RfqSummarySerializer.Meta.fields, "details", "belt", "target_price", "incoterm_place", "quotes", "orders",
            "cancel_reason", "cancelled_at", "closed_at", "attachments",
        )  # fmt: skip

    @extend_schema_field(RfqFileSerializer(many=True))
    def get_attachments(self, rfq: Rfq) -> list[dict[str, Any]]:
        return _files(rfq)

    @extend_schema_field(QuoteRowSerializer(many=True))
    def get_quotes(self, rfq: Rfq) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer, whose data is a list; the stubs cannot follow __new__.
        return QuoteRowSerializer(rfq_comparison(rfq=rfq), many=True).data  # type: ignore[return-value]

    def get_orders(self, rfq: Rfq) -> list[str]:
        return [order.number for order in rfq_orders(rfq=rfq)] if rfq.status == Rfq.Status.AWARDED else []


@extend_schema_serializer(component_name="RfqOwnQuote")
class OwnQuoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = (
            "id", "status", "unit_price", "currency", "moq", "quantity", "lead_time_days", "incoterm",
            "incoterm_place", "freight_total", "valid_until", "note", "accepted_quantity", "created_at", "updated_at",
        )  # fmt: skip


@extend_schema_serializer(component_name="RfqOpportunity")
class OpportunitySerializer(serializers.Serializer):
    """An RFQ as a supplier it was routed to sees it: no buyer name, no other supplier."""

    id = strict_fields.IntegerField(source="rfq.pk")
    title = strict_fields.CharField(source="rfq.title")
    details = strict_fields.CharField(source="rfq.details")
    category = strict_fields.CharField(source="rfq.category.slug", allow_null=True, default=None)
    quantity = strict_fields.IntegerField(source="rfq.quantity")
    unit = strict_fields.CharField(source="rfq.unit")
    target_price = strict_fields.DecimalField(
        source="rfq.target_price", max_digits=12, decimal_places=2, allow_null=True
    )
    currency = strict_fields.CharField(source="rfq.currency")
    destination_country = strict_fields.CharField(source="rfq.destination_country")
    incoterm = strict_fields.CharField(source="rfq.incoterm")
    incoterm_place = strict_fields.CharField(source="rfq.incoterm_place")
    required_level = strict_fields.CharField(source="rfq.required_level")
    deadline = serializers.DateField(source="rfq.deadline")
    allow_split = serializers.BooleanField(source="rfq.allow_split")
    status = serializers.ChoiceField(source="rfq.status", choices=Rfq.Status.choices)
    routed_at = serializers.DateTimeField()
    seen_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="RfqOpportunityListItem")
class OpportunityListSerializer(OpportunitySerializer):
    my_quote_status = serializers.ChoiceField(choices=Quote.Status.choices, allow_null=True)


@extend_schema_serializer(component_name="RfqOpportunityDetail")
class OpportunityDetailSerializer(OpportunitySerializer):
    my_quote = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField(help_text="Drawings and specifications sent with the RFQ.")

    @extend_schema_field(RfqFileSerializer(many=True))
    def get_attachments(self, recipient: RfqRecipient) -> list[dict[str, Any]]:
        return _files(recipient.rfq)

    @extend_schema_field(OwnQuoteSerializer(allow_null=True))
    def get_my_quote(self, recipient: RfqRecipient) -> dict[str, Any] | None:
        quote = quote_of_supplier(rfq=recipient.rfq, supplier=recipient.supplier)
        return OwnQuoteSerializer(quote).data if quote else None


# --- views --------------------------------------------------------------------------------------

ERRORS = {
    400: OpenApiResponse(description="Bad input, by field."),
    403: OpenApiResponse(description="Not for your side (buyers post and award, suppliers quote)."),
    404: OpenApiResponse(description="No such RFQ among yours."),
    409: OpenApiResponse(description="The RFQ or the quote does not allow this step now."),
}


class _RfqApi(APIView):
    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest

    def buyer_company(self) -> BuyerCompany:
        company = buyer_company_for_user(user=self.request.user)
        if company is None:
            raise exceptions.PermissionDenied(_("Only buyers have requests for quotation."))
        return company

    def supplier(self) -> Supplier:
        supplier = supplier_for_member(user=self.request.user)
        if supplier is None:
            raise exceptions.PermissionDenied(_("Only suppliers have RFQ opportunities."))
        return supplier


class RfqListCreateApi(_RfqApi):
    """GET: your buying company's RFQs, newest first (cursor pages). POST: post one; it is routed
    to the matching certified suppliers in the background."""

    pagination_class = CreatedCursorPagination  # read by the schema too: GET answers cursor pages

    @extend_schema_serializer(component_name="RfqCreateInput")
    class InputSerializer(serializers.Serializer):
        title = strict_fields.CharField(max_length=200)
        details = strict_fields.CharField(max_length=5000, required=False, allow_blank=True, default="")
        category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
        belt = serializers.SlugRelatedField(
            slug_field="slug", queryset=Belt.objects.all(), required=False, allow_null=True, default=None
        )
        quantity = strict_fields.IntegerField(min_value=1, max_value=999_999_999)
        unit = serializers.ChoiceField(choices=Listing.Unit.choices)
        target_price = strict_fields.DecimalField(
            max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
        )
        currency = serializers.ChoiceField(choices=Listing.Currency.choices)
        destination_country = strict_fields.CharField(min_length=2, max_length=2)
        incoterm = serializers.ChoiceField(choices=Incoterm.choices)
        incoterm_place = strict_fields.CharField(max_length=120, required=False, allow_blank=True, default="")
        required_level = serializers.ChoiceField(choices=PUBLIC_LEVEL_CHOICES, default=CertificationLevel.VERIFIED)
        deadline = serializers.DateField()
        allow_split = serializers.BooleanField(default=True, help_text="Group supply: split across suppliers.")

    @extend_schema(operation_id="rfqs_list", responses={200: RfqSummarySerializer(many=True), 403: ERRORS[403]})
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rfq_list_for_buyer(company=self.buyer_company()), request, view=self)
        return paginator.get_paginated_response(RfqSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="rfqs_create",
        request=InputSerializer,
        responses={201: RfqDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        company = self.buyer_company()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rfq = rfq_post(buyer=company, actor=request.user, **serializer.validated_data)
        rfq = rfq_get_for_buyer(company=company, pk=rfq.pk)
        return Response(RfqDetailSerializer(rfq).data, status=status.HTTP_201_CREATED)


class RfqDetailApi(_RfqApi):
    """One of your company's RFQs with its quotes compared on the RFQ's quantity and Incoterm."""

    @extend_schema(operation_id="rfqs_retrieve", responses={200: RfqDetailSerializer, 404: ERRORS[404]})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        rfq = rfq_get_for_buyer(company=buyer_company_for_user(user=request.user), pk=pk)
        return Response(RfqDetailSerializer(rfq).data)


def _own_rfq(view: APIView, request: AuthenticatedRequest, pk: int, **kwargs: Any) -> None:
    """The RFQ is your company's (404 otherwise, before the Idempotency-Key is looked at)."""
    rfq_get_for_buyer(company=buyer_company_for_user(user=request.user), pk=pk)


class RfqAwardApi(_RfqApi):
    """Accept one quote (or, with group supply, several): one purchase, one order per quote."""

    @extend_schema_serializer(component_name="RfqAwardInput")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="RfqAwardLine")
        class AwardSerializer(serializers.Serializer):
            quote = strict_fields.IntegerField(min_value=1, max_value=ID_MAX)
            quantity = strict_fields.IntegerField(min_value=1, max_value=999_999_999)

        # many=True hands max_length to the ListSerializer it makes; the stubs check it against the child.
        awards = AwardSerializer(many=True, allow_empty=False, max_length=100)  # type: ignore[call-arg]
        shipping_address = strict_fields.CharField(max_length=1000)
        ship_to_country = strict_fields.CharField(min_length=2, max_length=2)

    @extend_schema(
        operation_id="rfqs_award",
        request=InputSerializer,
        responses={
            201: PurchaseOutputSerializer,
            200: OpenApiResponse(PurchaseOutputSerializer, description="The same key and body again."),
            **ERRORS,
            422: OpenApiResponse(description="The key was used for a different body."),
        },
    )
    @idempotent(required=True, replay_status=status.HTTP_200_OK, guard=_own_rfq)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        rfq = rfq_get_for_buyer(company=buyer_company_for_user(user=request.user), pk=pk)
        key = request.headers["Idempotency-Key"].strip()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        purchase, created = rfq_award(
            rfq=rfq,
            actor=request.user,
            awards=[(award["quote"], award["quantity"]) for award in data["awards"]],
            shipping_address=data["shipping_address"],
            ship_to_country=data["ship_to_country"],
            idempotency_key=key,
            language=get_language() or "en",
        )
        purchase = purchase_get_for_user(user=request.user, pk=purchase.pk)
        return Response(
            PurchaseOutputSerializer(purchase).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class RfqCancelApi(_RfqApi):
    """Cancel your company's open RFQ with a reason: its submitted quotes are declined and the
    suppliers who sent them are emailed; nothing can be quoted or awarded afterwards."""

    @extend_schema_serializer(component_name="RfqCancelInput")
    class InputSerializer(serializers.Serializer):
        reason = strict_fields.CharField(max_length=CANCEL_REASON_MAX, help_text="Told to the suppliers who quoted.")

    @extend_schema(
        operation_id="rfqs_cancel",
        request=InputSerializer,
        responses={
            200: RfqDetailSerializer,
            400: ERRORS[400],
            404: ERRORS[404],
            409: OpenApiResponse(description="The RFQ is not open (already awarded, closed or cancelled)."),
        },
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        company = buyer_company_for_user(user=request.user)
        rfq = rfq_get_for_buyer(company=company, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rfq_cancel(rfq=rfq, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(RfqDetailSerializer(rfq_get_for_buyer(company=company, pk=pk)).data)


class OpportunityPagination(CreatedCursorPagination):
    ordering = ("-routed_at", "-id")


class OpportunityListApi(_RfqApi):
    """The RFQs routed to your supplier company, newest first, with your quote's status."""

    pagination_class = OpportunityPagination  # read by the schema too: GET answers cursor pages

    @extend_schema(
        operation_id="rfq_opportunities_list",
        responses={200: OpportunityListSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        queryset = opportunity_list_for_supplier(supplier=self.supplier()).order_by()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(OpportunityListSerializer(page, many=True).data)


class OpportunityDetailApi(_RfqApi):
    """One RFQ routed to your company, with your own quote (never another supplier's)."""

    @extend_schema(operation_id="rfq_opportunities_retrieve", responses={200: OpportunityDetailSerializer, **ERRORS})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        recipient = opportunity_get_for_supplier(supplier=supplier_for_member(user=request.user), rfq_id=pk)
        if recipient.seen_at is None:
            rfq_mark_seen(recipient_ids=[recipient.pk])
            recipient.refresh_from_db(fields=["seen_at"])
        return Response(OpportunityDetailSerializer(recipient).data)


class QuoteSubmitApi(_RfqApi):
    """Send your quote for an RFQ routed to you, or revise it until the buyer decides."""

    @extend_schema_serializer(component_name="RfqQuoteInput")
    class InputSerializer(serializers.Serializer):
        unit_price = strict_fields.DecimalField(max_digits=12, decimal_places=2, min_value=0)
        currency = serializers.ChoiceField(choices=Listing.Currency.choices)
        moq = strict_fields.IntegerField(min_value=1, max_value=999_999_999)
        quantity = strict_fields.IntegerField(min_value=1, max_value=999_999_999)
        lead_time_days = strict_fields.IntegerField(min_value=0, max_value=3650)
        incoterm = serializers.ChoiceField(choices=Incoterm.choices)
        incoterm_place = strict_fields.CharField(max_length=120, required=False, allow_blank=True, default="")
        freight_total = strict_fields.DecimalField(
            max_digits=14,
            decimal_places=2,
            min_value=0,
            required=False,
            allow_null=True,
            default=None,
            help_text="Freight to the RFQ's destination under the RFQ's Incoterm, when you quote another one.",
        )
        valid_until = serializers.DateField()
        note = strict_fields.CharField(max_length=2000, required=False, allow_blank=True, default="")
        confirm_terms = serializers.BooleanField(
            required=False,
            default=False,
            help_text=(
                "Send a quote on other terms than the RFQ's without freight anyway. Without it such a quote "
                "is refused with 409 and code quote_terms_unconfirmed (asked, quoted, missing)."
            ),
        )

    @extend_schema(
        operation_id="rfq_opportunities_quote",
        request=InputSerializer,
        responses={
            201: OwnQuoteSerializer,
            200: OpenApiResponse(OwnQuoteSerializer, description="Revised."),
            **ERRORS,
            409: OpenApiResponse(
                description="The RFQ or the quote does not allow this step now; or, with code "
                "quote_terms_unconfirmed, the quote is on other terms than the RFQ's without freight "
                "(send again with confirm_terms: true, or add freight_total)."
            ),
        },
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        recipient = opportunity_get_for_supplier(supplier=supplier_for_member(user=request.user), rfq_id=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote, created = quote_submit(rfq=recipient.rfq, actor=request.user, **serializer.validated_data)
        return Response(
            OwnQuoteSerializer(quote).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class QuoteWithdrawApi(_RfqApi):
    """Withdraw your submitted quote while the RFQ is open."""

    @extend_schema(
        operation_id="rfq_opportunities_withdraw", request=None, responses={200: OwnQuoteSerializer, **ERRORS}
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        recipient = opportunity_get_for_supplier(supplier=supplier_for_member(user=request.user), rfq_id=pk)
        quote = quote_withdraw(rfq=recipient.rfq, actor=request.user)
        return Response(OwnQuoteSerializer(quote).data)


class RfqAttachmentApi(APIView):
    """Download a checked file of an RFQ: its buying company, the suppliers it was routed to and
    staff; 404 for anyone else, and while its check runs or once it was refused."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="rfqs_attachment",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file, as an attachment.")},
    )
    def get(self, request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = rfq_attachment_get_for_user(user=request.user, rfq_id=pk, pk=attachment_pk)
        return rfq_attachment_response(attachment)
