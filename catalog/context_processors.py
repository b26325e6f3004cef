"""Template context every page gets from the catalog: the count in the menu's compare link."""

from django.http import HttpRequest

from .compare import CompareList


def compare(request: HttpRequest) -> dict[str, int]:
    return {"compare_count": len(CompareList(request))}
