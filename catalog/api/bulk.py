"""A supplier's bulk listings over the API: imports of a CSV or XLSX file, the export and the template.

POST /api/v1/me/listing-imports/ (multipart `file`) checks the file whole and queues its import
(refused with 400 and the reason when it cannot be read); GET on the list and on one import shows
its status, progress and row report. GET /api/v1/me/listings/export/?file_format=csv|xlsx downloads the
supplier's listings in the import's columns (importing it back updates the same listings);
/api/v1/me/listings/import-template/ the empty template. The dashboard's `catalog.imports` and
`catalog.exports` do the work. Another supplier's import answers 404; so does every one of these
to a user who acts for no supplier.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.idempotency.api import idempotent
from marketplace.pagination import CreatedCursorPagination
from suppliers.selectors import supplier_for_member_or_404

from ..exports import CONTENT_TYPES, ExportFile, listing_export_file, listing_template_file
from ..imports import (
    MAX_FILE_BYTES,
    MAX_REPORTED_ROWS,
    MAX_ROWS,
    listing_import_create,
    listing_import_get_for_supplier,
    listing_import_list_for_supplier,
)
from ..models import ListingImport

NOT_YOURS = OpenApiResponse(description="No such import among your company's, or you act for no supplier.")


@extend_schema_serializer(component_name="ListingImport")
class ImportSummarySerializer(serializers.ModelSerializer):
    rejected_count = serializers.SerializerMethodField(help_text="Rows not saved (each is in the row report).")
    file_format = serializers.ChoiceField(
        source="format", choices=ListingImport.Format.choices, help_text="csv or xlsx."
    )
    percent = strict_fields.IntegerField(help_text="Progress, 0–100.")

    class Meta:
        model = ListingImport
        fields: tuple[str, ...] = (
            "id", "original_name", "file_format", "status", "total_rows", "processed_rows", "created_count",
            "updated_count", "rejected_count", "percent", "failure", "created_at", "started_at", "finished_at",
        )  # fmt: skip

    def get_rejected_count(self, job: ListingImport) -> int:
        return max(0, job.processed_rows - job.created_count - job.updated_count)


@extend_schema_serializer(component_name="ListingImportRow")
class ImportRowSerializer(serializers.Serializer):
    line = strict_fields.IntegerField(help_text="The row's number in the spreadsheet.")
    sku = strict_fields.CharField()
    # DRF takes declared fields out of the class, so this one does not shadow Serializer.errors.
    errors = serializers.ListField(  # type: ignore[assignment]
        child=strict_fields.CharField(), help_text="Why the row was not saved."
    )
    notes = serializers.ListField(
        child=strict_fields.CharField(), required=False, help_text="Saved, but not quite as asked (kept as a draft)."
    )


@extend_schema_serializer(component_name="ListingImportDetail")
class ImportDetailSerializer(ImportSummarySerializer):
    rows = ImportRowSerializer(
        source="error_rows",
        many=True,
        help_text=f"The rows refused or saved with a note, in file order (at most {MAX_REPORTED_ROWS}).",
    )

    class Meta(ImportSummarySerializer.Meta):
        fields = (*ImportSummarySerializer.Meta.fields, "rows")


@extend_schema_serializer(component_name="ListingImportInput")
class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"CSV or XLSX in the template's columns, at most {MAX_ROWS} rows and {MAX_FILE_BYTES} bytes."
    )


class MyListingImportListApi(generics.GenericAPIView):
    """Your company's imports, newest first (cursor pages); upload a file to import."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)  # JSON too: its refusal is a 400, not a 415
    pagination_class = CreatedCursorPagination
    serializer_class = ImportSummarySerializer
    queryset = ListingImport.objects.none()  # the schema reads the model here; rows come from the selector

    @extend_schema(operation_id="my_listing_imports_list", responses={200: ImportSummarySerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        page = self.paginate_queryset(listing_import_list_for_supplier(supplier=supplier))
        return self.get_paginated_response(ImportSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="my_listing_imports_create",
        description="The file is checked whole at once (size, content, header, row count): one that cannot be "
        "imported is refused with 400 and the reason, and nothing is queued. Its rows are then imported in "
        "the background; GET the import for its progress and row report. Each row stands alone, keyed by "
        "its SKU: importing the same file again updates the same listings.",
        request=ImportInputSerializer,
        responses={201: ImportDetailSerializer, 404: NOT_YOURS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        serializer = ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = listing_import_create(
            supplier=supplier, actor=request.user, upload=serializer.validated_data["file"], language=get_language()
        )
        job = listing_import_get_for_supplier(supplier=supplier, pk=job.pk)
        return Response(ImportDetailSerializer(job).data, status=status.HTTP_201_CREATED)


class MyListingImportDetailApi(APIView):
    """One import: its status, progress and row report."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_listing_imports_retrieve", responses={200: ImportDetailSerializer, 404: NOT_YOURS})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        supplier = supplier_for_member_or_404(user=request.user)
        return Response(ImportDetailSerializer(listing_import_get_for_supplier(supplier=supplier, pk=pk)).data)


# Not `format`: DRF reads that query parameter as the renderer to answer with.
FORMAT = OpenApiParameter(
    name="file_format",
    type=OpenApiTypes.STR,
    enum=[ListingImport.Format.CSV, ListingImport.Format.XLSX],
    required=False,
    description="csv (the default) or xlsx.",
)
FILE_RESPONSES = {
    (200, CONTENT_TYPES[ListingImport.Format.CSV]): OpenApiTypes.BINARY,
    (200, CONTENT_TYPES[ListingImport.Format.XLSX]): OpenApiTypes.BINARY,
}


class _FormatSerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=ListingImport.Format.choices, default=ListingImport.Format.CSV)


def _format(request: AuthenticatedRequest) -> str:
    serializer = _FormatSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["file_format"])


def _attachment(file: ExportFile) -> HttpResponse:
    return HttpResponse(
        file.content,
        content_type=file.content_type,
        headers={"Content-Disposition": content_disposition_header(True, file.filename)},
    )


class MyListingExportApi(APIView):
    """Your company's listings as a file in the import's columns (importing it back updates them)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_listings_export", parameters=[FORMAT], responses={**FILE_RESPONSES, 404: NOT_YOURS})
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        supplier = supplier_for_member_or_404(user=request.user)
        return _attachment(listing_export_file(supplier=supplier, fmt=_format(request)))


class MyListingImportTemplateApi(APIView):
    """The import template: the header in the request's language and one example row."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="my_listings_import_template", parameters=[FORMAT], responses={**FILE_RESPONSES, 404: NOT_YOURS}
    )
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        supplier_for_member_or_404(user=request.user)
        return _attachment(listing_template_file(fmt=_format(request)))
