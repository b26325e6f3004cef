"""Public catalog pages: home, belt, listing, search. Thin: parse → selector → render."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .selectors import (
    belt_get_public,
    belt_list_with_counts,
    listing_get_for_viewer,
    listing_list_public,
    listing_search,
    supplier_list_for_belt,
)

PAGE_SIZE = 24


def _page(request: HttpRequest, qs):  # type: ignore[no-untyped-def]
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    belts = list(belt_list_with_counts())
    provinces: dict[str, list] = {}
    for belt in belts:
        provinces.setdefault(belt.province_name, []).append(belt)
    return render(
        request,
        "catalog/home.html",
        {
            "belts": belts,
            "provinces": sorted(provinces.items()),
            "latest": listing_list_public()[:8],
        },
    )


@require_GET
def belt_detail(request: HttpRequest, slug: str) -> HttpResponse:
    belt = belt_get_public(slug=slug)
    suppliers = supplier_list_for_belt(belt=belt)
    return render(
        request,
        "catalog/belt_detail.html",
        {"belt": belt, "suppliers": suppliers, "page": _page(request, listing_list_public(belt=belt))},
    )


@require_GET
@vary_on_headers("HX-Request")
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = listing_get_for_viewer(pk=pk, user=request.user)
    quantity = _positive_int(request.GET.get("quantity")) or listing.moq
    context = {"listing": listing, "quantity": quantity, "tier": listing.tier_for_quantity(quantity)}
    # htmx asks for the price of a typed quantity: answer with just that fragment.
    template = "catalog/partials/tier_result.html" if request.htmx else "catalog/listing_detail.html"
    return render(request, template, context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    page = _page(request, listing_search(query=query)) if query else None
    return render(request, "catalog/search.html", {"query": query, "page": page})


def _positive_int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 10**9 else None
