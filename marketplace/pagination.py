from typing import Any

from rest_framework import pagination

from .bounds import INTEGER_MAX


def _bounded(parameters: list[dict[str, Any]], maxima: dict[str, int]) -> list[dict[str, Any]]:
    """The pagination's query parameters with the bounds it enforces stated in their schema."""
    for parameter in parameters:
        if parameter["name"] in maxima:
            parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": maxima[parameter["name"]]}
    return parameters


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination with a hard ceiling on page size."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        maxima = {self.page_query_param: INTEGER_MAX, self.page_size_query_param: self.max_page_size}
        return _bounded(super().get_schema_operation_parameters(view), maxima)


class CreatedCursorPagination(pagination.CursorPagination):
    """Cursor pagination for long lists: deep pages cost what the first costs."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return _bounded(super().get_schema_operation_parameters(view), {self.page_size_query_param: self.max_page_size})
