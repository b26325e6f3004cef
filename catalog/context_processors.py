"""Template context every page gets from the catalog: the count in the menu's compare link, the
currency prices are shown in."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .compare import CompareList
from .prices import price_book_for


def compare(request: HttpRequest) -> dict[str, int]:
    return {"compare_count": len(CompareList(request))}


def prices(request: HttpRequest) -> dict[str, Any]:
    """The visitor's currency for approximate prices (the header's chooser, catalog.prices) and the
    request's PriceBook, whose rates are read once, when a price in another currency is shown."""
    book = price_book_for(request)
    return {"price_book": book, "price_currencies": settings.PRICE_CURRENCIES}
