"""Public trust pages: the supplier profile and the certificate verification page."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.pagecache.pages import public_page

from ..brand import licence_mark_shown
from ..certificates import certificate_current, certificate_verify_url, qr_svg_data_uri
from ..models import Certification
from ..models.licences import licence_number_read
from ..selectors import (
    brand_licence_get_by_number,
    brand_licence_list_current_for_supplier,
    certificate_standing_by_code,
    supplier_get_public_profile,
    supplier_page_scopes,
)

# Codes are Crockford base32 with dashes as shown, in any case (suppliers.codes); older ones
# URL-safe base64. Spaces a person typed are dropped before the shape is checked.
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


@require_GET
@public_page(lambda request, slug: supplier_page_scopes(slug=slug))
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    supplier = supplier_get_public_profile(slug=slug)
    # Its listings are the catalog's panel on this page (catalog.panels, slot suppliers.profile.listings).
    current = certificate_current(supplier)
    context = {
        "supplier": supplier,
        "certification": supplier.current_certification,
        # The regional brands its listings in scope carry today (suppliers.brand).
        "brand_licences": brand_licence_list_current_for_supplier(supplier=supplier),
        # The QR code leads to the page of the certificate in force, so a printout can be checked.
        "certificate_qr": qr_svg_data_uri(certificate_verify_url(current)) if current else "",
    }
    return render(request, "suppliers/detail.html", context)


def _noindex(response: HttpResponse) -> HttpResponse:
    # A certificate's page is for whoever holds its code, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unknown_certificate(request: HttpRequest) -> HttpResponse:
    # The same page, word for word, for every unknown code: it never repeats what was typed.
    return _noindex(render(request, "suppliers/verify.html", {"standing": None}, status=404))


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether the certificate with this exact code is genuine and current."""
    standing = certificate_standing_by_code(code=code)
    if standing is None:
        return _unknown_certificate(request)
    certification = standing.certification
    context = {
        "standing": standing,
        "certificate_qr": qr_svg_data_uri(certificate_verify_url(certification)) if standing.is_current else "",
        # A signed copy is issued for a certificate that has not ended (an expired one says so when checked).
        "signed_download": certification.status == Certification.Status.ACTIVE,
    }
    return _noindex(render(request, "suppliers/verify.html", context))


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """The form a buyer types a code into; a code (or a pasted /verify/ link) goes to its page."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return _noindex(render(request, "suppliers/verify_lookup.html"))
    code = "".join(typed.rstrip("/").rsplit("/", 1)[-1].split())  # "https://…/verify/<code>/" pasted whole
    number = licence_number_read(code)
    if number is not None:  # a brand licence's number (BL-…): its own check page
        return redirect("suppliers:verify_licence", number)
    if not CODE_SHAPE.fullmatch(code):
        return _unknown_certificate(request)
    return redirect("suppliers:verify", code)


@require_GET
def verify_licence(request: HttpRequest, number: str) -> HttpResponse:
    """The public check of a regional-brand licence: holder, mark, scope, validity and whether it is
    valid, expired or revoked today. Every unknown number gets the same page (404)."""
    licence = brand_licence_get_by_number(number=number)
    if licence is None:
        return _noindex(render(request, "suppliers/verify_licence.html", {"licence": None}, status=404))
    standing = licence.standing()
    context = {
        "licence": licence,
        "standing": standing,
        "mark_shown": licence_mark_shown(licence),
        # A printed licence or a product label can carry this page's QR code, so it can be checked.
        "licence_qr": qr_svg_data_uri(settings.SITE_URL + reverse("suppliers:verify_licence", args=[licence.number]))
        if standing == "valid"
        else "",
    }
    return _noindex(render(request, "suppliers/verify_licence.html", context))


@require_GET
def help_response_figures(request: HttpRequest) -> HttpResponse:
    """The published formulas of the figures on every supplier's profile (orders.figures)."""
    return render(request, "suppliers/help_response_figures.html")
