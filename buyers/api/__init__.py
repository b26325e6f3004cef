"""Buyers' API: inquiries (both sides), saved suppliers and the company's addresses, under /api/v1/
(signed-in people only).

Every inquiry is found through `inquiry_get_for_user`, scoped by the requesting person's membership,
so a thread of another company answers 404 like one that does not exist. Writes call the same
services as the pages.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from catalog.models import Listing
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.filecheck.models import FileCheck
from marketplace.idempotency.api import idempotent
from suppliers.selectors import supplier_for_member

from ..models import BuyerCompany, CompanyAddress, Inquiry, InquiryMessage, SavedSupplier
from ..selectors.addresses import address_get_for_company, address_list_for_company
from ..selectors.inquiries import (
    buyer_company_for_user,
    inquiry_get_for_user,
    inquiry_list_for_buyer,
    inquiry_list_for_supplier,
    inquiry_message_get_for_user,
    inquiry_messages,
    listing_get_for_inquiry,
    saved_supplier_list,
    supplier_get_for_inquiry,
)
from ..services.addresses import address_delete, address_save
from ..services.inquiries import inquiry_mark_read, inquiry_reply, inquiry_start, supplier_save, supplier_unsave
from ..views.inquiries import attachment_response


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _buyer_or_403(request: AuthenticatedRequest) -> BuyerCompany:
    buyer = buyer_company_for_user(user=request.user)
    if buyer is None:
        raise PermissionDenied(_("Only buyers can do this."))
    return buyer


# --- serializers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="InquirySupplier")
class InquirySupplierSerializer(serializers.Serializer):
    slug = strict_fields.SlugField()
    name_en = strict_fields.CharField()
    name_zh = strict_fields.CharField()


@extend_schema_serializer(component_name="InquiryBuyer")
class InquiryBuyerSerializer(serializers.Serializer):
    name = strict_fields.CharField()
    country = strict_fields.CharField()


@extend_schema_serializer(component_name="Inquiry")
class InquiryOutputSerializer(serializers.ModelSerializer):
    supplier = InquirySupplierSerializer(read_only=True)
    buyer = InquiryBuyerSerializer(read_only=True)
    listing: "serializers.PrimaryKeyRelatedField[Listing]" = serializers.PrimaryKeyRelatedField(read_only=True)
    listing_title = serializers.SerializerMethodField()
    unread = strict_fields.IntegerField(read_only=True, help_text="Messages of the other side you have not read.")

    class Meta:
        model = Inquiry
        fields: tuple[str, ...] = (
            "id", "subject", "supplier", "buyer", "listing", "listing_title", "created_at", "last_message_at",
            "first_supplier_reply_at", "unread",
        )  # fmt: skip
        read_only_fields = fields

    def get_listing_title(self, obj: Inquiry) -> str | None:
        return obj.listing.title if obj.listing else None


@extend_schema_serializer(component_name="InquiryAttachment")
class AttachmentSerializer(serializers.Serializer):
    """A message's attachment: checked in the worker before it is offered (marketplace.filecheck)."""

    name = strict_fields.CharField(source="attachment_name")
    size = strict_fields.IntegerField(source="attachment_size", allow_null=True, help_text="In bytes.")
    content_type = serializers.SerializerMethodField(help_text="Once the check has passed.")
    check = serializers.ChoiceField(
        source="file_check",
        choices=FileCheck.choices,
        help_text="pending: being checked; clean: offered for download; refused: not sent.",
    )
    refusal = serializers.SerializerMethodField(help_text="Why the file was refused, in your language.")
    url = serializers.SerializerMethodField(help_text="Download, once the check has passed (the two sides only).")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_content_type(self, obj: InquiryMessage) -> str | None:
        if not obj.attachment_is_available():
            return None
        return obj.attachment_content_type or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_refusal(self, obj: InquiryMessage) -> str | None:
        return obj.file_refusal_message() if obj.file_is_refused else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, obj: InquiryMessage) -> str | None:
        if not obj.attachment_is_available():
            return None
        path = reverse("api:inquiry-attachment", args=[obj.inquiry_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_serializer(component_name="InquiryMessage")
class MessageOutputSerializer(serializers.ModelSerializer):
    author = strict_fields.CharField(source="author.get_full_name", read_only=True)
    attachment = serializers.SerializerMethodField(help_text="The file sent with the message, if any.")

    class Meta:
        model = InquiryMessage
        fields = ("id", "party", "author", "body", "created_at", "attachment")
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(allow_null=True))
    def get_attachment(self, obj: InquiryMessage) -> dict[str, Any] | None:
        if not obj.has_attachment():
            return None
        return AttachmentSerializer(obj, context=self.context).data


@extend_schema_serializer(component_name="InquiryDetail")
class InquiryDetailOutputSerializer(InquiryOutputSerializer):
    messages = serializers.SerializerMethodField()
    unread = None  # type: ignore[assignment]

    class Meta(InquiryOutputSerializer.Meta):
        fields = (
            *(f for f in InquiryOutputSerializer.Meta.fields if f != "unread"),
            "buyer_read_at",
            "supplier_read_at",
            "messages",
        )
        read_only_fields = fields

    @extend_schema_field(MessageOutputSerializer(many=True))
    def get_messages(self, obj: Inquiry) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer, whose data is a list; the stubs cannot follow __new__.
        return MessageOutputSerializer(inquiry_messages(inquiry=obj), many=True, context=self.context).data  # type: ignore[return-value]


class InquiryStartInputSerializer(serializers.Serializer):
    supplier = strict_fields.SlugField(max_length=100, help_text="Slug of a certified supplier.")
    listing = strict_fields.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX, help_text="One of its public listings."
    )
    subject = strict_fields.CharField(max_length=200)
    body = strict_fields.CharField(max_length=5000)
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A picture or a PDF (multipart), checked after the message is written.",
    )


class MessageInputSerializer(serializers.Serializer):
    body = strict_fields.CharField(max_length=5000)
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A picture or a PDF (multipart), checked after the message is written.",
    )


@extend_schema_serializer(component_name="SavedSupplier")
class SavedSupplierOutputSerializer(serializers.ModelSerializer):
    supplier = InquirySupplierSerializer(read_only=True)
    saved_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = SavedSupplier
        fields = ("supplier", "saved_at")
        read_only_fields = fields


class SavedSupplierInputSerializer(serializers.Serializer):
    supplier = strict_fields.SlugField(max_length=100, help_text="Slug of a certified supplier.")


# --- inquiries ----------------------------------------------------------------------------------


def _detail(request: Request, inquiry: Inquiry, code: int = status.HTTP_200_OK) -> Response:
    return Response(InquiryDetailOutputSerializer(inquiry, context={"request": request}).data, status=code)


class InquiryListApi(generics.GenericAPIView):
    """Your inquiries, newest activity first (a buyer: its company's; a supplier: its inbox); a buyer starts one."""

    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest
    serializer_class = InquiryOutputSerializer
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    def get_queryset(self) -> QuerySet[Inquiry]:
        if getattr(self, "swagger_fake_view", False):
            return Inquiry.objects.none()
        buyer = buyer_company_for_user(user=self.request.user)
        if buyer is not None:
            return inquiry_list_for_buyer(buyer=buyer)
        supplier = supplier_for_member(user=self.request.user)
        if supplier is not None:
            return inquiry_list_for_supplier(supplier=supplier)
        return Inquiry.objects.none()

    @extend_schema(operation_id="inquiries_list", responses={200: InquiryOutputSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="inquiries_create",
        request={"application/json": InquiryStartInputSerializer, "multipart/form-data": InquiryStartInputSerializer},
        responses={201: InquiryDetailOutputSerializer, 403: OpenApiResponse(description="Not a buyer.")},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        buyer = _buyer_or_403(request)
        serializer = InquiryStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            supplier = supplier_get_for_inquiry(slug=data["supplier"])
        except Http404:
            raise serializers.ValidationError({"supplier": ["No certified supplier with this slug."]}) from None
        listing = None
        if data.get("listing") is not None:
            try:
                listing = listing_get_for_inquiry(supplier=supplier, pk=data["listing"])
            except Http404:
                raise serializers.ValidationError({"listing": ["No public listing of this supplier."]}) from None
        inquiry = inquiry_start(
            buyer=buyer, actor=request.user, supplier=supplier, listing=listing, subject=data["subject"],
            body=data["body"], attachment=data.get("attachment"), base_url=_base_url(request),
        )  # fmt: skip
        inquiry, _viewer = inquiry_get_for_user(user=request.user, pk=inquiry.pk)
        return _detail(request, inquiry, status.HTTP_201_CREATED)


class InquiryDetailApi(APIView):
    """One of your inquiries with its messages (reading it here does not mark it read: POST …/read/)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="inquiries_retrieve", responses={200: InquiryDetailOutputSerializer})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        inquiry, _viewer = inquiry_get_for_user(user=request.user, pk=pk)
        return _detail(request, inquiry)


class InquiryReadApi(APIView):
    """Mark one of your inquiries read up to now, for your side."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="inquiries_mark_read", request=None, responses={200: InquiryDetailOutputSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inquiry, _viewer = inquiry_get_for_user(user=request.user, pk=pk)
        inquiry_mark_read(inquiry=inquiry, actor=request.user)
        return _detail(request, inquiry)


class InquiryMessageCreateApi(APIView):
    """Reply to one of your inquiries (JSON, or multipart with an attachment, which is checked after the
    reply is written: its `check` is "pending" until then, and it is offered once "clean")."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(
        operation_id="inquiries_messages_create",
        request={"application/json": MessageInputSerializer, "multipart/form-data": MessageInputSerializer},
        responses={201: MessageOutputSerializer},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inquiry, _viewer = inquiry_get_for_user(user=request.user, pk=pk)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = inquiry_reply(
            inquiry=inquiry, actor=request.user, body=serializer.validated_data["body"],
            attachment=serializer.validated_data.get("attachment"), base_url=_base_url(request),
        )  # fmt: skip
        return Response(MessageOutputSerializer(message, context={"request": request}).data, status=201)


class InquiryAttachmentApi(APIView):
    """Download a message's attachment (the two sides of the inquiry only; 404 until its check passed)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="inquiries_messages_attachment",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file, as an attachment.")},
    )
    def get(self, request: AuthenticatedRequest, pk: int, message_pk: int) -> HttpResponseBase:
        message = inquiry_message_get_for_user(user=request.user, inquiry_pk=pk, pk=message_pk)
        return attachment_response(message)


# --- saved suppliers ----------------------------------------------------------------------------


class SavedSupplierListApi(generics.GenericAPIView):
    """Your company's saved suppliers, newest first; save one (saving twice keeps one)."""

    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest
    serializer_class = SavedSupplierOutputSerializer

    def get_queryset(self) -> QuerySet[SavedSupplier]:
        if getattr(self, "swagger_fake_view", False):
            return SavedSupplier.objects.none()
        return saved_supplier_list(buyer=_buyer_or_403(self.request))

    @extend_schema(operation_id="saved_suppliers_list", responses={200: SavedSupplierOutputSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="saved_suppliers_create",
        request=SavedSupplierInputSerializer,
        responses={201: SavedSupplierOutputSerializer},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        buyer = _buyer_or_403(request)
        serializer = SavedSupplierInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            supplier = supplier_get_for_inquiry(slug=serializer.validated_data["supplier"])
        except Http404:
            raise serializers.ValidationError({"supplier": ["No certified supplier with this slug."]}) from None
        saved = supplier_save(buyer=buyer, actor=request.user, supplier=supplier)
        saved = saved_supplier_list(buyer=buyer).get(pk=saved.pk)
        return Response(SavedSupplierOutputSerializer(saved).data, status=status.HTTP_201_CREATED)


class SavedSupplierDeleteApi(APIView):
    """Take a supplier off your company's saved suppliers (404 if it is not on the list)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="saved_suppliers_destroy", responses={204: None})
    def delete(self, request: AuthenticatedRequest, slug: str) -> Response:
        buyer = _buyer_or_403(request)
        saved = saved_supplier_list(buyer=buyer).filter(supplier__slug=slug).first()
        if saved is None:
            raise Http404("Not among your saved suppliers")
        supplier_unsave(buyer=buyer, actor=request.user, supplier=saved.supplier)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the company's addresses --------------------------------------------------------------------


@extend_schema_serializer(component_name="CompanyAddress")
class CompanyAddressOutputSerializer(serializers.ModelSerializer):
    country_name = strict_fields.CharField(read_only=True, help_text="The country's name, in your language.")
    as_text = strict_fields.CharField(
        read_only=True, help_text="The address as a purchase order prints it: recipient, lines, country, phone."
    )

    class Meta:
        model = CompanyAddress
        fields: tuple[str, ...] = (
            "id", "label", "recipient", "address", "country", "country_name", "phone", "is_default", "is_billing",
            "as_text", "created_at",
        )  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(component_name="CompanyAddressInput")
class CompanyAddressInputSerializer(serializers.Serializer):
    # A declared field, popped from the class by DRF's metaclass: it does not replace Field.label.
    label = strict_fields.CharField(  # type: ignore[assignment]
        max_length=80, help_text="A name for the address, e.g. “Rotterdam warehouse”."
    )
    recipient = strict_fields.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="For the attention of."
    )
    address = strict_fields.CharField(max_length=1000, help_text="Street, building, postcode and city.")
    country = strict_fields.CharField(min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NL.")
    phone = strict_fields.CharField(max_length=40, required=False, allow_blank=True, default="")
    is_default = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The default shipping address (the company's former one stops being it).",
    )
    is_billing = serializers.BooleanField(
        required=False, default=False, help_text="The billing address (the company's former one stops being it)."
    )


ADDRESS_FIELDS = ("label", "recipient", "address", "country", "phone", "is_default", "is_billing")


def _address_data(address: CompanyAddress) -> dict[str, Any]:
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


class CompanyAddressListApi(generics.GenericAPIView):
    """Your company's saved addresses, the default shipping address first; add one (the company's first
    address becomes its default shipping and billing address)."""

    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest
    serializer_class = CompanyAddressOutputSerializer

    def get_queryset(self) -> QuerySet[CompanyAddress]:
        if getattr(self, "swagger_fake_view", False):
            return CompanyAddress.objects.none()
        return address_list_for_company(company=_buyer_or_403(self.request))

    @extend_schema(operation_id="buyer_addresses_list", responses={200: CompanyAddressOutputSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="buyer_addresses_create",
        request=CompanyAddressInputSerializer,
        responses={201: CompanyAddressOutputSerializer, 403: OpenApiResponse(description="Not a buyer.")},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        company = _buyer_or_403(request)
        serializer = CompanyAddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = address_save(company=company, actor=request.user, data=serializer.validated_data)
        return Response(CompanyAddressOutputSerializer(address).data, status=status.HTTP_201_CREATED)


class CompanyAddressDetailApi(APIView):
    """One of your company's addresses: read, change (PUT: all of it; PATCH: what is sent) or delete it.
    Orders already placed keep the copy of the address they were placed with."""

    permission_classes = (IsAuthenticated,)

    def _address(self, request: AuthenticatedRequest, pk: int) -> tuple[BuyerCompany, CompanyAddress]:
        company = _buyer_or_403(request)
        return company, address_get_for_company(company=company, pk=pk)

    def _change(self, request: AuthenticatedRequest, pk: int, *, partial: bool) -> Response:
        company, address = self._address(request, pk)
        serializer = CompanyAddressInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {**_address_data(address), **serializer.validated_data} if partial else serializer.validated_data
        address = address_save(company=company, actor=request.user, data=data, address=address)
        return Response(CompanyAddressOutputSerializer(address).data)

    @extend_schema(operation_id="buyer_addresses_retrieve", responses={200: CompanyAddressOutputSerializer})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        _company, address = self._address(request, pk)
        return Response(CompanyAddressOutputSerializer(address).data)

    @extend_schema(
        operation_id="buyer_addresses_update",
        request=CompanyAddressInputSerializer,
        responses={200: CompanyAddressOutputSerializer},
    )
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self._change(request, pk, partial=False)

    @extend_schema(
        operation_id="buyer_addresses_partial_update",
        request=CompanyAddressInputSerializer(partial=True),
        responses={200: CompanyAddressOutputSerializer},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        return self._change(request, pk, partial=True)

    @extend_schema(operation_id="buyer_addresses_destroy", responses={204: None})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        company, address = self._address(request, pk)
        address_delete(company=company, actor=request.user, address=address)
        return Response(status=status.HTTP_204_NO_CONTENT)
