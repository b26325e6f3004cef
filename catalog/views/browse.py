"""Public catalog pages: home, belt, listing, compare (and, until it moves, search).

Thin: parse → selector (or the session's compare list) → render.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import HtmxHttpRequest
from marketplace.exceptions import ApplicationError
from marketplace.pagecache.pages import EVERY_SCOPE, belt_pages, public_page
from marketplace.storage import private_file_response

from ..compare import LIMIT as COMPARE_LIMIT
from ..compare import CompareList, compare_add, compare_keep_only, compare_remove, specification_matrix
from ..lots.selectors import listing_lot_stock
from ..quantities import QuantityGridForm
from ..selectors.public import (
    belt_get_public,
    belt_list_for_home,
    category_top_for_belts,
    listing_certificate_document_for_viewer,
    listing_get_page_for_viewer,
    listing_list_for_compare,
    listing_list_public,
    listing_page_scopes,
    supplier_list_featured_for_belt,
)

HOME_NEWEST = 8
BELT_NEWEST = 12
BELT_TOP_CATEGORIES = 8
FEATURED_SUPPLIERS = 6
# A draft's preview notice: the dashboard's banner once it exists, else the page's own.
PREVIEW_BANNERS = ("catalog/partials/preview_banner.html", "catalog/partials/draft_notice.html")


@require_GET
@public_page(lambda request: EVERY_SCOPE)
def home(request: HttpRequest) -> HttpResponse:
    belts = belt_list_for_home()
    provinces: dict[str, list] = {}
    for belt in belts:
        provinces.setdefault(belt.province_name, []).append(belt)
    return render(
        request,
        "catalog/home.html",
        {
            "belts": belts,
            # In the belts' own order (position), the same in every language.
            "provinces": list(provinces.items()),
            "latest": listing_list_public()[:HOME_NEWEST],
            "compare_ids": CompareList(request).ids,
        },
    )


@require_GET
@public_page(lambda request, slug: belt_pages(slug))
def belt_detail(request: HttpRequest, slug: str) -> HttpResponse:
    belt = belt_get_public(slug=slug)
    top = category_top_for_belts(belts=[belt], per_belt=BELT_TOP_CATEGORIES)
    return render(
        request,
        "catalog/belt_detail.html",
        {
            "belt": belt,
            "top_categories": top.get(belt.pk, []),
            "suppliers": supplier_list_featured_for_belt(belt=belt, limit=FEATURED_SUPPLIERS),
            "newest": listing_list_public(belt=belt)[:BELT_NEWEST],
            "compare_ids": CompareList(request).ids,
        },
    )


@require_GET
@public_page(lambda request, pk: listing_page_scopes(pk=pk))
@vary_on_headers("HX-Request")
def listing_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    listing = listing_get_page_for_viewer(pk=pk, user=request.user)
    # The quantity grid: what was typed (the MOQ until the buyer types, without variants), its
    # tier, total and the rules it breaks, with the nearest quantities they accept.
    grid = QuantityGridForm(listing, request.GET, start_at_moq=True)
    check = grid.check()
    context = {"listing": listing, "grid": grid, "check": check, "tier": check.tier, "quantity": check.total}
    # htmx asks for the price of typed quantities: answer with just that fragment (and the tier
    # table's highlight, swapped out of band).
    if request.htmx:
        return render(request, "catalog/partials/tier_response.html", context)
    context |= {
        "in_compare": listing.pk in CompareList(request),
        "lot_stock": listing_lot_stock(listing=listing),  # a query only for a listing sold by lot
        "preview_banners": PREVIEW_BANNERS,
    }
    return render(request, "catalog/listing_detail.html", context)


DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@require_GET
def listing_certificate_document(request: HttpRequest, pk: int, certificate_id: int) -> HttpResponseBase:
    """A certificate's checked document, as a download, for whoever may see the listing (the
    public for a public listing, its own supplier for a draft); 404 before the check has passed."""
    certificate = listing_certificate_document_for_viewer(pk=pk, certificate_id=certificate_id, user=request.user)
    extension = (certificate.document.name or "").rsplit(".", 1)[-1].lower()
    return private_file_response(
        certificate.document,
        filename=f"{certificate.kind}-{certificate.pk}.{extension}",
        content_type=DOCUMENT_TYPES.get(extension, "application/octet-stream"),
    )


# --- compare --------------------------------------------------------------------------------------


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    compared = CompareList(request)
    ids = compared.ids
    listings = listing_list_for_compare(ids=ids)
    kept = compare_keep_only(compare=compared, visible=[listing.pk for listing in listings])
    if len(kept) < len(ids):
        gone = len(ids) - len(kept)
        messages.info(
            request,
            ngettext(
                "%(n)s listing left your compare list: it is no longer public.",
                "%(n)s listings left your compare list: they are no longer public.",
                gone,
            )
            % {"n": gone},
        )
    response = render(
        request,
        "catalog/compare.html",
        {
            "listings": listings,
            "specifications": specification_matrix(listings),
            "limit": COMPARE_LIMIT,
            "compare_count": len(kept),
        },
    )
    return compared.store(response)


@require_POST
def compare_add_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    error = None
    compared = CompareList(request)
    try:
        compare_add(compare=compared, listing_id=pk)
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        return compared.store(_compare_button(request, pk, compared, error=error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Added to your compare list."))
    return compared.store(_back(request, default=reverse("catalog:compare")))


@require_POST
def compare_remove_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    compared = CompareList(request)
    compare_remove(compare=compared, listing_id=pk)
    if request.htmx:
        return compared.store(_compare_button(request, pk, compared, error=None))
    return compared.store(_back(request, default=reverse("catalog:compare")))


def _compare_button(request: HttpRequest, pk: int, compared: CompareList, *, error: str | None) -> HttpResponse:
    """The button's new state, with the menu's count swapped out of band."""
    context = {
        "listing_pk": pk,
        "in_compare": pk in compared,
        "compare_count": len(compared),
        "compare_error": error,
        "small": request.POST.get("small") == "1",
        "next": request.POST.get("next", ""),
    }
    return render(request, "catalog/partials/compare_response.html", context)


def _back(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    hosts = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure())
    return redirect(target if safe else default)
