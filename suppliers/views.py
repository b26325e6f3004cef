"""Supplier profile (public), supplier dashboard and belt-operator dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Supplier
from .selectors import (
    belt_list_for_operator,
    belt_onboarding_funnel,
    supplier_get_for_member,
    supplier_get_public,
    supplier_list_for_operator,
    supplier_listings_for_dashboard,
    supplier_listings_public,
)


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    supplier = supplier_get_public(slug=slug)
    page = Paginator(supplier_listings_public(supplier=supplier), 24).get_page(request.GET.get("page"))
    return render(request, "suppliers/detail.html", {"supplier": supplier, "page": page})


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    supplier = supplier_get_for_member(user=request.user)
    if supplier is None:
        raise Http404("You do not act for a supplier")
    listings = supplier_listings_for_dashboard(supplier=supplier)
    return render(request, "suppliers/dashboard.html", {"supplier": supplier, "listings": listings})


@require_GET
@login_required
def operator_dashboard(request: HttpRequest) -> HttpResponse:
    belts = list(belt_list_for_operator(user=request.user))
    if not belts:
        raise Http404("You do not operate a belt")
    rows = [
        {
            "belt": belt,
            "funnel": [(Supplier.Status(s).label, n) for s, n in belt_onboarding_funnel(belt=belt).items()],
            "suppliers": supplier_list_for_operator(belt=belt),
        }
        for belt in belts
    ]
    return render(request, "suppliers/operator_dashboard.html", {"rows": rows})
