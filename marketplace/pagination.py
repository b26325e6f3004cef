from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination with a hard ceiling on page size."""

    page_size_query_param = "page_size"
    max_page_size = 100


class CreatedCursorPagination(pagination.CursorPagination):
    """Cursor pagination for long lists: deep pages cost what the first costs."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100
