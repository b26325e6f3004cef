"""Buyer sign-up and dashboard (inquiries: views_inquiries.py; the supplier inbox: views_inbox.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from catalog.selectors.public import belt_list_with_counts

from ..forms import BuyerSignUpForm
from ..selectors.inquiries import (
    buyer_company_for_user,
    inquiry_latest_for_buyer,
    inquiry_unread_count,
    saved_supplier_list,
)
from ..services.inquiries import buyer_sign_up

SAVED_ON_DASHBOARD = 12


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = BuyerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        buyer_sign_up(**form.cleaned_data, base_url=request.build_absolute_uri("/")[:-1])
        # The same answer whether or not the address already had an account.
        return render(request, "buyers/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "buyers/signup.html", {"form": form})


@require_GET
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = buyer_company_for_user(user=request.user)
    if company is None:
        raise Http404("You do not buy for a company")
    # Remembered on the request: the navigation's badge shows the same figure without asking again.
    request._unread_inquiries_count = unread = inquiry_unread_count(user=request.user)  # type: ignore[attr-defined]
    context = {
        "company": company,
        "unread_count": unread,
        "latest_inquiries": inquiry_latest_for_buyer(buyer=company),
        "saved_suppliers": list(saved_supplier_list(buyer=company)[:SAVED_ON_DASHBOARD]),
        "belts": belt_list_with_counts(),
    }
    return render(request, "buyers/dashboard.html", context)
