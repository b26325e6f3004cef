from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.request import Request

from .numbers import is_ascii_number

PAGE_SIZE_MAX = 100


def page_size_from(request: Request, *, default: int, maximum: int = PAGE_SIZE_MAX, param: str = "page_size") -> int:
    """The `page_size` a client asked for, between 1 and `maximum`; `default` when it asked for none.

    Anything but a whole number written in ASCII digits answers 400, and so does `page_size` given
    twice: a client that sends `page_size=ten` learns of its mistake instead of silently getting the
    default."""
    given = request.query_params.getlist(param)
    if len(given) > 1:  # the schema's integer is one value; which one counts would be a guess
        raise exceptions.ValidationError({param: [_("Give this parameter once.")]})
    raw = given[0] if given else None
    if raw is None or raw == "":
        return default
    if not is_ascii_number(raw, integer=True):
        raise exceptions.ValidationError({param: [_("A whole number, in the digits 0-9.")]})
    # A whole number may be written "12.0" (`is_ascii_number`), which int() alone does not read.
    return max(1, min(int(Decimal(raw.strip(" \t"))), maximum))


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination with a hard ceiling on page size."""

    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request: Request) -> int:
        return page_size_from(request, default=self.page_size or 24, maximum=self.max_page_size)


class CreatedCursorPagination(pagination.CursorPagination):
    """Cursor pagination for long lists: deep pages cost what the first costs."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request: Request) -> int:
        return page_size_from(request, default=self.page_size or 24, maximum=self.max_page_size)
