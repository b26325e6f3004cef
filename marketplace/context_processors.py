"""Template context every page gets from the wiring."""

from django.http import HttpRequest

from .schema import schema_is_readable


def api_docs(request: HttpRequest) -> dict[str, bool]:
    """Whether the footer links the API docs: only for those who may read them (API_SCHEMA_PUBLIC)."""
    return {"api_docs_readable": schema_is_readable(request)}
