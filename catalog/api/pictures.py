"""A supplier's listing pictures over the API: /api/v1/me/listings/<id>/images/ (its members only).

Upload (multipart; kept unchecked and checked by its content in the worker, as on the dashboard:
`check` is pending until then), put in a new order, make one the cover, remove: the dashboard's
`catalog.services` functions. Another supplier's listing or picture answers 404, as one that does
not exist; so does any of these to a user who acts for no supplier.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from marketplace import strict_fields
from marketplace.bounds import ID_MAX
from marketplace.idempotency.api import idempotent
from suppliers.selectors import supplier_for_member_or_404

from ..models import Listing, ListingImage
from ..selectors.manage import listing_get_for_supplier, listing_image_get_for_supplier
from ..services import (
    MAX_IMAGES,
    listing_image_add,
    listing_image_make_cover,
    listing_image_remove,
    listing_image_reorder,
)
from .manage import ImageSerializer

NOT_YOURS = OpenApiResponse(description="No such listing or picture among your company's.")


def _listing(request: AuthenticatedRequest, pk: int) -> Listing:
    return listing_get_for_supplier(supplier=supplier_for_member_or_404(user=request.user), pk=pk)


def _image(request: AuthenticatedRequest, pk: int, image_id: int) -> ListingImage:
    supplier = supplier_for_member_or_404(user=request.user)
    return listing_image_get_for_supplier(supplier=supplier, listing_pk=pk, pk=image_id)


def _images(request: AuthenticatedRequest, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    images = ListingImage.objects.filter(listing=_listing(request, pk)).order_by("position", "id")
    return Response(ImageSerializer(images, many=True, context={"request": request}).data, status=status_code)


@extend_schema_serializer(component_name="ListingImageInput")
class ImageInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP; checked by its content before buyers see it.")
    alt_text = strict_fields.CharField(max_length=200, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="ListingImageOrderInput")
class ImageOrderInputSerializer(serializers.Serializer):
    images = serializers.ListField(
        child=strict_fields.IntegerField(min_value=1, max_value=ID_MAX),
        allow_empty=False,
        max_length=MAX_IMAGES,
        help_text="Every picture of the listing by id, once, in the new order (the first is the cover).",
    )


class MyListingImageListApi(APIView):
    """The listing's pictures in their order (the first is the cover); upload one."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser, FormParser)  # JSON too: its refusal is a 400, not a 415

    @extend_schema(operation_id="my_listing_images_list", responses={200: ImageSerializer(many=True), 404: NOT_YOURS})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return _images(request, pk)

    @extend_schema(
        operation_id="my_listing_images_create",
        description=f"At most {MAX_IMAGES} pictures per listing. The picture is checked in the background: its "
        "`check` is pending until then, and a refused one says why in `refusal`. A file that is not an image "
        "we take, or too large, is refused at once with 400.",
        request=ImageInputSerializer,
        responses={201: ImageSerializer, 404: NOT_YOURS},
    )
    @idempotent()
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        listing = _listing(request, pk)
        serializer = ImageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        image = listing_image_add(listing=listing, actor=request.user, upload=data["image"], alt_text=data["alt_text"])
        image.refresh_from_db()
        return Response(ImageSerializer(image, context={"request": request}).data, status=status.HTTP_201_CREATED)


class MyListingImageOrderApi(APIView):
    """Put the listing's pictures in a new order."""

    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser,)

    @extend_schema(
        operation_id="my_listing_images_order",
        request=ImageOrderInputSerializer,
        responses={200: ImageSerializer(many=True), 404: NOT_YOURS},
    )
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        listing = _listing(request, pk)
        serializer = ImageOrderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["images"]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError({"images": [_("Name each picture once.")]})
        listing_image_reorder(listing=listing, actor=request.user, image_ids=ids)
        return _images(request, pk)


class MyListingImageCoverApi(APIView):
    """Make one picture the cover (first; the others keep their order behind it)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="my_listing_images_cover",
        request=None,
        responses={200: ImageSerializer(many=True), 404: NOT_YOURS},
    )
    def post(self, request: AuthenticatedRequest, pk: int, image_id: int) -> Response:
        listing_image_make_cover(image=_image(request, pk, image_id), actor=request.user)
        return _images(request, pk)


class MyListingImageDetailApi(APIView):
    """Remove one picture (its files are deleted once the removal is committed)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="my_listing_images_destroy", responses={204: None, 404: NOT_YOURS})
    def delete(self, request: AuthenticatedRequest, pk: int, image_id: int) -> Response:
        listing_image_remove(image=_image(request, pk, image_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
